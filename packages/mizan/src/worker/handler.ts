/**
 * `createHandler()`: the render Worker's `fetch`.
 * @module
 */
import type { MizanEnv } from './context.ts'
import { DATA_PREFIX, handleData } from './data.ts'
import { compileOptions, type HandlerOptions } from './options.ts'
import { renderPage } from './render.tsx'
import { MAX_URL_LENGTH, stripInternalHeaders } from './request.ts'
import { describeError, jsonError, serverError } from './respond.ts'

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
 * once). Pipeline per request: drop `x-mizan-*` headers → the data endpoint → pages (404 page
 * when nothing matches). Only GET and HEAD are served.
 *
 * @example
 * ```ts
 * export default createHandler({ manifest, document: Document, notFound: NotFound, session,
 *   routes: [{ id: 'index', pattern: '/', module: m0 }], clientEntry: '/assets/client.js', css: [] })
 * ```
 */
export function createHandler(options: HandlerOptions): MizanHandler {
  const c = compileOptions(options)
  return {
    async fetch(incoming, env) {
      const dev = c.dev || isTruthy((env as MizanEnv | undefined)?.MIZAN_DEV)
      let request = incoming
      try {
        if (request.url.length > MAX_URL_LENGTH) return jsonError(request, 414, 'url-too-long', `the URL is longer than ${MAX_URL_LENGTH} characters.`)
        request = stripInternalHeaders(request)
        const url = new URL(request.url)
        if (url.pathname.startsWith(DATA_PREFIX)) return await handleData(c, request, url, env, dev)
        if (url.pathname.startsWith('/_mizan/')) return jsonError(request, 404, 'not-found', `${url.pathname} is not a Mizan endpoint.`)
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          return new Response(`${request.method} is not supported: pages answer GET and HEAD.\n`, { status: 405, headers: { allow: 'GET, HEAD', 'cache-control': 'no-store' } })
        }
        return await renderPage(c, request, url, env, dev)
      } catch (error) {
        c.onError(error, request)
        return serverError(request, dev ? describeError(error) : undefined)
      }
    },
  }
}

function isTruthy(value: unknown): boolean {
  return value === true || value === '1' || value === 'true'
}
