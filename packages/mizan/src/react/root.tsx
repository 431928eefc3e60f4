/**
 * The tree both the server render and hydration produce, so they match node for node.
 * @module
 */
import { useState, type ReactNode } from 'react'
import { RouterContext, StoreContext, type Router } from './context.ts'
import type { DocumentComponent } from './page.ts'
import { createClientStore, type DataStore } from './store.ts'

/** Providers + the document around the page element. */
export function MizanRoot(props: { store: DataStore; router: Router; document: DocumentComponent; children: ReactNode }): ReactNode {
  const { document: Document } = props
  return (
    <StoreContext value={props.store}>
      <RouterContext value={props.router}>
        <Document>{props.children}</Document>
      </RouterContext>
    </StoreContext>
  )
}

/**
 * Provides a data store to the hooks below it — a browser store by default. Mizan pages
 * have one already; use it for tests and for trees rendered outside a page.
 *
 * @example
 * ```tsx
 * render(<DataProvider store={createClientStore({ endpoint })}><Suspense><Post /></Suspense></DataProvider>)
 * ```
 */
export function DataProvider(props: { store?: DataStore; children?: ReactNode }): ReactNode {
  const [fallback] = useState(() => props.store ?? createClientStore())
  return <StoreContext value={props.store ?? fallback}>{props.children}</StoreContext>
}
