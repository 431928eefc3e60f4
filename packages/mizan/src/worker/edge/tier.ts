/**
 * The in-isolate tier: a bounded LRU of entries in front of the Cache API, so a hit costs a Map
 * lookup and a marker check instead of a Cache API read.
 * @module
 */

/** One entry as the tier holds it: the stored bytes and what a read validates them against. */
export interface TierEntry {
  readonly bytes: Uint8Array
  /** The ticket epoch of the put that stored it. */
  readonly epoch: number
  readonly tags: readonly string[]
  readonly expiresAt: number
}

const ENTRY_OVERHEAD_BYTES = 128

interface Slot {
  readonly entry: TierEntry
  readonly size: number
}

/** An LRU bounded by entries and bytes (a limit of 0 disables the tier). */
export class EntryTier {
  readonly #maxEntries: number
  readonly #maxBytes: number
  // Map iteration order is insertion order: re-inserting on a hit keeps the LRU at the front.
  readonly #slots = new Map<string, Slot>()
  #bytes = 0

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries
    this.#maxBytes = maxBytes
  }

  get size(): number {
    return this.#slots.size
  }

  get bytes(): number {
    return this.#bytes
  }

  get(id: string): TierEntry | undefined {
    const slot = this.#slots.get(id)
    if (slot === undefined) return undefined
    this.#slots.delete(id)
    this.#slots.set(id, slot)
    return slot.entry
  }

  set(id: string, entry: TierEntry): void {
    this.delete(id)
    let size = ENTRY_OVERHEAD_BYTES + id.length + entry.bytes.length
    for (const tag of entry.tags) size += tag.length + 8
    if (this.#maxEntries === 0 || size > this.#maxBytes) return
    this.#slots.set(id, { entry, size })
    this.#bytes += size
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break
      this.#slots.delete(oldest)
      this.#bytes -= slot.size
    }
  }

  delete(id: string): void {
    const slot = this.#slots.get(id)
    if (slot === undefined) return
    this.#slots.delete(id)
    this.#bytes -= slot.size
  }
}
