/**
 * The React contexts shared by the browser runtime and the Worker's server render.
 * @module
 */
import { createContext } from 'react'
import type { RouteParams } from '../types.ts'
import type { DataStore } from './store.ts'

/** The data store of the current tree (a request-scoped one during a server render). */
export const StoreContext = createContext<DataStore | null>(null)

/**
 * Navigation options.
 *
 * @example
 * ```ts
 * router.navigate('/login', { replace: true })
 * ```
 */
export interface NavigateOptions {
  /** Replace the current history entry instead of pushing one. */
  readonly replace?: boolean
  /** Scroll to the top after the new page shows (default `true`). */
  readonly scroll?: boolean
}

/**
 * What `useRouter()` returns.
 *
 * @example
 * ```tsx
 * const { pathname, isNavigating, navigate } = useRouter()
 * ```
 */
export interface Router {
  readonly pathname: string
  readonly params: RouteParams
  /** The search params the page declared (others are stripped). */
  readonly search: Readonly<Record<string, string>>
  /** Client-side navigation; the current page stays until the next one is ready. */
  navigate(href: string, options?: NavigateOptions): void
  /** Loads the code of the page at `href` ahead of a navigation. */
  prefetch(href: string): void
  readonly isNavigating: boolean
}

/** The router of the current tree. */
export const RouterContext = createContext<Router | null>(null)
