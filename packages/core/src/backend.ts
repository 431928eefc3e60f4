/**
 * The storage contract every cache backend implements. The core owns the semantics
 * (keys, envelopes, freshness, SWR, single-flight, fail-open/closed); a backend supplies
 * storage calls whose atomicity makes the purge guarantee hold. See docs/cache.md §Backends.
 *
 * The purge guarantee rests on purge epochs:
 * - `ticket()` returns the backend's current purge epoch. The core takes a ticket *before*
 *   a computation reads its data.
 * - every purge first advances the epoch (so later tickets are newer), then records a
 *   marker `epoch` for each tag / context / entry it purges, then deletes what is stored.
 * - `put()` is refused (returns `false`) when any marker of the entry's context, its tags
 *   or the entry itself is newer than the put's ticket — atomically with the write. So a
 *   computation that began before a purge can never become readable after it
 *   (the set-after-invalidate race), and neither can an SWR refresh that raced a purge.
 * - markers need only outlive the longest computation: `put()` refuses tickets older
 *   than `markerTtlMs` (the core enforces the same bound).
 *
 * @module
 */

/**
 * Where an entry lives. Both parts are opaque ids derived by the core (base64url, no
 * secrets recoverable); `context` groups the entries of one data function version and is
 * what a backend may use for co-location (a Redis Cluster hash slot).
 */
export interface EntryRef {
  readonly context: string
  readonly key: string
}

/** A purge epoch observed before a computation started. */
export interface Ticket {
  readonly epoch: number
  /** `Date.now()` when the ticket was taken, to refuse tickets older than the marker TTL. */
  readonly issuedAt: number
}

/** A write of one encoded envelope. */
export interface PutRequest {
  readonly ref: EntryRef
  readonly bytes: Uint8Array
  /** Normalised tags (see `normalizeTags`); the entry is removed by a purge of any of them. */
  readonly tags: readonly string[]
  /** How long the backend keeps the bytes (until the envelope's stale-until), > 0. */
  readonly ttlMs: number
  readonly ticket: Ticket
}

/** What to purge. Everything listed is purged atomically with respect to `put`. */
export interface PurgeTarget {
  readonly tags?: readonly string[]
  readonly contexts?: readonly string[]
  readonly entries?: readonly EntryRef[]
}

/** What a purge removed: the number of stored entries deleted (best knowledge). */
export interface PurgeReport {
  readonly deleted: number
}

/** A held lease for cross-process single flight. */
export interface Lease {
  readonly token: string
  release(): Promise<void>
}

/**
 * A cache storage backend. Errors are thrown as they come; the core decides whether they
 * fail open (reads, puts, leases) or closed (purges).
 *
 * @example
 * ```ts
 * import { MemoryCache, cacheFetch } from '@mizan/core'
 * const backend: CacheBackend = new MemoryCache({ maxEntries: 10_000, maxBytes: 64 << 20 })
 * ```
 */
export interface CacheBackend {
  /** A short name for logs and debug headers, e.g. `memory`, `redis`, `edge`. */
  readonly name: string
  /** How long purge markers are kept; tickets older than this are refused by `put`. */
  readonly markerTtlMs: number
  /** The stored bytes, or `null` when absent or expired. */
  get(ref: EntryRef): Promise<Uint8Array | null>
  /** The current purge epoch. */
  ticket(): Promise<Ticket>
  /** Store unless a relevant purge happened after `ticket` (then `false`, nothing stored). */
  put(request: PutRequest): Promise<boolean>
  /** Remove one entry (a corrupt or foreign one); not a purge, records no marker. */
  delete(ref: EntryRef): Promise<void>
  /** Advance the epoch, record markers, delete what the target names. Throws on failure. */
  purge(target: PurgeTarget): Promise<PurgeReport>
  /** Try to take the computation lease of `ref` for `ttlMs`; `null` when another holds it. */
  lease(ref: EntryRef, ttlMs: number): Promise<Lease | null>
  /** Release connections and timers. */
  close(): Promise<void>
  /**
   * `true` when the backend's I/O belongs to the request that issued it (Cloudflare Workers).
   * workerd cancels a request's continuation when a promise it awaits is settled from another
   * request that has already ended, and the request then hangs; so `cacheFetch` never hands a
   * caller a promise another caller's request settles: joining an in-process flight, it watches
   * the flight with its own timers instead (one computation per isolate still holds).
   */
  readonly requestScoped?: boolean
}
