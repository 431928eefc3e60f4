/**
 * Pages through the cache. A page's entry lives under `{ fn: 'page:' + route id, version:
 * buildId }` with params `{ p: route params, s: declared search params }`, so undeclared search
 * params cannot split or poison it. A page is cached only when every function it ran is
 * public and cacheable for at least the route's lifetimes, none was served stale, it rendered
 * a 200, and the union of its functions' tags fits the limits; the entry carries that union. Concurrent misses render
 * once (the core's single flight) — except that a render which turns out uncacheable is never
 * handed to another request: each renders its own. A fresh entry is sent from its prepared
 * form (bytes, ETag, headers: page-hit.ts) without being decoded again.
 *
 * A route with uncacheable functions is cached as a prerendered shell instead (psr.ts), under
 * the same key, and served by resuming its holes per request (resume.ts); see docs/psr.md.
 * @module
 */
import { cacheFetch } from '@mizan/core'
import { pickSearch } from '../react/page.ts'
import { cacheTagOf } from './call.ts'
import { lifetimesCacheControl, NO_STORE } from './cache-control.ts'
import type { MizanEnv } from './context.ts'
import { respond } from './http.ts'
import type { Compiled, CompiledRoute } from './options.ts'
import { freshPage, preparePage, sendPrepared } from './page-hit.ts'
import { isShell, prepareShell, prerenderRoute, PSR_HEADER, usableShell, type EmptyShellEntry, type Prerendered, type ShellEntry } from './psr.ts'
import { NO_SEARCH, renderNotFound, renderRoute, type PageRequest, type RenderedPage } from './render.tsx'
import { resumeShell, type ShellState } from './resume.ts'
import type { RequestCache } from './runtime.ts'

const HTML_TYPE = 'text/html; charset=utf-8'

/**
 * What a page entry holds.
 *
 * @example
 * ```ts
 * const entry: PageEntry = { status: 200, body: '<!DOCTYPE html>…', tags: ['post:a', 'posts'] }
 * ```
 */
export interface PageEntry {
  readonly status: 200
  readonly body: string
  readonly tags: readonly string[]
}

/**
 * Answers a page request: the page for `url` (from the cache when it may be), or the 404 page.
 *
 * @example
 * ```ts
 * return servePage(compiled, request, url, env, dev, await runtime.cacheFor(request, env, ctx))
 * ```
 */
export async function servePage(c: Compiled, request: Request, url: URL, env: unknown, dev: boolean, cache: RequestCache | null): Promise<Response> {
  const found = c.match(url.pathname)
  if (found === null) return pageResponse(request, await renderNotFound(c, request, url, env, dev, cache), cache === null ? NO_STORE : undefined)
  const { route, params } = found
  const search = route.search === undefined ? NO_SEARCH : pickSearch(url.searchParams, route.search)
  const page: PageRequest = { c, request, url, env, dev, cache, route, params, search }
  const render = () => renderRoute(page)
  const policy = route.cachePolicy
  if (cache === null) return pageResponse(request, await render(), NO_STORE)
  if (policy === null || (env as MizanEnv | undefined)?.MIZAN_PAGE_CACHE === 'off') return pageResponse(request, await render())

  const key = { p: params, s: search }
  const hit = await freshPage(cache, route, key, policy)
  if (hit !== undefined) {
    if (hit.kind === 'page') return sendPrepared(request, hit, 'HIT')
    if (hit.kind === 'shell') return resumeShell(page, hit, 'SHELL-HIT+RESUME')
    return emptyShell(request, await render())
  }
  const owner = {}
  try {
    const result = await cacheFetch<PageEntry | ShellEntry | EmptyShellEntry>({
      secret: cache.secret,
      backend: cache.backend,
      context: route.context,
      params: key,
      policy,
      waitUntil: cache.waitUntil,
      compute: async ({ addTags }) => {
        if (route.holes) {
          const shell = await prerenderRoute(page)
          if (shell.kind === 'shell') {
            if (!shell.storable) throw new NotStored(owner, shell)
            addTags(...shell.entry.tags)
            return shell.entry
          }
          return storedPage(shell.page, route, owner, addTags)
        }
        return storedPage(await render(), route, owner, addTags)
      },
    })
    const value = result.value
    if (isShell(value)) {
      // Unreachable under this build's key unless React changed under the same build id: redo it.
      if (!usableShell(value, route)) return await fromPrerender(await prerenderRoute(page), 'SHELL-BYPASS+RESUME')
      if (value.kind === 'empty') return emptyShell(request, await render())
      return resumeShell(page, prepareShell(value, Infinity), `SHELL-${result.state}+RESUME`)
    }
    const prepared = await preparePage(value.body, result.tags, policy, Infinity)
    if (prepared !== null) return sendPrepared(request, prepared, result.state)
    return await respond(request, { status: 200, contentType: HTML_TYPE, body: value.body, cacheControl: lifetimesCacheControl(policy), cacheTag: null, state: 'BYPASS' })
  } catch (error) {
    if (!(error instanceof NotStored)) throw error
    if (error.owner !== owner) return pageResponse(request, await render())
    return await fromPrerender(error.result, 'SHELL-BYPASS+RESUME')
  }

  /** A prerender's result served without the cache (not storable, or not usable). */
  async function fromPrerender(result: Prerendered | RenderedPage, state: ShellState): Promise<Response> {
    if (!('kind' in result)) return pageResponse(request, result)
    if (result.kind === 'page') return pageResponse(request, result.page)
    if (result.shell.kind === 'empty') return emptyShell(request, await render())
    return resumeShell(page, result.shell, state)
  }
}

/** What a page computation stores: a 200 within the route's policy, else `NotStored` for its owner. */
function storedPage(page: RenderedPage, route: CompiledRoute, owner: object, addTags: (...tags: string[]) => void): PageEntry {
  if (!storable(page, route)) throw new NotStored(owner, page)
  addTags(...page.tags)
  return { status: 200, body: decoder.decode(page.html), tags: page.tags }
}

/** A page whose shell is empty (a hole outside any `<Suspense>`): rendered whole, and said so. */
async function emptyShell(request: Request, page: RenderedPage): Promise<Response> {
  const response = await pageResponse(request, page)
  response.headers.set(PSR_HEADER, 'empty-shell')
  return response
}

const decoder = new TextDecoder()

/**
 * A page rendered outside the cache (or refused by it). `cacheControl` overrides the page's
 * own when caching is off: with no secret or backend nothing can be purged, so no shared cache
 * may keep the page.
 */
function pageResponse(request: Request, page: RenderedPage, cacheControl = page.cacheControl): Promise<Response> {
  const cacheTag = page.freshness.uncacheable || cacheControl === NO_STORE ? null : cacheTagOf(page.tags)
  return respond(request, { status: page.status, contentType: HTML_TYPE, body: page.html, cacheControl, cacheTag, state: 'BYPASS' })
}

function storable(page: RenderedPage, route: CompiledRoute): boolean {
  return page.status === 200 && !page.stale && page.html.byteLength > 0 && route.cachePolicy !== null && page.freshness.allows(route.cachePolicy) && cacheTagOf(page.tags) !== null
}

/**
 * Thrown out of a page computation that must not be stored, so that `cacheFetch` stores
 * nothing; it carries the render for the request that made it (`owner`) only.
 */
class NotStored extends Error {
  readonly owner: object
  readonly result: RenderedPage | Prerendered
  constructor(owner: object, result: RenderedPage | Prerendered) {
    super('this render is not cacheable')
    this.owner = owner
    this.result = result
  }
}
