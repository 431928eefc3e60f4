/**
 * The action endpoint: `POST /_mizan/action/<encodeURIComponent(action id)>` with the input as a
 * JSON body. Never cached. After the action succeeds its tags (filled from the input, plus
 * `ctx.addTags`) are purged from this Worker's cache through the same ABI call a signed purge
 * makes, and sent to the CDN purger in the background like a signed purge's.
 * @module
 */
import { cachePurgeTags, fillTagTemplate, normalizeTags, readBodyLimited, TagError } from '@mizan/core'
import { NO_STORE } from './cache-control.ts'
import { CallContext, NotFoundSignal, RequestContext } from './context.ts'
import type { CompiledAction, Compiled } from './options.ts'
import { MAX_PARAMS_BYTES, readJsonObject } from './params.ts'
import type { TagPurger } from './purge.ts'
import { describeError, JSON_TYPE, jsonError } from './respond.ts'
import type { RequestCache } from './runtime.ts'

/** Path prefix of the action endpoint. */
export const ACTION_PREFIX = '/_mizan/action/'

const EMPTY_PARAMS = Object.freeze({})

/** Where the action's purge goes: this Worker's cache (`null` when caching is off) and the CDN. */
export interface ActionPurge {
  readonly cache: RequestCache | null
  readonly cdn: TagPurger | null
  readonly report: (error: unknown) => void
}

/**
 * Answers one action request: 200 `{ "value": <result> }`; 405 (+ `Allow: POST`) for other
 * methods; 415 without `content-type: application/json`; 403 when an `Origin` header names
 * another origin (cross-site request forgery); 404 unknown action or `ctx.notFound()`; 400 a bad
 * body or input that cannot fill the tags; 413 a body over the size limit; 500 when the action
 * throws (details only in development); 503 when the action ran but its purge failed.
 * Every answer is `Cache-Control: no-store`; nothing is written to the cache.
 *
 * @example
 * ```ts
 * if (url.pathname.startsWith(ACTION_PREFIX)) return handleAction(compiled, request, url, env, dev, purge)
 * ```
 */
export async function handleAction(c: Compiled, request: Request, url: URL, env: unknown, dev: boolean, purge: () => Promise<ActionPurge>): Promise<Response> {
  if (request.method !== 'POST') {
    const response = jsonError(request, 405, 'method-not-allowed', `actions answer POST, not ${request.method}.`)
    response.headers.set('allow', 'POST')
    return response
  }
  // Read (bounded) before any refusal: a response sent over an unread body breaks the next request
  // on the same connection behind `vite preview`'s proxy (seen as sporadic 500s in build.test.ts).
  const text = await readBody(request)
  let id: string
  try {
    id = decodeURIComponent(url.pathname.slice(ACTION_PREFIX.length))
  } catch {
    return jsonError(request, 400, 'invalid-action', 'the action id is not valid percent-encoded UTF-8.')
  }
  const origin = request.headers.get('origin')
  if (origin !== null && origin !== url.origin) {
    return jsonError(request, 403, 'cross-origin', `actions accept requests from ${url.origin} only, this one came from ${origin}.`)
  }
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
    return jsonError(request, 415, 'unsupported-media-type', 'an action body must be sent with content-type: application/json.')
  }
  const action = c.actions.get(id)
  if (action === undefined) return jsonError(request, 404, 'unknown-action', `no action ${JSON.stringify(id)} in this build.`)
  if (text === null) return jsonError(request, 413, 'input-too-large', `the body is larger than ${MAX_PARAMS_BYTES} bytes.`)
  const input = readJsonObject(text, 'the body', 'input')
  if (!input.ok) return jsonError(request, input.code.endsWith('-too-large') ? 413 : 400, input.code, input.message)
  // Filled before the action runs: input that cannot name its tags must not cause a write.
  const filled = fillTags(action, input.params)
  if (typeof filled === 'string') return jsonError(request, 400, 'invalid-input', filled)

  const added: string[] = []
  const ctx = new CallContext(new RequestContext(request, env, EMPTY_PARAMS, c.session), (...tags) => void added.push(...tags))
  let value: unknown
  try {
    value = await action.call(input.params, ctx)
  } catch (error) {
    if (error instanceof NotFoundSignal) return jsonError(request, 404, 'not-found', `${id} found nothing for this input.`)
    c.onError(error, request)
    return jsonError(request, 500, 'internal', dev ? describeError(error) : 'the action failed; the details are in the Worker logs.')
  }
  // The action returned: whatever it wrote is written, so its tags are purged even if the
  // value cannot be sent.
  const failure = await purgeTags([...filled, ...added], await purge())
  if (failure !== null) {
    c.onError(failure, request)
    const response = jsonError(request, 503, 'purge-failed',
      `the action ran, but purging its tags failed, so cached pages may still show the old data: ${dev ? describeError(failure) : 'the details are in the Worker logs'}.`)
    response.headers.set('retry-after', '1')
    return response
  }
  let json: string
  try {
    json = `{"value":${JSON.stringify(value) ?? 'null'}}`
  } catch (error) {
    c.onError(error, request)
    return jsonError(request, 500, 'internal', dev ? `${id} returned a value that is not JSON: ${describeError(error)}` : 'the action failed; the details are in the Worker logs.')
  }
  return new Response(json, { status: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE, 'x-content-type-options': 'nosniff' } })
}

/** Purges `tags` (normalised) from the cache; resolves with the failure, `null` on success. */
async function purgeTags(tags: readonly string[], purge: ActionPurge): Promise<unknown> {
  let normalized: string[]
  try {
    normalized = [...new Set(tags.flatMap((tag) => normalizeTags([tag])))]
  } catch (error) {
    return error
  }
  if (normalized.length === 0) return null
  // With caching off nothing was stored, so there is nothing to purge here.
  if (purge.cache !== null) {
    try {
      await cachePurgeTags(purge.cache.backend, normalized)
    } catch (error) {
      return error
    }
  }
  if (purge.cdn !== null) {
    const background = purge.cdn.purgeTags(normalized).catch(purge.report)
    purge.cache?.waitUntil(background)
  }
  return null
}

function fillTags(action: CompiledAction, input: object): string[] | string {
  try {
    return action.tagTemplates.map((template) => fillTagTemplate(template, input as Record<string, unknown>))
  } catch (error) {
    if (error instanceof TagError) return `the input cannot fill the action's tags: ${error.message}`
    throw error
  }
}

/** The body as text, or `null` when it is over the limit (read no further than that). */
async function readBody(request: Request): Promise<string | null> {
  const body = await readBodyLimited(request, MAX_PARAMS_BYTES)
  return body === null ? null : new TextDecoder().decode(body)
}
