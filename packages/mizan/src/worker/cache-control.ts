/**
 * `Cache-Control` from data function policies: uncacheable (`no-store`) when any function
 * involved is `false` or per-user, else shared caches may keep the response for the shortest
 * `ttl`, serve it stale for the shortest `swr` / `staleIfError`.
 * @module
 */
import type { CachePolicy } from '@mizan/core'
import type { ManifestPolicy } from '../compiler/manifest-types.ts'

/** For responses that must never be stored: errors and anything per-user. */
export const NO_STORE = 'no-store'

/** A page that used no data function. */
export const NO_DATA = 'public, max-age=0'

/**
 * What responses built from some data functions may be cached for; merge one policy at a
 * time, read `header()` (or `policy()`) at the end.
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

  /** Marks the response uncacheable whatever the policies say (a failure, a cache that is off). */
  refuse(): void {
    this.used = true
    this.noStore = true
  }

  get uncacheable(): boolean {
    return this.noStore
  }

  header(): string {
    if (this.noStore) return NO_STORE
    if (!this.used) return NO_DATA
    return cacheControl(this.ttl, this.swr, this.staleIfError)
  }

  /** The merged lifetimes, or `null` when nothing was added or something is uncacheable. */
  policy(): CachePolicy | null {
    if (this.noStore || !this.used) return null
    return { ttl: this.ttl, swr: this.swr, staleIfError: this.staleIfError }
  }

  /** Whether a response fresh for `policy` outlives none of the policies added here. */
  allows(policy: CachePolicy): boolean {
    if (this.noStore) return false
    return policy.ttl <= this.ttl && (policy.swr ?? 0) <= this.swr && (policy.staleIfError ?? 0) <= this.staleIfError
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

/**
 * The header for merged lifetimes.
 *
 * @example
 * ```ts
 * lifetimesCacheControl({ ttl: 60, swr: 0 }) // 'public, max-age=0, s-maxage=60'
 * ```
 */
export function lifetimesCacheControl(policy: CachePolicy): string {
  return cacheControl(policy.ttl, policy.swr ?? 0, policy.staleIfError ?? 0)
}

function cacheControl(ttl: number, swr: number, staleIfError: number): string {
  let header = `public, max-age=0, s-maxage=${ttl}`
  if (swr > 0) header += `, stale-while-revalidate=${swr}`
  if (staleIfError > 0) header += `, stale-if-error=${staleIfError}`
  return header
}
