/**
 * `createHandler()`: the render Worker's `fetch`.
 * @module
 */
import { PURGE_PATH } from '@mizan/core'
import { ACTION_PREFIX, handleAction } from './action.ts'
import type { MizanEnv } from './context.ts'
import { DATA_PREFIX, handleData } from './data.ts'
import { EDGE_DEFAULTS } from './defaults.ts'
import { finalize } from './http.ts'
import { compileOptions, type HandlerOptions } from './options.ts'
import { servePage } from './page.ts'
import { handlePurge } from './purge.ts'
import { MAX_URL_LENGTH, stripInternalHeaders } from './request.ts'
import { describeError, jsonError, serverError } from './respond.ts'
import { inRequestScope } from './request-scope.ts'
import { CacheRuntime } from './runtime.ts'

/**
 * The Worker module object: `export default createHandler(…)`.
 *
 * @example
 * ```ts
 * const response = await handler.fetch(new Request('https://app.example/'), env, ctx)
 * ```
 */
export interface MizanHandler {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>
}

/**
 * Builds the render Worker from the generated entry's options (checked and compiled here,
 * once). Pipeline per request: drop `x-mizan-*` headers → the purge endpoint → the data
 * endpoint → the action endpoint → pages (404 page when nothing matches). Data and pages go
 * through the cache when their policies allow; every response says what the cache did in
 * `x-mizan-cache`. Only GET and HEAD are served (and POST on the purge and action endpoints).
 *
 * @example
 * ```ts
 * export default createHandler({ manifest, document: Document, notFound: NotFound, session,
 *   routes: [{ id: 'index', pattern: '/', module: m0 }], clientEntry: '/assets/client.js', css: [] })
 * ```
 */
export function createHandler(options: HandlerOptions): MizanHandler {
  const c = compileOptions(options)
  const runtime = new CacheRuntime({
    backend: c.backend ?? EDGE_DEFAULTS.backend,
    replay: c.replay ?? EDGE_DEFAULTS.replay,
    cdn: c.cdn === undefined ? EDGE_DEFAULTS.cdn : c.cdn,
    onError: c.onError,
  })
  return {
    fetch: (incoming, env, ctx) => inRequestScope(env, ctx, () => handle(incoming, env, ctx)),
  }

  async function handle(incoming: Request, env: unknown, ctx: unknown): Promise<Response> {
    const dev = c.dev || isTruthy((env as MizanEnv | undefined)?.MIZAN_DEV)
    let request = incoming
    try {
      if (request.url.length > MAX_URL_LENGTH) return finalize(jsonError(request, 414, 'url-too-long', `the URL is longer than ${MAX_URL_LENGTH} characters.`))
      request = stripInternalHeaders(request)
      const url = new URL(request.url)
      if (url.pathname === PURGE_PATH) return finalize(await handlePurge(request, env, ctx, runtime, runtime.cdn(request, env)))
      if (url.pathname.startsWith(DATA_PREFIX)) return finalize(await handleData(c, request, url, env, dev, await cacheFor(request, env, ctx)))
      if (url.pathname.startsWith(ACTION_PREFIX)) {
        // The action's purge reaches the cache whatever the method (cacheFor gives none to a POST).
        const purge = async () => ({ cache: await runtime.cacheFor(request, env, ctx), cdn: runtime.cdn(request, env), report: (error: unknown) => runtime.report(error, request) })
        return finalize(await handleAction(c, request, url, env, dev, purge))
      }
      if (url.pathname.startsWith('/_mizan/')) return finalize(jsonError(request, 404, 'not-found', `${url.pathname} is not a Mizan endpoint.`))
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return finalize(new Response(`${request.method} is not supported: pages answer GET and HEAD.\n`, { status: 405, headers: { allow: 'GET, HEAD', 'cache-control': 'no-store' } }))
      }
      return finalize(await servePage(c, request, url, env, dev, await cacheFor(request, env, ctx)))
    } catch (error) {
      c.onError(error, request)
      return finalize(serverError(request, dev ? describeError(error) : undefined))
    }
  }

  /** GET and HEAD share entries; other methods never touch the cache. */
  function cacheFor(request: Request, env: unknown, ctx: unknown) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null
    return runtime.cacheFor(request, env, ctx)
  }
}

function isTruthy(value: unknown): boolean {
  return value === true || value === '1' || value === 'true'
}
