/**
 * Response builders with Mizan's headers.
 * @module
 */
import { errorPage } from './html.ts'
import { NO_STORE } from './cache-control.ts'

/** The data endpoint's content type. */
export const JSON_TYPE = 'application/json; charset=utf-8'
const HTML_TYPE = 'text/html; charset=utf-8'

/**
 * A JSON response; `HEAD` gets the headers only.
 *
 * @example
 * ```ts
 * jsonResponse(request, 200, '{"title":"A"}', 'public, max-age=0, s-maxage=60')
 * ```
 */
export function jsonResponse(request: Request, status: number, json: string, cacheControl: string): Response {
  return new Response(request.method === 'HEAD' ? null : json, {
    status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' },
  })
}

/**
 * The data endpoint's error body `{ error: { code, message } }`, never stored by caches.
 *
 * @example
 * ```ts
 * jsonError(request, 404, 'unknown-function', 'no data function "x#y" in this build')
 * ```
 */
export function jsonError(request: Request, status: number, code: string, message: string): Response {
  const response = jsonResponse(request, status, JSON.stringify({ error: { code, message } }), NO_STORE)
  if (status === 405) response.headers.set('allow', 'GET, HEAD')
  return response
}

/**
 * An HTML response; `HEAD` gets the headers only.
 *
 * @example
 * ```ts
 * htmlResponse(request, 404, html, 'no-store')
 * ```
 */
export function htmlResponse(request: Request, status: number, html: string | Uint8Array<ArrayBuffer>, cacheControl: string): Response {
  return new Response(request.method === 'HEAD' ? null : html, {
    status,
    headers: { 'content-type': HTML_TYPE, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' },
  })
}

/**
 * The plain 500 page; `details` (the stack) only in development.
 *
 * @example
 * ```ts
 * serverError(request, dev ? stackOf(error) : undefined)
 * ```
 */
export function serverError(request: Request, details: string | undefined): Response {
  return htmlResponse(request, 500, errorPage(details), NO_STORE)
}

/**
 * What development error responses show: the stack if there is one, else the message.
 *
 * @example
 * ```ts
 * describeError(new Error('boom')) // 'Error: boom\n    at …'
 * ```
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
}
