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
  /** Loads every result in the store again (after an action changed data); resolves once all are replaced. */
  refetchAll(): Promise<void>
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
    refetchAll() {
      // A key splits at its last newline: canonical JSON has none (see get).
      return Promise.all([...entries.keys()].map((key) => {
        const at = key.lastIndexOf('\n')
        const canonical = key.slice(at + 1)
        return this.refetch(key.slice(0, at), canonical, JSON.parse(canonical) as object)
      })).then(noop)
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
  return (currentStore = createStore(
    (id, canonical) => request(id, endpoint + encodeURIComponent(id) + '?p=' + encodeURIComponent(canonical)),
    options?.seed,
  ))
}

/**
 * Runs action `id`: `POST /_mizan/action/<id>` with `input` as JSON; resolves with its value,
 * rejects with a `DataError`.
 *
 * @example
 * ```ts
 * const comment = await postAction('posts/[slug]#addComment', { slug: 'hello', body: 'Hi' })
 * ```
 */
export async function postAction(id: string, input: object): Promise<unknown> {
  const body = (await request(id, '/_mizan/action/' + encodeURIComponent(id), 'POST', JSON.stringify(input))) as { value: unknown }
  return body.value
}

/** One request to a Mizan endpoint: its JSON, or a `DataError` from its JSON error body. */
async function request(id: string, url: string, method?: string, body?: string): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, { method, body, headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' } })
  } catch (error) {
    throw new DataError(id, 0, 'network', `the request failed: ${String(error)}`)
  }
  if (response.ok) return response.json()
  let json: { error?: { code?: unknown; message?: unknown } } | undefined
  try {
    json = await response.json()
  } catch {
    // Not Mizan's JSON (a proxy's error page): fall back to the status line.
  }
  const code = typeof json?.error?.code === 'string' ? json.error.code : 'http'
  const message = typeof json?.error?.message === 'string' ? json.error.message : `the endpoint answered ${response.status}`
  throw new DataError(id, response.status, code, message)
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
