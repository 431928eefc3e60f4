/**
 * The data store behind the hooks: one promise per (function id, canonical params), shared by
 * every hook that asks for it. The browser store loads through the data endpoint; the Worker
 * makes a request-scoped one that calls the functions directly.
 * @module
 */
import { DataError } from './errors.ts'

/** A promise that React's `use()` can read synchronously once settled. */
export type Entry = Promise<unknown> & { status?: 'pending' | 'fulfilled' | 'rejected'; value?: unknown; reason?: unknown }

/** Loads one result: `canonical` is the canonical JSON of `params`. */
export type Loader = (id: string, canonical: string, params: object) => Promise<unknown>

/** A result known up front (embedded in the page): `[function id, canonical params, value]`. */
export type SeedEntry = readonly [id: string, canonical: string, value: unknown]

/**
 * Where data hooks read their results.
 *
 * @example
 * ```ts
 * const store = createClientStore()
 * const post = await store.get('posts/[slug]#post', '{"slug":"hello"}', { slug: 'hello' })
 * ```
 */
export interface DataStore {
  /** The (shared) promise of this result; the first call starts loading it. */
  get(id: string, canonical: string, params: object): Entry
  /** Loads the result again; hooks keep showing the old one until the new one is there. */
  refetch(id: string, canonical: string, params: object): Promise<void>
  /** Called after a refetch replaced a result. */
  subscribe(listener: () => void): () => void
}

/**
 * A store over any loader, optionally seeded with known results.
 *
 * @example
 * ```ts
 * const store = createStore(async (id, canonical) => lookup(id, canonical), [['a#b', '{}', 42]])
 * ```
 */
export function createStore(load: Loader, seed?: Iterable<SeedEntry>): DataStore {
  const entries = new Map<string, Entry>()
  const refetching = new Map<string, Promise<void>>()
  const listeners = new Set<() => void>()
  if (seed) for (const [id, canonical, value] of seed) entries.set(id + '\n' + canonical, settled(value))
  const start = (id: string, canonical: string, params: object): Entry => track(load(id, canonical, params))

  return {
    get(id, canonical, params) {
      // Canonical JSON has no raw newline, so the key splits unambiguously at the last one.
      const key = id + '\n' + canonical
      let entry = entries.get(key)
      if (entry === undefined) entries.set(key, (entry = start(id, canonical, params)))
      return entry
    },
    refetch(id, canonical, params) {
      const key = id + '\n' + canonical
      let pending = refetching.get(key)
      if (pending === undefined) {
        const next = start(id, canonical, params)
        pending = next.then(noop, noop).then(() => {
          refetching.delete(key)
          entries.set(key, next)
          for (const listener of listeners) listener()
        })
        refetching.set(key, pending)
      }
      return pending
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

/**
 * The browser store: loads `GET <endpoint><encodeURIComponent(id)>?p=<canonical>`, at most
 * one request at a time per result. The last store created is the one `refetch()` uses.
 *
 * @example
 * ```tsx
 * <DataProvider store={createClientStore({ endpoint: 'https://app.example/_mizan/data/' })}>…</DataProvider>
 * ```
 */
export function createClientStore(options?: { endpoint?: string; seed?: Iterable<SeedEntry> }): DataStore {
  const endpoint = options?.endpoint ?? '/_mizan/data/'
  return (currentStore = createStore(async (id, canonical) => {
    const url = endpoint + encodeURIComponent(id) + '?p=' + encodeURIComponent(canonical)
    let response: Response
    try {
      response = await fetch(url, { headers: { accept: 'application/json' } })
    } catch (error) {
      throw new DataError(id, 0, 'network', `the data request failed: ${String(error)}`)
    }
    if (response.ok) return response.json()
    let body: { error?: { code?: unknown; message?: unknown } } | undefined
    try {
      body = await response.json()
    } catch {
      // Not Mizan's JSON (a proxy's error page): fall back to the status line.
    }
    const code = typeof body?.error?.code === 'string' ? body.error.code : 'http'
    const message = typeof body?.error?.message === 'string' ? body.error.message : `the data endpoint answered ${response.status}`
    throw new DataError(id, response.status, code, message)
  }, options?.seed))
}

let currentStore: DataStore | undefined

/** The store `refetch()` acts on: the last one `createClientStore()` made. */
export function activeStore(): DataStore | undefined {
  return currentStore
}

function track(promise: Promise<unknown>): Entry {
  const entry: Entry = promise
  entry.status = 'pending'
  promise.then(
    (value) => {
      entry.status = 'fulfilled'
      entry.value = value
    },
    (reason: unknown) => {
      entry.status = 'rejected'
      entry.reason = reason
    },
  )
  return entry
}

function settled(value: unknown): Entry {
  return Object.assign(Promise.resolve(value), { status: 'fulfilled' as const, value })
}

function noop(): void {}
