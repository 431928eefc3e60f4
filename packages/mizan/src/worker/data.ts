/**
 * The data endpoint: `GET|HEAD /_mizan/data/<encodeURIComponent(fn id)>?p=<canonical JSON>`.
 * @module
 */
import { NO_STORE } from './cache-control.ts'
import { callFunction, type CallResult } from './call.ts'
import { RequestContext, NotFoundSignal } from './context.ts'
import { respond } from './http.ts'
import type { Compiled } from './options.ts'
import { readParams } from './params.ts'
import { describeError, JSON_TYPE, jsonError } from './respond.ts'
import type { RequestCache } from './runtime.ts'

/** Path prefix of the data endpoint. */
export const DATA_PREFIX = '/_mizan/data/'

const EMPTY_PARAMS = Object.freeze({})

/**
 * Answers one data request: 200 with the result as JSON (through the cache when the
 * function's policy allows; `no-store` when it is `false`, per-user, or its tags break the
 * limits); 404 unknown function or `ctx.notFound()`; 400 bad params; 405 other methods; 500
 * when the function throws (details only in development). Errors are never cached.
 *
 * @example
 * ```ts
 * if (url.pathname.startsWith(DATA_PREFIX)) return handleData(compiled, request, url, env, dev, cache)
 * ```
 */
export async function handleData(c: Compiled, request: Request, url: URL, env: unknown, dev: boolean, cache: RequestCache | null): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return jsonError(request, 405, 'method-not-allowed', `the data endpoint answers GET and HEAD, not ${request.method}.`)
  }
  let id: string
  try {
    id = decodeURIComponent(url.pathname.slice(DATA_PREFIX.length))
  } catch {
    return jsonError(request, 400, 'invalid-function', 'the function id is not valid percent-encoded UTF-8.')
  }
  const fn = c.functions.get(id)
  if (fn === undefined) return jsonError(request, 404, 'unknown-function', `no data function ${JSON.stringify(id)} in this build.`)
  const input = readParams(url.search)
  if (!input.ok) return jsonError(request, 400, input.code, input.message)

  const ctx = new RequestContext(request, env, EMPTY_PARAMS, c.session)
  let result: CallResult
  try {
    result = await callFunction(fn, input.params, ctx, cache)
  } catch (error) {
    if (error instanceof NotFoundSignal) return jsonError(request, 404, 'not-found', `${id} found nothing for these params.`)
    c.onError(error, request)
    return jsonError(request, 500, 'internal', dev ? describeError(error) : 'the data function failed; the details are in the Worker logs.')
  }
  let json: string
  try {
    json = JSON.stringify(result.value) ?? 'null'
  } catch (error) {
    c.onError(error, request)
    return jsonError(request, 500, 'internal', dev ? `${id} returned a value that is not JSON: ${describeError(error)}` : 'the data function failed; the details are in the Worker logs.')
  }
  // With caching off (no secret, no backend) nothing could be purged: no shared cache may keep it.
  const cacheControl = result.cacheTag === null || cache === null ? NO_STORE : fn.cacheControl
  return respond(request, { status: 200, contentType: JSON_TYPE, body: json, cacheControl, cacheTag: result.cacheTag, state: result.state })
}
