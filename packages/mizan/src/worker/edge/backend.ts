/**
 * The edge `CacheBackend`: entries in an in-isolate tier and the Workers Cache API, purge state
 * in the `MizanPurgeState` Durable Object.
 *
 * Why the order of a put is safe: the Durable Object admits a put (marker check + index)
 * before its bytes reach the caches. A purge landing between the admission and `cache.put`
 * finds the entry in the index and records markers newer than the entry's epoch, and every
 * read checks the entry's epoch against the markers, so the late-written bytes are never
 * served: the read treats them as a miss and deletes them.
 * @module
 */
import { BackendError } from '@mizan/core'
import type { CacheBackend, EntryRef, Lease, PurgeReport, PurgeTarget, PutRequest, Ticket } from '@mizan/core'
import type { PurgeStateNamespace, PurgeStateStub } from './bindings.ts'
import { EDGE_BACKEND_DEFAULTS } from './options.ts'
import type { ResolvedEdgeOptions } from './options.ts'
import { PurgeSnapshot } from './snapshot.ts'
import { cacheTagHeader, decodeStored, entryUrl, storedResponse } from './stored.ts'
import { EntryTier } from './tier.ts'
import type { TierEntry } from './tier.ts'

/**
 * The part of a Workers `ExecutionContext` the backend uses: background refreshes of the purge
 * state are handed to `waitUntil` so they outlive the response.
 *
 * @example
 * ```ts
 * const backend = createEdgeBackend(env, ctx satisfies WaitUntilContext)
 * ```
 */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void
}

/** What one isolate keeps between requests: the tier and its copy of the purge state. */
export interface IsolateState {
  readonly tier: EntryTier
  readonly snapshot: PurgeSnapshot
}

/** A fresh isolate state sized by `options`. */
export function createIsolateState(options: ResolvedEdgeOptions): IsolateState {
  return { tier: new EntryTier(options.tierMaxEntries, options.tierMaxBytes), snapshot: new PurgeSnapshot() }
}

/** Everything an `EdgeBackend` is made of. */
export interface EdgeBackendParts {
  readonly namespace: PurgeStateNamespace
  readonly ctx: WaitUntilContext | undefined
  readonly options: ResolvedEdgeOptions
  readonly state: IsolateState
}

function refId(ref: EntryRef): string {
  return `${ref.context}\n${ref.key}`
}

/** The backend of one request (cheap to create); the state it shares lives per isolate. */
export class EdgeBackend implements CacheBackend {
  readonly name = 'edge'
  readonly markerTtlMs: number
  /** Its I/O belongs to the request that made it (see `CacheBackend.requestScoped`). */
  readonly requestScoped = true
  readonly #parts: EdgeBackendParts
  readonly #backgroundSyncMs: number
  #id: unknown
  #cache: Promise<Cache> | undefined

  constructor(parts: EdgeBackendParts) {
    this.#parts = parts
    this.#backgroundSyncMs = (parts.options.purgeSyncMs * 3) / 4
    this.markerTtlMs = parts.options.markerTtlMs
  }

  async get(ref: EntryRef): Promise<Uint8Array | null> {
    const now = Date.now()
    const { tier, snapshot } = this.#parts.state
    if (now - snapshot.syncedAt > this.#backgroundSyncMs) await this.#fresh(now)
    const id = refId(ref)
    const held = tier.get(id)
    if (held !== undefined) {
      // Not copied: copying 22 KB costs workerd ~20× the rest of a hit, and the core only decodes.
      if (held.expiresAt > now && !snapshot.refuses(ref, held.tags, held.epoch, now)) return held.bytes
      // Another isolate may have stored a newer entry since: the Cache API decides.
      tier.delete(id)
    }
    const cache = await this.#openCache()
    const url = this.#url(ref)
    const response = await cache.match(url)
    if (response === undefined) return null
    const entry = decodeStored(new Uint8Array(await response.arrayBuffer()))
    if (entry === null || entry.expiresAt <= now || snapshot.refuses(ref, entry.tags, entry.epoch, now)) {
      await cache.delete(url).catch(() => false)
      return null
    }
    tier.set(id, entry)
    return entry.bytes
  }

  async ticket(): Promise<Ticket> {
    await this.#fresh(Date.now())
    // The isolate's epoch may trail the Durable Object's; an older ticket only makes puts
    // stricter (a marker between the two refuses them), never lets a purged value through.
    const { snapshot } = this.#parts.state
    return { epoch: snapshot.epoch, issuedAt: snapshot.syncedAt }
  }

  async put(request: PutRequest): Promise<boolean> {
    const { ref, bytes, tags, ttlMs, ticket } = request
    if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) throw new BackendError(`edge backend put: ttlMs must be a positive finite number of milliseconds, got ${ttlMs}.`)
    const tagHeader = cacheTagHeader(tags)
    // Never cached untagged: an entry whose tags Cloudflare cannot carry is not stored at all.
    if (tagHeader === undefined) return false
    const expiresAt = Date.now() + ttlMs
    const check = { context: ref.context, key: ref.key, tags: [...tags], ticketEpoch: ticket.epoch, ticketIssuedAt: ticket.issuedAt, expiresAt }
    const admitted = await this.#rpc('admit', (stub) => stub.admit(check, this.markerTtlMs))
    if (!admitted) return false
    const entry: TierEntry = { bytes: bytes.slice(), epoch: ticket.epoch, tags: check.tags, expiresAt }
    this.#parts.state.tier.set(refId(ref), entry)
    try {
      const cache = await this.#openCache()
      await cache.put(this.#url(ref), storedResponse(entry, tagHeader, ttlMs))
    } catch {
      // The tier holds the entry; the Cache API copy only spares other isolates a computation.
    }
    return true
  }

  async delete(ref: EntryRef): Promise<void> {
    this.#parts.state.tier.delete(refId(ref))
    const cache = await this.#openCache()
    await Promise.all([cache.delete(this.#url(ref)), this.#rpc('forget', (stub) => stub.forget({ context: ref.context, key: ref.key }))])
  }

  async purge(target: PurgeTarget): Promise<PurgeReport> {
    const { snapshot, tier } = this.#parts.state
    const request = {
      tags: [...(target.tags ?? [])],
      contexts: [...(target.contexts ?? [])],
      entries: (target.entries ?? []).map((ref) => ({ context: ref.context, key: ref.key })),
    }
    const sentAt = Date.now()
    const since = snapshot.epoch
    const outcome = await this.#rpc('purge', (stub) => stub.purge(request, since, this.markerTtlMs, this.#parts.options.purgeDeleteLimit))
    // This isolate honours the purge from now on; other isolates within purgeSyncMs.
    snapshot.apply(outcome, sentAt, Date.now())
    for (const ref of outcome.refs) tier.delete(refId(ref))
    // Deleting here is housekeeping: the markers already keep every purged copy from being served.
    const cache = await this.#openCache().catch(() => undefined)
    if (cache !== undefined) await Promise.allSettled(outcome.refs.map((ref) => cache.delete(this.#url(ref))))
    return { deleted: outcome.deleted }
  }

  async lease(ref: EntryRef, ttlMs: number): Promise<Lease | null> {
    if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) throw new BackendError(`edge backend lease: ttlMs must be a positive finite number of milliseconds, got ${ttlMs}.`)
    const name = refId(ref)
    const token = await this.#rpc('lease', (stub) => stub.lease(name, Math.ceil(ttlMs)))
    if (token === null) return null
    return { token, release: () => this.#rpc('release', (stub) => stub.release(name, token)) }
  }

  async close(): Promise<void> {
    // The tier and the purge state copy belong to the isolate and outlive this request.
  }

  /**
   * Refreshes the isolate's purge state: in the background once it is 3/4 of purgeSyncMs old,
   * so a busy isolate rarely waits, and before answering once it is older than purgeSyncMs.
   */
  async #fresh(now: number): Promise<void> {
    const { snapshot } = this.#parts.state
    const { purgeSyncMs } = this.#parts.options
    const age = now - snapshot.syncedAt
    if (age <= this.#backgroundSyncMs) return
    const sync = snapshot.sync((since) => this.#rpc('state', (stub) => stub.state(since)), now)
    if (sync.started) {
      const settled = sync.promise.catch(() => undefined)
      try {
        // Other requests of the isolate may join this sync: it must outlive this request's response.
        this.#parts.ctx?.waitUntil(settled)
      } catch {
        // A context whose request has ended refuses new work; the sync still runs.
      }
    }
    if (age > purgeSyncMs) {
      try {
        await sync.promise
      } catch (error) {
        throw error instanceof BackendError ? error : new BackendError(`edge backend: could not refresh the purge state (${String(error)}).`, { cause: error })
      }
    }
  }

  async #rpc<T>(method: string, call: (stub: PurgeStateStub) => Promise<T>): Promise<T> {
    try {
      // A stub belongs to the request that made it (workerd refuses I/O through it from
      // another request), and this backend may serve many: one stub per call.
      const { namespace, options } = this.#parts
      this.#id ??= namespace.idFromName(options.stateName)
      return await call(namespace.get(this.#id as never) as PurgeStateStub)
    } catch (error) {
      throw new BackendError(`edge backend: the purge state Durable Object (${this.#parts.options.binding}) failed in ${method}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    }
  }

  #openCache(): Promise<Cache> {
    return (this.#cache ??= caches.open(this.#parts.options.cacheName))
  }

  #url(ref: EntryRef): string {
    return entryUrl(ref, this.#parts.options.stateName, EDGE_BACKEND_DEFAULTS.stateName)
  }
}
