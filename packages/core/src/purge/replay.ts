/**
 * Replay protection state for purge verification: which signed requests were already
 * accepted within the signature window.
 * @module
 */
import { MizanError, PurgeError } from '../errors.ts'

/**
 * Remembers accepted purge requests until their signatures expire. `seen` must be atomic:
 * of two concurrent calls with one id, exactly one gets `true`. The edge supplies a
 * Durable Object implementation (strongly consistent across instances); a store that
 * cannot record must throw, so verification fails closed.
 *
 * @example
 * ```ts
 * const replay: ReplayStore = new MemoryReplayStore()
 * await replay.seen('abc', Date.now() + 301_000) // true: first time
 * await replay.seen('abc', Date.now() + 301_000) // false: a replay
 * ```
 */
export interface ReplayStore {
  /** Records `id` until `expiresAt` (ms since the epoch); `true` when it was not recorded yet. */
  seen(id: string, expiresAt: number): Promise<boolean>
}

/**
 * Options of {@link MemoryReplayStore}.
 *
 * @example
 * ```ts
 * new MemoryReplayStore({ maxEntries: 10_000 })
 * ```
 */
export interface MemoryReplayStoreOptions {
  /** Most ids remembered at once (default 100,000). */
  readonly maxEntries?: number
  readonly now?: () => number
}

/**
 * A bounded in-process {@link ReplayStore}: right for one process or tests, not for several
 * instances (each would accept a replay once). When full of unexpired ids it throws rather
 * than forget one, because forgetting would let that request be replayed.
 *
 * @example
 * ```ts
 * const replay = new MemoryReplayStore({ maxEntries: 50_000 })
 * await verifyPurgeRequest(keys, request, { replay })
 * ```
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #expiries = new Map<string, number>()
  readonly #maxEntries: number
  readonly #now: () => number

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 100_000
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new MizanError('MIZAN_CONFIG', `MemoryReplayStore: maxEntries must be a positive integer, got ${String(maxEntries)}.`)
    }
    this.#maxEntries = maxEntries
    this.#now = options.now ?? Date.now
  }

  /** How many ids are remembered (expired ones may linger until the next write). */
  get size(): number {
    return this.#expiries.size
  }

  async seen(id: string, expiresAt: number): Promise<boolean> {
    const now = this.#now()
    const known = this.#expiries.get(id)
    if (known !== undefined && known > now) return false
    this.#dropExpiredHead(now)
    if (this.#expiries.size >= this.#maxEntries) this.#dropAllExpired(now)
    if (this.#expiries.size >= this.#maxEntries) {
      throw new PurgeError(`Replay store is full (${this.#maxEntries} unexpired purge signatures); refusing the purge rather than forgetting one. Retry later or raise maxEntries.`)
    }
    this.#expiries.delete(id)
    this.#expiries.set(id, expiresAt)
    return true
  }

  // Ids arrive in roughly expiry order, so the oldest insertions are the usual expired ones:
  // dropping them from the head keeps each write O(1) amortised.
  #dropExpiredHead(now: number): void {
    for (const [id, expiresAt] of this.#expiries) {
      if (expiresAt > now) return
      this.#expiries.delete(id)
    }
  }

  #dropAllExpired(now: number): void {
    for (const [id, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(id)
  }
}
