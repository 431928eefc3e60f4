/**
 * Ingress hygiene: what is removed or refused before a request reaches routing.
 * @module
 */

/** Prefix of headers only Mizan itself may set (debug, internal routing); never trusted from outside. */
export const INTERNAL_HEADER_PREFIX = 'x-mizan-'

/** Longest request URL accepted (a full `p` of 16 KiB percent-encoded fits). */
export const MAX_URL_LENGTH = 64 * 1024

/**
 * The request without `x-mizan-*` headers (the same object when it has none, the common case).
 *
 * @example
 * ```ts
 * stripInternalHeaders(new Request(url, { headers: { 'x-mizan-cache': 'HIT' } })).headers.has('x-mizan-cache') // false
 * ```
 */
export function stripInternalHeaders(request: Request): Request {
  let internal: string[] | undefined
  for (const name of request.headers.keys()) {
    if (name.startsWith(INTERNAL_HEADER_PREFIX)) (internal ??= []).push(name)
  }
  if (internal === undefined) return request
  const headers = new Headers(request.headers)
  for (const name of internal) headers.delete(name)
  return new Request(request, { headers })
}
