/**
 * Page rendering: match, render the document with the page to completion, then write the
 * payload and stylesheets in. The whole page is rendered before the response starts, because
 * its status (404 from `ctx.notFound()`, 500) and its `Cache-Control` (which functions ran)
 * are only known then.
 * @module
 */
import type { ComponentType, ReactNode } from 'react'
import { renderToReadableStream } from 'react-dom/server.edge'
import { pickSearch, PAYLOAD_ID } from '../react/page.ts'
import { MizanRoot } from '../react/root.tsx'
import { serverRouter } from '../react/router.ts'
import type { RouteParams } from '../types.ts'
import { NO_STORE } from './cache-control.ts'
import { RequestContext } from './context.ts'
import { escapeScriptJson, injectHtml } from './html.ts'
import type { Compiled } from './options.ts'
import { describeError, htmlResponse, serverError } from './respond.ts'
import { ServerData } from './server-data.ts'

const NO_PARAMS: RouteParams = Object.freeze({})
const NO_SEARCH: Readonly<Record<string, string>> = Object.freeze({})

/**
 * Renders the page for `url`, or the 404 page (status 404) when no route matches or a data
 * function called `ctx.notFound()`, or the 500 page.
 *
 * @example
 * ```ts
 * return renderPage(compiled, request, new URL(request.url), env, false)
 * ```
 */
export async function renderPage(c: Compiled, request: Request, url: URL, env: unknown, dev: boolean): Promise<Response> {
  const found = c.match(url.pathname)
  if (found === null) return renderNotFound(c, request, url, env, dev)
  const { route, params } = found
  const search = route.search === undefined ? NO_SEARCH : pickSearch(url.searchParams, route.search)
  const data = new ServerData(c.functions, new RequestContext(request, env, params, c.session))
  const html = await renderTree(c, data, url.pathname, params, search, route.page, route.id)
  if (data.notFound) return renderNotFound(c, request, url, env, dev)
  if (html === null) return failed(c, request, data.failure, dev)
  return htmlResponse(request, 200, html, data.freshness.header())
}

async function renderNotFound(c: Compiled, request: Request, url: URL, env: unknown, dev: boolean): Promise<Response> {
  const data = new ServerData(c.functions, new RequestContext(request, env, NO_PARAMS, c.session))
  const html = await renderTree(c, data, url.pathname, NO_PARAMS, NO_SEARCH, c.notFound ?? DefaultNotFound, null)
  if (html === null) return failed(c, request, data.failure ?? new Error('the 404 page called ctx.notFound()'), dev)
  return htmlResponse(request, 404, html, NO_STORE)
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
  const tree: ReactNode = (
    <MizanRoot store={data.store} router={serverRouter(pathname, params, search)} document={c.document}>
      <Page params={params} search={search} />
    </MizanRoot>
  )
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
  const payload = `{"route":${JSON.stringify(routeId)},"params":${JSON.stringify(params)},"search":${JSON.stringify(search)},"data":[${data.records.join(',')}]}`
  return injectHtml(html, c.head, `<script id="${PAYLOAD_ID}" type="application/json">${escapeScriptJson(payload)}</script>`)
}

/** The bytes of a finished stream, concatenated. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value)
    length += next.value.byteLength
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function failed(c: Compiled, request: Request, error: unknown, dev: boolean): Response {
  c.onError(error, request)
  return serverError(request, dev ? describeError(error) : undefined)
}

function DefaultNotFound(): ReactNode {
  return <h1>404 Not Found</h1>
}
