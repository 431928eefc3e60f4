/**
 * `useRouter()` and the static router of a server render.
 * @module
 */
import { useContext } from 'react'
import type { RouteParams } from '../types.ts'
import { RouterContext, type Router } from './context.ts'

/**
 * The current location and navigation: `{ pathname, params, search, navigate, prefetch,
 * isNavigating }`.
 *
 * @example
 * ```tsx
 * function Pager() {
 *   const { search, navigate, isNavigating } = useRouter()
 *   const page = Number(search.page ?? 1)
 *   return <button disabled={isNavigating} onClick={() => navigate(`?page=${page + 1}`)}>Next</button>
 * }
 * ```
 */
export function useRouter(): Router {
  const router = useContext(RouterContext)
  if (router === null) throw new Error('useRouter() ran outside a Mizan page: render the component inside a route (or a router in tests).')
  return router
}

/**
 * The router of a server render: the request's location; navigation only exists in the browser.
 *
 * @example
 * ```ts
 * const router = serverRouter('/posts/a', { slug: 'a' }, {})
 * ```
 */
export function serverRouter(pathname: string, params: RouteParams, search: Readonly<Record<string, string>>): Router {
  return { pathname, params, search, navigate: navigateOnServer, prefetch: ignore, isNavigating: false }
}

function navigateOnServer(): never {
  throw new Error('navigate() cannot run during a server render: call it from an event handler or an effect.')
}

function ignore(): void {}
