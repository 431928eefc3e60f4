/**
 * HTTP semantics of page and data responses: a strong `ETag` and `304 Not Modified` for
 * `If-None-Match` (HEAD too), `Cache-Tag` only on responses shared caches may keep, the
 * `x-mizan-cache` debug header on every response, and nothing with `Set-Cookie` ever shared.
 * @module
 */
import { base64urlEncode } from '@mizan/core'
import type { CacheState } from './call.ts'

/** The debug header: `HIT | STALE | MISS | BYPASS`, or `SHELL-<state>+RESUME` for a page served from its shell (docs/psr.md). */
export const CACHE_STATE_HEADER = 'x-mizan-cache'

const encoder = new TextEncoder()

/** What a page or data response is made of. */
export interface ResponseParts {
  readonly status: number
  /** `text/html; charset=utf-8` or `application/json; charset=utf-8`. */
  readonly contentType: string
  readonly body: string | Uint8Array<ArrayBuffer>
  readonly cacheControl: string
  /** `Cache-Tag` (comma-separated, normalised), `null` or `''` for none. */
  readonly cacheTag: string | null
  readonly state: CacheState
}

/**
 * The response for `parts`, answering `304` when the request's `If-None-Match` names its ETag.
 * Only 200s get an ETag.
 *
 * @example
 * ```ts
 * return await respond(request, { status: 200, contentType: JSON_TYPE, body: json, cacheControl, cacheTag: 'posts', state: 'HIT' })
 * ```
 */
export async function respond(request: Request, parts: ResponseParts): Promise<Response> {
  const headers = new Headers({ 'content-type': parts.contentType, 'cache-control': parts.cacheControl, 'x-content-type-options': 'nosniff' })
  headers.set(CACHE_STATE_HEADER, parts.state)
  if (parts.cacheTag && !isNoStore(parts.cacheControl)) headers.set('cache-tag', parts.cacheTag)
  if (parts.status === 200) {
    const etag = await strongEtag(parts.body)
    headers.set('etag', etag)
    const ifNoneMatch = request.headers.get('if-none-match')
    if (ifNoneMatch !== null && matchesEtag(ifNoneMatch, etag)) {
      headers.delete('content-type')
      return new Response(null, { status: 304, headers })
    }
  }
  return new Response(request.method === 'HEAD' ? null : parts.body, { status: parts.status, headers })
}

/**
 * Last rules on any response leaving the Worker: `x-mizan-cache` is always present (`BYPASS`
 * unless the cache said otherwise); a response that sets a cookie is never stored by a shared
 * cache; an uncacheable response carries no `Cache-Tag`.
 *
 * @example
 * ```ts
 * return finalize(await route(request))
 * ```
 */
export function finalize(response: Response): Response {
  const headers = response.headers
  if (!headers.has(CACHE_STATE_HEADER)) headers.set(CACHE_STATE_HEADER, 'BYPASS')
  if (headers.has('set-cookie')) {
    headers.set('cache-control', 'private, no-store')
    headers.set(CACHE_STATE_HEADER, 'BYPASS')
  }
  if (isNoStore(headers.get('cache-control') ?? '')) headers.delete('cache-tag')
  return response
}

/**
 * A strong validator of the exact bytes: base64url of the first 18 bytes of their SHA-256.
 *
 * @example
 * ```ts
 * await strongEtag('{"a":1}') // '"…24 chars…"'
 * ```
 */
export async function strongEtag(body: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return `"${base64urlEncode(digest.subarray(0, 18))}"`
}

/**
 * Whether an `If-None-Match` header names `etag`, by the weak comparison (RFC 9110 §13.1.2):
 * `W/` is ignored.
 *
 * @example
 * ```ts
 * matchesEtag('W/"abc", "def"', '"abc"') // true
 * ```
 */
export function matchesEtag(header: string, etag: string): boolean {
  for (const part of header.split(',')) {
    const tag = part.trim()
    if (tag === '*' || tag === etag || tag === `W/${etag}`) return true
  }
  return false
}

function isNoStore(cacheControl: string): boolean {
  return /(^|[\s,])(no-store|private)([\s,=]|$)/i.test(cacheControl)
}
