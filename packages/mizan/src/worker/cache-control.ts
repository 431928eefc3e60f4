/**
 * `Cache-Control` from data function policies. For now: uncacheable (`no-store`) when any
 * function involved is `false` or per-user, else shared caches may keep the response for the
 * shortest `ttl` (edge caching proper comes with the edge backend).
 * @module
 */
import type { ManifestPolicy } from '../compiler/manifest-types.ts'

/** For responses that must never be stored: errors and anything per-user. */
export const NO_STORE = 'no-store'

/** A page that used no data function. */
export const NO_DATA = 'public, max-age=0'

/**
 * What responses built from some data functions may be cached for; merge one policy at a
 * time, read `header()` at the end.
 *
 * @example
 * ```ts
 * const cache = new CacheFreshness()
 * cache.add({ ttl: 300, swr: 3600, staleIfError: 0, tags: [], scope: 'public' })
 * cache.header() // 'public, max-age=0, s-maxage=300, stale-while-revalidate=3600'
 * ```
 */
export class CacheFreshness {
  private used = false
  private noStore = false
  private ttl = Infinity
  private swr = Infinity
  private staleIfError = Infinity

  add(policy: ManifestPolicy | false): void {
    this.used = true
    if (policy === false || policy.scope === 'user') {
      this.noStore = true
      return
    }
    this.ttl = Math.min(this.ttl, policy.ttl)
    this.swr = Math.min(this.swr, policy.swr)
    this.staleIfError = Math.min(this.staleIfError, policy.staleIfError)
  }

  header(): string {
    if (this.noStore) return NO_STORE
    if (!this.used) return NO_DATA
    return cacheControl(this.ttl, this.swr, this.staleIfError)
  }
}

/**
 * The header for one policy (computed once per function, not per request).
 *
 * @example
 * ```ts
 * policyCacheControl(false) // 'no-store'
 * ```
 */
export function policyCacheControl(policy: ManifestPolicy | false): string {
  const freshness = new CacheFreshness()
  freshness.add(policy)
  return freshness.header()
}

function cacheControl(ttl: number, swr: number, staleIfError: number): string {
  let header = `public, max-age=0, s-maxage=${ttl}`
  if (swr > 0) header += `, stale-while-revalidate=${swr}`
  if (staleIfError > 0) header += `, stale-if-error=${staleIfError}`
  return header
}
