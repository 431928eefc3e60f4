/**
 * Page rendering: render the document with the page to completion, then write the
 * payload and stylesheets in. The whole page is rendered before the response starts, because
 * its status (404 from `ctx.notFound()`, 500) and its `Cache-Control` (which functions ran)
 * are only known then.
 * @module
 */
import type { ComponentType, ReactNode } from 'react'
import { renderToReadableStream } from 'react-dom/server.edge'
import { concatBytes } from '@mizan/core'
import { PAYLOAD_ID } from '../react/page.ts'
import { MizanRoot } from '../react/root.tsx'
import { serverRouter } from '../react/router.ts'
import type { RouteParams } from '../types.ts'
import { CacheFreshness, NO_STORE } from './cache-control.ts'
import { RequestContext } from './context.ts'
import { errorPage, escapeScriptJson, injectHtml, utf8 } from './html.ts'
import type { Compiled, CompiledRoute } from './options.ts'
import { describeError } from './respond.ts'
import type { RequestCache } from './runtime.ts'
import { ServerData } from './server-data.ts'

/** The search params of a route that declares none. */
export const NO_SEARCH: Readonly<Record<string, string>> = Object.freeze({})

const NO_PARAMS: RouteParams = Object.freeze({})

/**
 * A rendered page before it becomes a response: its status, HTML and what the data functions
 * that ran allow (`Cache-Control`, the union of their tags).
 *
 * @example
 * ```ts
 * const page = await renderRoute({ c: compiled, request, url, env, dev, cache, route, params, search })
 * page.status // 200, 404 or 500
 * ```
 */
export interface RenderedPage {
  readonly status: number
  readonly html: Uint8Array<ArrayBuffer>
  readonly cacheControl: string
  /** How long the functions that ran let the page be kept, `null` when it must not be shared. */
  readonly freshness: CacheFreshness
  readonly tags: readonly string[]
  /** A function's value was stale: the page may be served but not stored. */
  readonly stale: boolean
}

/**
 * One page request as rendering sees it: the compiled app, the request, the matched route with
 * its params and declared search params, and the cache (`null` when caching is off).
 *
 * @example
 * ```ts
 * const page: PageRequest = { c: compiled, request, url, env, dev: false, cache: null, route, params: { slug: 'a' }, search: {} }
 * ```
 */
export interface PageRequest {
  readonly c: Compiled
  readonly request: Request
  readonly url: URL
  readonly env: unknown
  readonly dev: boolean
  readonly cache: RequestCache | null
  readonly route: CompiledRoute
  readonly params: RouteParams
  readonly search: Readonly<Record<string, string>>
}

/**
 * Renders `route`, or the 404 page (status 404) when a data function called `ctx.notFound()`,
 * or the 500 page.
 *
 * @example
 * ```ts
 * const page = await renderRoute({ c: compiled, request, url, env, dev: false, cache: null, route, params: { slug: 'a' }, search: {} })
 * ```
 */
export async function renderRoute(page: PageRequest): Promise<RenderedPage> {
  const { c, request, url, env, dev, cache, route, params, search } = page
  const data = new ServerData(c.functions, new RequestContext(request, env, params, c.session), cache)
  const html = await renderTree(c, data, url.pathname, params, search, route.page, route.id)
  if (data.notFound) return renderNotFound(c, request, url, env, dev, cache)
  if (html === null) return failed(c, request, data.failure, dev)
  return { status: 200, html, cacheControl: data.freshness.header(), freshness: data.freshness, tags: [...data.tags], stale: data.stale }
}

/**
 * The 404 page (never cached: its functions' results are, on their own keys).
 *
 * @example
 * ```ts
 * if (c.match(url.pathname) === null) return renderNotFound(c, request, url, env, dev, cache)
 * ```
 */
export async function renderNotFound(c: Compiled, request: Request, url: URL, env: unknown, dev: boolean, cache: RequestCache | null): Promise<RenderedPage> {
  const data = new ServerData(c.functions, new RequestContext(request, env, NO_PARAMS, c.session), cache)
  const html = await renderTree(c, data, url.pathname, NO_PARAMS, NO_SEARCH, c.notFound ?? DefaultNotFound, null)
  if (html === null) return failed(c, request, data.failure ?? new Error('the 404 page called ctx.notFound()'), dev)
  return uncacheable(404, html)
}

/** The page's HTML bytes, or `null` when something failed (recorded in `data`). */
async function renderTree(
  c: Compiled,
  data: ServerData,
  pathname: string,
  params: RouteParams,
  search: Readonly<Record<string, string>>,
  Page: ComponentType<any>,
  routeId: string | null,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const onError = (error: unknown) => data.fail(error)
  const tree = pageTree(c, data, pathname, params, search, Page)
  let html: Uint8Array
  try {
    const stream = await renderToReadableStream(tree, { bootstrapModules: c.bootstrapModules, onError })
    await stream.allReady
    html = await readAll(stream)
  } catch (error) {
    data.fail(error)
    return null
  }
  if (data.notFound || data.failure !== undefined) return null
  return injectHtml(html, c.head, payloadScript(routeId, params, search, data.records))
}

/**
 * The element tree of a page: the same for a render, a prerender and its resumes (React
 * resumes a shell only into the tree it was prerendered from).
 *
 * @example
 * ```ts
 * const tree = pageTree(compiled, data, '/posts/a', { slug: 'a' }, {}, route.page)
 * ```
 */
export function pageTree(c: Compiled, data: ServerData, pathname: string, params: RouteParams, search: Readonly<Record<string, string>>, Page: ComponentType<any>): ReactNode {
  return (
    <MizanRoot store={data.store} router={serverRouter(pathname, params, search)} document={c.document}>
      <Page params={params} search={search} />
    </MizanRoot>
  )
}

/**
 * The page payload script (what hydration reads) for the data `records` of a render.
 *
 * @example
 * ```ts
 * payloadScript('index', {}, {}, data.records) // '<script id="__mizan_data" type="application/json">…</script>'
 * ```
 */
export function payloadScript(routeId: string | null, params: RouteParams, search: Readonly<Record<string, string>>, records: readonly string[]): string {
  const payload = `{"route":${JSON.stringify(routeId)},"params":${JSON.stringify(params)},"search":${JSON.stringify(search)},"data":[${records.join(',')}]}`
  return `<script id="${PAYLOAD_ID}" type="application/json">${escapeScriptJson(payload)}</script>`
}

/**
 * The bytes of a finished stream, concatenated.
 *
 * @example
 * ```ts
 * const html = await readAll(stream)
 * ```
 */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value)
    length += next.value.byteLength
  }
  return concatBytes(chunks, length)
}

/**
 * The 500 page for `error` (reported through `onError`), never cached.
 *
 * @example
 * ```ts
 * if (data.failure !== undefined) return failed(compiled, request, data.failure, dev)
 * ```
 */
export function failed(c: Compiled, request: Request, error: unknown, dev: boolean): RenderedPage {
  c.onError(error, request)
  return uncacheable(500, utf8(errorPage(dev ? describeError(error) : undefined)))
}

function uncacheable(status: number, html: Uint8Array<ArrayBuffer>): RenderedPage {
  const freshness = new CacheFreshness()
  freshness.refuse()
  return { status, html, cacheControl: NO_STORE, freshness, tags: [], stale: false }
}

function DefaultNotFound(): ReactNode {
  return <h1>404 Not Found</h1>
}
