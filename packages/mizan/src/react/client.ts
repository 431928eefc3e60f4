/**
 * `mizan/react/client`: the browser entry's `hydrate()`. Kept apart from `mizan/react` so
 * only the entry pulls in `react-dom/client`.
 * @module
 */
import { createElement } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { ClientRouter, createResolver, lazyNotFound, type ClientRoute } from './client-router.tsx'
import { HOLES_ID, PAYLOAD_ID, type DocumentComponent, type PagePayload, type RouteModule } from './page.ts'
import { createClientStore } from './store.ts'

export type { ClientRoute } from './client-router.tsx'

/**
 * What the generated browser entry passes to `hydrate()`.
 *
 * @example
 * ```ts
 * const options: HydrateOptions = { document: Document, routes: [{ id: 'index', pattern: '/', load: () => import('./routes/index.tsx') }] }
 * ```
 */
export interface HydrateOptions {
  readonly document: DocumentComponent
  /** Every page route, in match order. */
  readonly routes: readonly ClientRoute[]
  /** The 404 page module, if the app has one. */
  readonly notFound?: () => Promise<RouteModule>
}

/**
 * Hydrates a page the Worker rendered: reads the embedded payload (and the data of a shell's
 * holes), seeds the data store with it (so nothing is fetched twice), loads the page's code,
 * then hydrates the whole document.
 * Resolves to the React root once hydration has been scheduled, or to `undefined` on pages
 * without a payload (the 500 page).
 *
 * @example
 * ```ts
 * import { hydrate } from 'mizan/react/client'
 * import Document from './root.tsx'
 * hydrate({ document: Document, routes: [{ id: 'index', pattern: '/', load: () => import('./routes/index.tsx') }] })
 * ```
 */
export async function hydrate(options: HydrateOptions): Promise<Root | undefined> {
  // The entry is an async module: it may run before the parser reaches the payload.
  if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
  const script = document.getElementById(PAYLOAD_ID)
  if (script === null) return undefined
  const payload = JSON.parse(script.textContent ?? '') as PagePayload
  // A page served from a shell (docs/psr.md) carries its holes' data in a second script.
  const holes = document.getElementById(HOLES_ID)
  const store = createClientStore({ seed: payload.data.concat(holes === null ? [] : JSON.parse(holes.textContent!)) })
  // A page from another build (a route this entry does not know) is left as server HTML.
  const load = payload.route === null ? options.notFound : options.routes.find((r) => r.id === payload.route)?.load
  if (load === undefined) return undefined
  const module = await load()
  const { resolve, prefetch } = createResolver(options.routes, options.notFound)
  const initial = {
    href: location.href,
    key: location.pathname + location.search,
    pathname: location.pathname,
    params: payload.params,
    search: payload.search,
    page: module.default,
    mode: 'initial' as const,
    scroll: false,
  }
  return hydrateRoot(
    document,
    createElement(ClientRouter, { store, document: options.document, initial, resolve, prefetch, notFound: lazyNotFound(options.notFound) }),
  )
}
