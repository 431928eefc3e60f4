/**
 * What a route module and the page payload look like to the runtimes, and the search param
 * filter both sides apply.
 * @module
 */
import type { ComponentType, ReactNode } from 'react'
import type { RouteParams } from '../types.ts'
import type { SeedEntry } from './store.ts'

/**
 * A route module as the runtimes see it: the page component and its declared search params.
 *
 * @example
 * ```ts
 * const mod: RouteModule = { default: PostPage, search: ['page'] }
 * ```
 */
export interface RouteModule {
  readonly default: ComponentType<any>
  readonly search?: readonly string[]
}

/**
 * The root document component (`src/root.tsx`).
 *
 * @example
 * ```tsx
 * const Document: DocumentComponent = ({ children }) => <html><body>{children}</body></html>
 * ```
 */
export type DocumentComponent = ComponentType<{ children?: ReactNode }>

/** The id of the `<script type="application/json">` that carries the page payload. */
export const PAYLOAD_ID = '__mizan_data'

/** The id of the script with the data records of a shell's holes (docs/psr.md), after the holes. */
export const HOLES_ID = '__mizan_holes'

/**
 * What the Worker embeds in a page for hydration. `route` is `null` on the 404 page.
 *
 * @example
 * ```ts
 * const payload: PagePayload = { route: 'posts/[slug]', params: { slug: 'a' }, search: {}, data: [['posts/[slug]#post', '{"slug":"a"}', { title: 'A' }]] }
 * ```
 */
export interface PagePayload {
  readonly route: string | null
  readonly params: RouteParams
  readonly search: Readonly<Record<string, string>>
  readonly data: readonly SeedEntry[]
}

const NONE: Readonly<Record<string, string>> = Object.freeze({})

/**
 * The declared search params of a page (first value of each), the others dropped.
 *
 * @example
 * ```ts
 * pickSearch(new URLSearchParams('page=2&utm=x'), ['page']) // { page: '2' }
 * ```
 */
export function pickSearch(query: URLSearchParams, declared: readonly string[] | undefined): Readonly<Record<string, string>> {
  if (declared === undefined || declared.length === 0) return NONE
  const search: Record<string, string> = {}
  for (const name of declared) {
    const value = query.get(name)
    if (value !== null) search[name] = value
  }
  return search
}
