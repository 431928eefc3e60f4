/**
 * Partial static rendering (docs/psr.md). A page whose module has uncacheable functions is
 * prerendered with React's `prerender`: cacheable data is loaded (through the cache) and baked
 * in, every call of an uncacheable function suspends for good, and once no cacheable call is
 * left the prerender is aborted — the suspended boundaries become holes. The shell (`prelude`,
 * `postponed`) is cached like a page; each request streams the shell at once and `resume`s the
 * holes with its own data into the same response.
 * @module
 */
import { version as reactVersion } from 'react'
import { prerender } from 'react-dom/static.edge'
import type { PostponedState } from 'react-dom/static'
import { PAYLOAD_ID, type PagePayload } from '../react/page.ts'
import type { SeedEntry } from '../react/store.ts'
import { cacheTagOf } from './call.ts'
import { RequestContext } from './context.ts'
import { injectHtml } from './html.ts'
import type { CompiledRoute } from './options.ts'
import { failed, pageTree, payloadScript, readAll, renderNotFound, type PageRequest, type RenderedPage } from './render.tsx'
import { ServerData } from './server-data.ts'

/** The React version shells are made with: a shell from another version is never resumed. */
export const REACT_VERSION: string = reactVersion

/** The debug header saying why a page is not served from a shell (`empty-shell`). */
export const PSR_HEADER = 'x-mizan-psr'

/**
 * A page's shell as the cache keeps it.
 *
 * @example
 * ```ts
 * const entry: ShellEntry = { kind: 'shell', prelude: '<!DOCTYPE html>…', postponed: '{…}', build: 'cafe', react: '19.3.1', tags: ['posts'] }
 * ```
 */
export interface ShellEntry {
  readonly kind: 'shell'
  /**
   * The document up to the holes' output: stylesheet links written in, the payload script (the
   * shell's data, which also seeds each resume) at its end, no `</body></html>`.
   */
  readonly prelude: string
  /** React's postponed state, as JSON. */
  readonly postponed: string
  readonly build: string
  readonly react: string
  readonly tags: readonly string[]
}

/**
 * The cached verdict "this page's shell is empty" (a hole has no `<Suspense>` above it): render
 * it whole on every request, without prerendering it again first.
 *
 * @example
 * ```ts
 * const marker: EmptyShellEntry = { kind: 'empty', build: 'cafe', react: '19.3.1', tags: [] }
 * ```
 */
export interface EmptyShellEntry {
  readonly kind: 'empty'
  readonly build: string
  readonly react: string
  readonly tags: readonly string[]
}

/**
 * A shell ready to resume: its prelude as bytes (encoded once per cache entry).
 *
 * @example
 * ```ts
 * const shell = prepareShell(entry, Date.now() + 60_000)
 * ```
 */
export interface PreparedShell {
  readonly kind: 'shell' | 'empty'
  readonly freshUntil: number
  readonly prelude: Uint8Array<ArrayBuffer>
  readonly postponed: string
  /** The shell's data records, parsed once and deep-frozen: every resume of the shell shares them. */
  readonly seed: readonly SeedEntry[]
}

/**
 * What a prerender gave: a complete page (no hole was reached, or it is a 404/500), or a shell
 * / empty-shell verdict and whether it may be stored.
 */
export type Prerendered =
  | { readonly kind: 'page'; readonly page: RenderedPage }
  | { readonly kind: 'shell'; readonly entry: ShellEntry | EmptyShellEntry; readonly storable: boolean; readonly shell: PreparedShell }

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const TAIL = '</body></html>'
const EMPTY = new Uint8Array(0)

/** The abort reason of a finished prerender: React reports it once per hole; it is no error. */
const SHELL_DONE = new Error('mizan: the shell is complete; its holes are rendered per request')

/**
 * Whether a cached value is a shell (or empty-shell marker) this build and React version can
 * use. Another build's shell never reaches here under the same key (the key's version is the
 * build id); the check also covers a React upgrade under an unchanged build id.
 *
 * @example
 * ```ts
 * if (isShell(value) && usableShell(value, route)) …
 * ```
 */
export function usableShell(value: ShellEntry | EmptyShellEntry, route: CompiledRoute): boolean {
  return value.build === route.context.version && value.react === REACT_VERSION
}

/**
 * Whether a cached page value is a shell or an empty-shell marker.
 *
 * @example
 * ```ts
 * isShell({ kind: 'empty', build: 'b', react: '19.3.1', tags: [] }) // true
 * ```
 */
export function isShell(value: unknown): value is ShellEntry | EmptyShellEntry {
  const kind = (value as { kind?: unknown } | null)?.kind
  return kind === 'shell' || kind === 'empty'
}

/**
 * The prepared form of a cached shell.
 *
 * @example
 * ```ts
 * const shell = prepareShell(entry, envelope.freshUntil)
 * ```
 */
export function prepareShell(entry: ShellEntry | EmptyShellEntry, freshUntil: number): PreparedShell {
  if (entry.kind === 'empty') return { kind: 'empty', freshUntil, prelude: EMPTY, postponed: '', seed: [] }
  return { kind: 'shell', freshUntil, prelude: encoder.encode(entry.prelude), postponed: entry.postponed, seed: deepFreeze(payloadData(entry.prelude)) }
}

const PAYLOAD_OPEN = `<script id="${PAYLOAD_ID}" type="application/json">`
const SCRIPT_CLOSE = '</script>'

/** The data records of the payload script that ends a shell's prelude (escaped JSON is still JSON). */
function payloadData(prelude: string): SeedEntry[] {
  const at = prelude.lastIndexOf(PAYLOAD_OPEN)
  if (at === -1 || !prelude.endsWith(SCRIPT_CLOSE)) return []
  return (JSON.parse(prelude.slice(at + PAYLOAD_OPEN.length, -SCRIPT_CLOSE.length)) as PagePayload).data as SeedEntry[]
}

/** Freezes a JSON value through and through (a component that mutates shared data throws). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/**
 * Prerenders `route`: its cacheable data loaded and baked in, its uncacheable calls left as
 * holes. `notFound()` or a failure give the 404 / 500 page, as a full render would.
 *
 * @example
 * ```ts
 * const result = await prerenderRoute({ c: compiled, request, url, env, dev: false, cache, route, params: { slug: 'a' }, search: {} })
 * ```
 */
export async function prerenderRoute(page: PageRequest): Promise<Prerendered> {
  const { c, request, url, env, dev, cache, route, params, search } = page
  const data = new ServerData(c.functions, new RequestContext(request, env, params, c.session), cache, { prerender: true })
  const controller = new AbortController()
  const onError = (error: unknown): void => {
    if (error !== SHELL_DONE) data.fail(error)
  }
  let result: { prelude: ReadableStream<Uint8Array>; postponed: PostponedState | null } | undefined
  try {
    const state = { done: false }
    const rendering = prerender(pageTree(c, data, url.pathname, params, search, route.page), { bootstrapModules: c.bootstrapModules, onError, signal: controller.signal })
    const finished = rendering.then(
      () => (state.done = true),
      () => (state.done = true),
    )
    if (!(await Promise.race([finished, settled(data, state)]))) controller.abort(SHELL_DONE)
    result = await rendering
  } catch (error) {
    data.fail(error)
  }
  if (data.notFound) return { kind: 'page', page: await renderNotFound(c, request, url, env, dev, cache) }
  if (data.failure !== undefined || result === undefined) return { kind: 'page', page: failed(c, request, data.failure, dev) }
  const html = await readAll(result.prelude)
  const tags = [...data.tags]
  if (result.postponed === null) {
    const page = injectHtml(html, c.head, payloadScript(route.id, params, search, data.records))
    return { kind: 'page', page: { status: 200, html: page, cacheControl: data.freshness.header(), freshness: data.freshness, tags, stale: data.stale } }
  }
  const storable = !data.stale && route.cachePolicy !== null && data.freshness.allows(route.cachePolicy) && cacheTagOf(tags) !== null
  const build = route.context.version
  if (html.byteLength === 0) {
    const entry: EmptyShellEntry = { kind: 'empty', build, react: REACT_VERSION, tags }
    return { kind: 'shell', entry, storable, shell: prepareShell(entry, Infinity) }
  }
  let prelude = decoder.decode(html)
  if (prelude.endsWith(TAIL)) prelude = prelude.slice(0, -TAIL.length)
  const headAt = prelude.indexOf('</head>')
  const head = decoder.decode(c.head)
  if (head !== '' && headAt !== -1) prelude = prelude.slice(0, headAt) + head + prelude.slice(headAt)
  prelude += payloadScript(route.id, params, search, data.records)
  const entry: ShellEntry = { kind: 'shell', prelude, postponed: JSON.stringify(result.postponed), build, react: REACT_VERSION, tags }
  return { kind: 'shell', entry, storable, shell: prepareShell(entry, Infinity) }
}

/**
 * Resolves `false` once no cacheable call is pending and none started for two macrotasks
 * (React renders what a settled call unblocked in a later task, which may start more calls),
 * or `true` when the prerender finished by itself first.
 */
async function settled(data: ServerData, state: { done: boolean }): Promise<boolean> {
  for (;;) {
    await data.whenIdle()
    const started = data.started
    await macrotask()
    await macrotask()
    if (state.done) return true
    if (data.pending === 0 && data.started === started) return false
  }
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
