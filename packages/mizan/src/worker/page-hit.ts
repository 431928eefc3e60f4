/**
 * The fresh-hit path of cached pages. A page entry is prepared for sending once — its HTML as
 * bytes, its strong ETag and its final header set — and the preparation is remembered against
 * the exact entry bytes the backend hands out: the edge backend's in-isolate tier returns the
 * same bytes object for as long as the entry is valid (it validates every read against the
 * purge markers), so a HIT is a tier lookup, a freshness check and a `new Response`. Anything
 * else — no entry, a stale one, a backend failure — goes through `cacheFetch` (SWR, single
 * flight, fail-open), which stays the one place that computes and stores.
 * @module
 */
import { canonicalParams, decodeEnvelope } from '@mizan/core'
import type { CachePolicy, CacheSecret, EntryRef } from '@mizan/core'
import { cacheTagOf } from './call.ts'
import { lifetimesCacheControl } from './cache-control.ts'
import { CACHE_STATE_HEADER, matchesEtag, strongEtag } from './http.ts'
import type { CompiledRoute } from './options.ts'
import { isShell, prepareShell, usableShell, type PreparedShell } from './psr.ts'
import type { RequestCache } from './runtime.ts'

const HTML_TYPE = 'text/html; charset=utf-8'
const encoder = new TextEncoder()

/**
 * A cached page ready to send: what a `200` and a `304` carry.
 *
 * @example
 * ```ts
 * const page = await preparePage(html, tags, policy, Date.now() + 60_000)
 * ```
 */
export interface PreparedPage {
  readonly kind: 'page'
  /** When the entry stops being fresh (ms since the epoch); `Infinity` for a page just computed. */
  readonly freshUntil: number
  readonly body: Uint8Array<ArrayBuffer>
  readonly etag: string
  /**
   * Headers of the `200` in each cache state. Header objects, not lists: a response copies
   * them without converting and validating every name and value again.
   */
  readonly headers: { readonly [S in ServedState]: Headers }
  /** Headers of the `304` (without `x-mizan-cache`): the same without `content-type`. */
  readonly notModified: readonly [string, string][]
}

/** The cache states a prepared page is sent in. */
export type ServedState = 'HIT' | 'STALE' | 'MISS'

/**
 * Prepares `html` (a cached page's body) with its tags and the route's lifetimes, or `null`
 * when its tags cannot be carried (then it must not be shared).
 *
 * @example
 * ```ts
 * const prepared = await preparePage('<!DOCTYPE html>…', ['posts'], { ttl: 60 }, Infinity)
 * ```
 */
export async function preparePage(html: string, tags: readonly string[], policy: CachePolicy, freshUntil: number): Promise<PreparedPage | null> {
  const cacheTag = cacheTagOf(tags)
  if (cacheTag === null) return null
  const body = encoder.encode(html) as Uint8Array<ArrayBuffer>
  const etag = await strongEtag(body)
  const notModified: [string, string][] = [
    ['cache-control', lifetimesCacheControl(policy)],
    ['etag', etag],
    ['x-content-type-options', 'nosniff'],
  ]
  if (cacheTag !== '') notModified.push(['cache-tag', cacheTag])
  const headers = (state: ServedState): Headers => new Headers([['content-type', HTML_TYPE], ...notModified, [CACHE_STATE_HEADER, state]])
  return { kind: 'page', freshUntil, body, etag, headers: { HIT: headers('HIT'), STALE: headers('STALE'), MISS: headers('MISS') }, notModified }
}

/**
 * The response for a prepared page in cache state `state`: `304` when `If-None-Match` names
 * its ETag, no body for `HEAD`.
 *
 * @example
 * ```ts
 * return sendPrepared(request, prepared, 'HIT')
 * ```
 */
export function sendPrepared(request: Request, page: PreparedPage, state: ServedState): Response {
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch !== null && matchesEtag(ifNoneMatch, page.etag)) return new Response(null, { status: 304, headers: [...page.notModified, [CACHE_STATE_HEADER, state] as [string, string]] })
  return new Response(request.method === 'HEAD' ? null : page.body, { status: 200, headers: page.headers[state] })
}

interface Remembered {
  readonly keyId: string
  readonly key: string
  readonly page: PreparedPage | PreparedShell
}

// Keyed by the entry bytes object itself: a purge or a new put makes new bytes, so a stale
// preparation can never be found, and dropped entries take theirs with them.
const prepared = new WeakMap<Uint8Array, Remembered>()
// Entry refs of (secret, route, canonical params): the HMAC of the key is the same every time.
const refs = new WeakMap<CacheSecret, WeakMap<CompiledRoute, Map<string, EntryRef>>>()
const REF_MEMO_LIMIT = 1_000

/**
 * The page (or shell, docs/psr.md) of a fresh entry, prepared (at most once per entry), or
 * `undefined` when the entry is missing, not fresh, unreadable, from another build or React
 * version, or the backend fails — `cacheFetch` decides those.
 *
 * @example
 * ```ts
 * const hit = await freshPage(cache, route, { p: params, s: search }, policy)
 * if (hit?.kind === 'page') return sendPrepared(request, hit, 'HIT')
 * ```
 */
export async function freshPage(cache: RequestCache, route: CompiledRoute, params: { p: unknown; s: unknown }, policy: CachePolicy): Promise<PreparedPage | PreparedShell | undefined> {
  // A zero ttl is never fresh: cacheFetch computes every time.
  if (!(policy.ttl > 0)) return undefined
  try {
    const ref = await entryRef(cache.secret, route, canonicalParams(params))
    const bytes = await cache.backend.get(ref)
    if (bytes === null) return undefined
    let known = prepared.get(bytes)
    if (known === undefined || known.keyId !== cache.secret.keyId || known.key !== ref.key) {
      const envelope = decodeEnvelope(bytes, { keyId: cache.secret.keyId, key: ref.key })
      const value = envelope?.value as { status?: unknown; body?: unknown } | undefined
      if (envelope === null) return undefined
      let page: PreparedPage | PreparedShell | null
      if (value?.status === 200 && typeof value.body === 'string') page = await preparePage(value.body, envelope.tags, policy, envelope.freshUntil)
      else if (isShell(value) && usableShell(value, route)) page = prepareShell(value, envelope.freshUntil)
      else return undefined
      if (page === null) return undefined
      known = { keyId: cache.secret.keyId, key: ref.key, page }
      prepared.set(bytes, known)
    }
    return Date.now() < known.page.freshUntil ? known.page : undefined
  } catch {
    return undefined
  }
}

async function entryRef(secret: CacheSecret, route: CompiledRoute, canonical: string): Promise<EntryRef> {
  let byRoute = refs.get(secret)
  if (byRoute === undefined) refs.set(secret, (byRoute = new WeakMap()))
  let memo = byRoute.get(route)
  if (memo === undefined) byRoute.set(route, (memo = new Map()))
  let ref = memo.get(canonical)
  if (ref === undefined) {
    ref = secret.entryRefSync?.(route.context, canonical) ?? (await secret.entryRef(route.context, canonical))
    if (memo.size >= REF_MEMO_LIMIT) memo.clear()
    memo.set(canonical, ref)
  }
  return ref
}
