/**
 * `MemoryCache`: the in-process `CacheBackend`, bounded by entries and bytes (LRU), for tests
 * and single-process servers. Everything runs synchronously inside each call, which is what
 * makes `put`'s marker check atomic with its write.
 * @module
 */

import type { CacheBackend, EntryRef, Lease, PurgeReport, PurgeTarget, PutRequest, Ticket } from '../backend.ts'
import { BackendError } from '../errors.ts'
import { LeaseTable } from './leases.ts'
import { MarkerTable, markerName } from './markers.ts'
import type { MemoryCacheOptions } from './options.ts'
import { resolveMemoryCacheOptions } from './options.ts'
import { EntryStore, entrySize, refId } from './store.ts'

export type { MemoryCacheOptions } from './options.ts'
export { MEMORY_CACHE_DEFAULTS } from './options.ts'
export { ENTRY_OVERHEAD_BYTES, TAG_OVERHEAD_BYTES } from './store.ts'

/**
 * Counts of what a `MemoryCache` holds after dropping expired entries and markers.
 *
 * @example
 * ```ts
 * const { entries, bytes, markers } = cache.stats()
 * ```
 */
export interface MemoryCacheStats {
  readonly entries: number
  /** Accounted bytes (see `ENTRY_OVERHEAD_BYTES`); never above `maxBytes`. */
  readonly bytes: number
  readonly markers: number
}

/**
 * An in-process cache backend: LRU-bounded by `maxEntries` and `maxBytes`, with purge epochs,
 * markers and leases as `backend.ts` describes. Purging a tag or context costs time
 * proportional to the entries it removes. An entry larger than `maxBytes` on its own is not
 * stored (`put` returns `false`). Bytes are copied in and out, so callers cannot alter entries.
 *
 * @example
 * ```ts
 * import { MemoryCache, cacheFetch } from '@mizan/core'
 * const backend = new MemoryCache({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 })
 * const { value } = await cacheFetch({ secret, backend, context, params: { slug }, policy, compute })
 * ```
 */
export class MemoryCache implements CacheBackend {
  readonly name = 'memory'
  readonly markerTtlMs: number
  readonly #now: () => number
  readonly #store: EntryStore
  readonly #markers: MarkerTable
  readonly #leases: LeaseTable
  #closed = false

  constructor(options?: MemoryCacheOptions) {
    const resolved = resolveMemoryCacheOptions(options)
    this.markerTtlMs = resolved.markerTtlMs
    this.#now = resolved.now
    this.#store = new EntryStore(resolved.maxEntries, resolved.maxBytes)
    this.#markers = new MarkerTable(resolved.markerTtlMs)
    this.#leases = new LeaseTable(resolved.now)
  }

  async get(ref: EntryRef): Promise<Uint8Array | null> {
    this.#assertOpen()
    const entry = this.#store.get(refId(ref), this.#now())
    // A copy: the caller must not be able to change what later readers get.
    return entry === undefined ? null : entry.bytes.slice()
  }

  async ticket(): Promise<Ticket> {
    this.#assertOpen()
    return { epoch: this.#markers.epoch, issuedAt: this.#now() }
  }

  async put(request: PutRequest): Promise<boolean> {
    this.#assertOpen()
    const { ref, bytes, tags, ttlMs, ticket } = request
    if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      throw new BackendError(`MemoryCache.put: ttlMs must be a positive finite number of milliseconds, got ${ttlMs}.`)
    }
    const now = this.#now()
    this.#markers.sweep(now)
    if (now - ticket.issuedAt >= this.markerTtlMs) return false
    if (this.#markers.refuses(ref, tags, ticket.epoch, now)) return false
    return this.#store.set({
      id: refId(ref),
      ref: { context: ref.context, key: ref.key },
      bytes: bytes.slice(),
      tags: [...tags],
      expiresAt: now + ttlMs,
      size: entrySize(ref, bytes, tags),
      older: undefined,
      newer: undefined,
    })
  }

  async delete(ref: EntryRef): Promise<void> {
    this.#assertOpen()
    this.#store.remove(refId(ref))
  }

  async purge(target: PurgeTarget): Promise<PurgeReport> {
    this.#assertOpen()
    const now = this.#now()
    this.#markers.sweep(now)
    const epoch = this.#markers.advance()
    let deleted = 0
    for (const tag of target.tags ?? []) {
      this.#markers.record(markerName.tag(tag), epoch, now)
      deleted += this.#store.removeTag(tag)
    }
    for (const context of target.contexts ?? []) {
      this.#markers.record(markerName.context(context), epoch, now)
      deleted += this.#store.removeContext(context)
    }
    for (const ref of target.entries ?? []) {
      this.#markers.record(markerName.entry(ref), epoch, now)
      if (this.#store.remove(refId(ref))) deleted++
    }
    return { deleted }
  }

  async lease(ref: EntryRef, ttlMs: number): Promise<Lease | null> {
    this.#assertOpen()
    if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      throw new BackendError(`MemoryCache.lease: ttlMs must be a positive finite number of milliseconds, got ${ttlMs}.`)
    }
    return this.#leases.take(ref, ttlMs)
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#store.clear()
    this.#markers.clear()
    this.#leases.clear()
  }

  /**
   * What the cache holds now; drops expired entries first (O(entries), meant for tests and
   * benchmarks, not hot paths).
   *
   * @example
   * ```ts
   * expect(cache.stats().bytes).toBeLessThanOrEqual(64 * 1024 * 1024)
   * ```
   */
  stats(): MemoryCacheStats {
    const now = this.#now()
    this.#store.sweep(now)
    this.#markers.sweep(now)
    return { entries: this.#store.count, bytes: this.#store.bytes, markers: this.#markers.size }
  }

  #assertOpen(): void {
    if (this.#closed) throw new BackendError('MemoryCache is closed; create a new MemoryCache instead of reusing a closed one.')
  }
}
