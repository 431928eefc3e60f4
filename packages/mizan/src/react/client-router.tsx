/**
 * The browser router: holds the current page, navigates with transitions (the old page stays
 * until the new one is ready), keeps history and scroll in step, and shows the 404 page when a
 * data function says `notFound()`.
 * @module
 */
import { Component, lazy, Suspense, useEffect, useLayoutEffect, useMemo, useRef, useState, useTransition, type ComponentType, type ReactNode } from 'react'
import { createMatcher } from '../compiler/match.ts'
import type { RouteParams } from '../types.ts'
import type { Router } from './context.ts'
import { DataError } from './errors.ts'
import { pickSearch, type DocumentComponent, type RouteModule } from './page.ts'
import { MizanRoot } from './root.tsx'
import type { DataStore } from './store.ts'

/**
 * A route as the browser entry lists it: its code is loaded on demand.
 *
 * @example
 * ```ts
 * const route: ClientRoute = { id: 'index', pattern: '/', load: () => import('/src/routes/index.tsx') }
 * ```
 */
export interface ClientRoute {
  readonly id: string
  readonly pattern: string
  readonly load: () => Promise<RouteModule>
}

/** The page on screen, and how it got there (what history and scroll must do). */
export interface PageState {
  readonly href: string
  /** `pathname + search`: what tells two pages apart (the hash does not). */
  readonly key: string
  readonly pathname: string
  readonly params: RouteParams
  readonly search: Readonly<Record<string, string>>
  readonly page: ComponentType<any>
  readonly mode: 'initial' | 'push' | 'replace' | 'pop'
  readonly scroll: boolean
}

/** Resolves a URL to the next page state (`null`: let the browser load it). */
export type PageResolver = (url: URL, mode: PageState['mode'], scroll: boolean) => Promise<PageState | null>

/**
 * Builds the resolver over the app's routes.
 *
 * @example
 * ```ts
 * const resolve = createResolver(routes, () => import('/src/routes/_404.tsx'))
 * ```
 */
export function createResolver(routes: readonly ClientRoute[], notFound: (() => Promise<RouteModule>) | undefined): { resolve: PageResolver; prefetch: (href: string) => void } {
  const match = createMatcher(routes)
  return {
    async resolve(url, mode, scroll) {
      const found = match(url.pathname)
      const module = found ? await found.route.load() : await notFound?.()
      if (module === undefined) return null
      const base = { href: url.href, key: url.pathname + url.search, pathname: url.pathname, page: module.default, mode, scroll }
      return found ? { ...base, params: found.params, search: pickSearch(url.searchParams, module.search) } : { ...base, params: {}, search: {} }
    },
    prefetch(href) {
      const url = new URL(href, location.href)
      if (url.origin === location.origin) match(url.pathname)?.route.load().catch(ignore)
    },
  }
}

/** The browser app: the router state around `MizanRoot`. */
export function ClientRouter(props: {
  store: DataStore
  document: DocumentComponent
  initial: PageState
  resolve: PageResolver
  prefetch: (href: string) => void
  notFound: ComponentType | undefined
}): ReactNode {
  const { resolve, prefetch } = props
  const [state, setState] = useState(props.initial)
  const [isNavigating, startNavigation] = useTransition()
  const latest = useRef(0)
  const shown = useRef(state)

  const go = useMemo(() => (href: string, mode: PageState['mode'], scroll: boolean) => {
    const url = new URL(href, location.href)
    if (url.origin !== location.origin) return location.assign(url.href)
    // Back/forward between entries of one page (hash changes) is not a navigation.
    if (mode === 'pop' && url.pathname + url.search === shown.current.key) return
    const ticket = ++latest.current
    startNavigation(async () => {
      let next: PageState | null = null
      try {
        next = await resolve(url, mode, scroll)
      } catch {
        // The page's code failed to load (often a deploy replaced it): a full load recovers.
      }
      if (ticket !== latest.current) return
      if (next === null) return location.assign(url.href)
      startNavigation(() => setState(next))
    })
  }, [resolve])

  useEffect(() => {
    const onPopState = () => go(location.href, 'pop', false)
    addEventListener('popstate', onPopState)
    return () => removeEventListener('popstate', onPopState)
  }, [go])

  // History moves when the new page commits, so the URL never names a page not yet shown.
  useLayoutEffect(() => {
    shown.current = state
    if (state.mode === 'push') history.pushState(null, '', state.href)
    else if (state.mode === 'replace') history.replaceState(null, '', state.href)
    if (state.scroll && state.mode !== 'initial') scrollTo(0, 0)
  }, [state])

  const router = useMemo((): Router => ({
    pathname: state.pathname,
    params: state.params,
    search: state.search,
    isNavigating,
    prefetch,
    navigate: (href, options) => go(href, options?.replace ? 'replace' : 'push', options?.scroll ?? true),
  }), [state, isNavigating, go, prefetch])

  const Page = state.page
  return (
    <MizanRoot store={props.store} router={router} document={props.document}>
      <NotFoundBoundary key={state.pathname} notFound={props.notFound}>
        <Page params={state.params} search={state.search} />
      </NotFoundBoundary>
    </MizanRoot>
  )
}

/**
 * The 404 page component loaded on first use.
 *
 * @example
 * ```ts
 * const NotFound = lazyNotFound(() => import('/src/routes/_404.tsx'))
 * ```
 */
export function lazyNotFound(load: (() => Promise<RouteModule>) | undefined): ComponentType | undefined {
  return load && lazy(load)
}

class NotFoundBoundary extends Component<{ notFound: ComponentType | undefined; children: ReactNode }, { error: unknown }> {
  override state = { error: undefined as unknown }
  static getDerivedStateFromError(error: unknown) {
    return { error }
  }
  override render(): ReactNode {
    const { error } = this.state
    if (error === undefined) return this.props.children
    const NotFound = this.props.notFound
    if (NotFound === undefined || !(error instanceof DataError && error.status === 404 && error.code === 'not-found')) throw error
    return (
      <Suspense>
        <NotFound />
      </Suspense>
    )
  }
}

function ignore(): void {}
