/**
 * One cache backend object for the whole isolate, doing its I/O through a backend made for the
 * current request. Both are needed in workerd: the core's single flight is keyed by backend
 * object (so concurrent requests share one computation only if they share the backend), while
 * I/O objects — Durable Object stubs, Cache API handles — belong to the request that created
 * them and fail when another request touches them. The request is found with
 * `AsyncLocalStorage` (`nodejs_compat`): a flight's work runs in the async context of the
 * request that leads it, the others only await its promise.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { BackendError } from '@mizan/core'
import type { CacheBackend, EntryRef, Lease, PurgeReport, PurgeTarget, PutRequest, Ticket } from '@mizan/core'

interface Scope {
  readonly env: unknown
  readonly ctx: unknown
  backend?: CacheBackend
}

const scopes = new AsyncLocalStorage<Scope>()

/**
 * Runs `fn` as the request with `env` and `ctx`.
 *
 * @example
 * ```ts
 * fetch: (request, env, ctx) => inRequestScope(env, ctx, () => handle(request, env, ctx))
 * ```
 */
export function inRequestScope<T>(env: unknown, ctx: unknown, fn: () => T): T {
  return scopes.run({ env, ctx }, fn)
}

/**
 * The isolate's backend: every call goes to `make(env, ctx)` of the current request (made once
 * per request). Outside a request scope calls fail, and the core treats that as a cache failure.
 *
 * @example
 * ```ts
 * const backend = new RequestScopedBackend((env, ctx) => createEdgeBackend(env, ctx), 'edge', 300_000)
 * ```
 */
export class RequestScopedBackend implements CacheBackend {
  readonly name: string
  readonly markerTtlMs: number
  /** Its I/O belongs to the current request: `cacheFetch` shares no promise between requests. */
  readonly requestScoped = true
  private readonly make: (env: unknown, ctx: unknown) => CacheBackend

  constructor(make: (env: unknown, ctx: unknown) => CacheBackend, name: string, markerTtlMs: number) {
    this.make = make
    this.name = name
    this.markerTtlMs = markerTtlMs
  }

  get(ref: EntryRef): Promise<Uint8Array | null> {
    return this.current().then((b) => b.get(ref))
  }

  ticket(): Promise<Ticket> {
    return this.current().then((b) => b.ticket())
  }

  put(request: PutRequest): Promise<boolean> {
    return this.current().then((b) => b.put(request))
  }

  delete(ref: EntryRef): Promise<void> {
    return this.current().then((b) => b.delete(ref))
  }

  purge(target: PurgeTarget): Promise<PurgeReport> {
    return this.current().then((b) => b.purge(target))
  }

  lease(ref: EntryRef, ttlMs: number): Promise<Lease | null> {
    return this.current().then((b) => b.lease(ref, ttlMs))
  }

  async close(): Promise<void> {}

  private async current(): Promise<CacheBackend> {
    const scope = scopes.getStore()
    if (scope === undefined) throw new BackendError(`the ${this.name} cache backend was used outside a request (it does its I/O through the current request).`)
    return (scope.backend ??= this.make(scope.env, scope.ctx))
  }
}
