/**
 * An isolate's copy of the purge state: the epoch and the markers it has seen. Reads check
 * entries against it without a round trip; it is refreshed from the Durable Object at most
 * every `purgeSyncMs`, and at once by the isolate's own purges.
 * @module
 */
import type { EntryRef } from '@mizan/core'
import { markerName } from './protocol.ts'
import type { PurgeStateView } from './protocol.ts'

interface Marker {
  readonly epoch: number
  readonly expiresAt: number
}

/** A sync still pending after this long is abandoned (its request may have been cancelled). */
export const SYNC_TIMEOUT_MS = 2_000

/** Epoch + markers, with a single-flight refresh. */
export class PurgeSnapshot {
  /** The purge epoch as of the last view applied. */
  epoch = 0
  /** When the request for the newest applied view was sent (ms since the epoch); `-Infinity` before the first. */
  syncedAt = Number.NEGATIVE_INFINITY
  readonly #markers = new Map<string, Marker>()
  // The newest marker epoch held: an entry at least this new passes without a single lookup.
  #newest = 0
  #syncing: { readonly promise: Promise<void>; readonly sentAt: number } | undefined

  /** How many markers are held. */
  get size(): number {
    return this.#markers.size
  }

  /** Merges a view that covers every marker newer than an epoch ≤ this snapshot's epoch. */
  apply(view: PurgeStateView, sentAt: number, now: number): void {
    for (const record of view.markers) {
      const known = this.#markers.get(record.name)
      if (known !== undefined && known.epoch >= record.epoch && known.expiresAt >= record.expiresAt) continue
      this.#markers.set(record.name, { epoch: Math.max(record.epoch, known?.epoch ?? 0), expiresAt: Math.max(record.expiresAt, known?.expiresAt ?? 0) })
      if (record.epoch > this.#newest) this.#newest = record.epoch
    }
    if (view.epoch > this.epoch) this.epoch = view.epoch
    if (sentAt > this.syncedAt) this.syncedAt = sentAt
    this.#prune(now)
  }

  /** Whether a live marker of the entry's context, the entry or one of its tags is newer than the entry. */
  refuses(ref: EntryRef, tags: readonly string[], entryEpoch: number, now: number): boolean {
    if (entryEpoch >= this.#newest) return false
    if (this.#newer(markerName.context(ref.context), entryEpoch, now) || this.#newer(markerName.entry(ref.context, ref.key), entryEpoch, now)) return true
    for (const tag of tags) if (this.#newer(markerName.tag(tag), entryEpoch, now)) return true
    return false
  }

  /**
   * Refreshes from `load(since)`; concurrent callers share one request (`started` tells the one
   * that sent it). A request pending longer than `SYNC_TIMEOUT_MS` rejects and is not joined.
   */
  sync(load: (since: number) => Promise<PurgeStateView>, now: number): { readonly promise: Promise<void>; readonly started: boolean } {
    const pending = this.#syncing
    if (pending !== undefined && now - pending.sentAt < SYNC_TIMEOUT_MS) return { promise: pending.promise, started: false }
    return { promise: this.#start(load, now).promise, started: true }
  }

  #start(load: (since: number) => Promise<PurgeStateView>, sentAt: number): { promise: Promise<void>; sentAt: number } {
    // One timer per request, not per caller: a busy isolate has many callers per sync.
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the purge state did not answer within ${SYNC_TIMEOUT_MS} ms`)), SYNC_TIMEOUT_MS)
    })
    const loaded = load(this.epoch).then((view) => this.apply(view, sentAt, Date.now()))
    const flight = { sentAt, promise: Promise.race([loaded, timeout]).finally(() => clearTimeout(timer)) }
    this.#syncing = flight
    const clear = (): void => {
      if (this.#syncing === flight) this.#syncing = undefined
    }
    flight.promise.then(clear, clear)
    return flight
  }

  #newer(name: string, epoch: number, now: number): boolean {
    const marker = this.#markers.get(name)
    return marker !== undefined && marker.epoch > epoch && marker.expiresAt > now
  }

  #prune(now: number): void {
    let newest = 0
    for (const [name, marker] of this.#markers) {
      if (marker.expiresAt <= now) this.#markers.delete(name)
      else if (marker.epoch > newest) newest = marker.epoch
    }
    this.#newest = newest
  }
}
