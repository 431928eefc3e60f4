/**
 * The purge epoch and purge markers of `MemoryCache` (see the contract in `backend.ts`).
 * @module
 */

import type { EntryRef } from '../backend.ts'
import { Fifo } from '../fifo.ts'

interface Marker {
  readonly name: string
  readonly epoch: number
  readonly expiresAt: number
}

/** Marker names: one namespace per purge kind so a tag can never collide with a context id. */
export const markerName = {
  tag: (tag: string): string => `t\n${tag}`,
  context: (context: string): string => `c\n${context}`,
  entry: (ref: EntryRef): string => `e\n${ref.context}\n${ref.key}`,
}

/** The epoch counter and the markers `name → epoch`, each living `ttlMs`. */
export class MarkerTable {
  readonly #ttlMs: number
  readonly #markers = new Map<string, Marker>()
  // Every marker lives the same ttlMs, so recording order is expiry order.
  readonly #expiry = new Fifo<Marker>()
  #epoch = 0

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  get epoch(): number {
    return this.#epoch
  }

  get size(): number {
    return this.#markers.size
  }

  /** Advances the epoch; the new value is what the purge in progress records. */
  advance(): number {
    this.#epoch += 1
    return this.#epoch
  }

  record(name: string, epoch: number, now: number): void {
    const marker = { name, epoch, expiresAt: now + this.#ttlMs }
    this.#markers.set(name, marker)
    this.#expiry.push(marker)
  }

  /** Whether a live marker of the entry's context, the entry or any of its tags is newer than `epoch`. */
  refuses(ref: EntryRef, tags: readonly string[], epoch: number, now: number): boolean {
    if (this.#markers.size === 0) return false
    if (this.#newer(markerName.context(ref.context), epoch, now) || this.#newer(markerName.entry(ref), epoch, now)) return true
    for (const tag of tags) if (this.#newer(markerName.tag(tag), epoch, now)) return true
    return false
  }

  /** Drops expired markers; amortised O(1) per marker ever recorded. */
  sweep(now: number): void {
    for (let marker = this.#expiry.peek(); marker !== undefined && marker.expiresAt <= now; marker = this.#expiry.peek()) {
      this.#expiry.shift()
      // A renewed marker has a newer record further back in the queue.
      if (this.#markers.get(marker.name) === marker) this.#markers.delete(marker.name)
    }
  }

  clear(): void {
    this.#markers.clear()
    this.#expiry.clear()
  }

  #newer(name: string, epoch: number, now: number): boolean {
    const marker = this.#markers.get(name)
    return marker !== undefined && marker.expiresAt > now && marker.epoch > epoch
  }
}
