/**
 * The entries of `MemoryCache`: an LRU bounded by count and bytes, with the tag and context
 * indexes that make a purge cost O(entries it removes) instead of O(cache size).
 * @module
 */

import type { EntryRef } from '../backend.ts'

/**
 * What one entry costs beyond its ids, bytes and tags, in bytes: the entry object and its list
 * links, its slot in the lookup map, its composite id string, the `Uint8Array` wrapper and its
 * context-index membership. Measured, not guessed: `pnpm bench memory` fills the cache with
 * 1,000,000 small entries and compares live heap growth with the accounted bytes (V8 spends
 * ~720 bytes an entry beyond its payload, most of it the copied `Uint8Array` and the maps), so
 * that `maxBytes` bounds the process's memory, not just payloads.
 *
 * @example
 * ```ts
 * const perEntry = ENTRY_OVERHEAD_BYTES + ref.context.length + ref.key.length + bytes.byteLength
 * ```
 */
export const ENTRY_OVERHEAD_BYTES = 768

/**
 * What each tag of an entry costs beyond its characters: its slot in the entry's tag list and
 * its membership in the tag index.
 *
 * @example
 * ```ts
 * const tagCost = tags.reduce((sum, tag) => sum + tag.length + TAG_OVERHEAD_BYTES, 0)
 * ```
 */
export const TAG_OVERHEAD_BYTES = 32

/** One stored entry, also a node of the LRU list (`older` → `newer`). */
export interface StoredEntry {
  readonly id: string
  readonly ref: EntryRef
  readonly bytes: Uint8Array
  readonly tags: readonly string[]
  readonly expiresAt: number
  readonly size: number
  older: StoredEntry | undefined
  newer: StoredEntry | undefined
}

/** The identity of a ref inside the store; base64url ids never contain a newline. */
export function refId(ref: EntryRef): string {
  return `${ref.context}\n${ref.key}`
}

/** The accounted size of an entry, see `ENTRY_OVERHEAD_BYTES`. */
export function entrySize(ref: EntryRef, bytes: Uint8Array, tags: readonly string[]): number {
  let size = ENTRY_OVERHEAD_BYTES + ref.context.length + ref.key.length + bytes.byteLength
  for (const tag of tags) size += tag.length + TAG_OVERHEAD_BYTES
  return size
}

/** LRU entries with byte accounting and tag/context indexes. */
export class EntryStore {
  readonly #maxEntries: number
  readonly #maxBytes: number
  readonly #entries = new Map<string, StoredEntry>()
  readonly #byTag = new Map<string, Set<string>>()
  readonly #byContext = new Map<string, Set<string>>()
  // A linked list rather than Map order: see `Fifo` for why a Map makes a poor queue.
  #oldest: StoredEntry | undefined
  #newest: StoredEntry | undefined
  #bytes = 0

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries
    this.#maxBytes = maxBytes
  }

  get count(): number {
    return this.#entries.size
  }

  get bytes(): number {
    return this.#bytes
  }

  /** The live entry of `id`, marked most recently used; expired entries are removed. */
  get(id: string, now: number): StoredEntry | undefined {
    const entry = this.#entries.get(id)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now) {
      this.remove(id)
      return undefined
    }
    this.#unlink(entry)
    this.#append(entry)
    return entry
  }

  /** Stores `entry` (replacing any entry of the same id) and evicts down to the bounds. */
  set(entry: StoredEntry): boolean {
    this.remove(entry.id)
    if (entry.size > this.#maxBytes) return false
    this.#entries.set(entry.id, entry)
    this.#append(entry)
    this.#bytes += entry.size
    addToIndex(this.#byContext, entry.ref.context, entry.id)
    for (const tag of entry.tags) addToIndex(this.#byTag, tag, entry.id)
    while ((this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) && this.#oldest !== undefined) {
      this.remove(this.#oldest.id)
    }
    return true
  }

  /** Removes one entry and its index memberships; whether it was there. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id)
    if (entry === undefined) return false
    this.#entries.delete(id)
    this.#unlink(entry)
    this.#bytes -= entry.size
    removeFromIndex(this.#byContext, entry.ref.context, id)
    for (const tag of entry.tags) removeFromIndex(this.#byTag, tag, id)
    return true
  }

  /** Removes every entry carrying `tag`; how many. */
  removeTag(tag: string): number {
    return this.#removeAll(this.#byTag.get(tag))
  }

  /** Removes every entry of `context`; how many. */
  removeContext(context: string): number {
    return this.#removeAll(this.#byContext.get(context))
  }

  /** Removes every expired entry (O(n), for `stats()`). */
  sweep(now: number): void {
    for (let entry = this.#oldest; entry !== undefined; ) {
      const next = entry.newer
      if (entry.expiresAt <= now) this.remove(entry.id)
      entry = next
    }
  }

  clear(): void {
    this.#entries.clear()
    this.#byTag.clear()
    this.#byContext.clear()
    this.#oldest = undefined
    this.#newest = undefined
    this.#bytes = 0
  }

  #append(entry: StoredEntry): void {
    entry.older = this.#newest
    entry.newer = undefined
    if (this.#newest === undefined) this.#oldest = entry
    else this.#newest.newer = entry
    this.#newest = entry
  }

  #unlink(entry: StoredEntry): void {
    if (entry.older === undefined) this.#oldest = entry.newer
    else entry.older.newer = entry.newer
    if (entry.newer === undefined) this.#newest = entry.older
    else entry.newer.older = entry.older
    entry.older = undefined
    entry.newer = undefined
  }

  #removeAll(ids: Set<string> | undefined): number {
    if (ids === undefined) return 0
    let removed = 0
    // Copied because each removal edits the very set being walked.
    for (const id of [...ids]) if (this.remove(id)) removed++
    return removed
  }
}

function addToIndex(index: Map<string, Set<string>>, name: string, id: string): void {
  const ids = index.get(name)
  if (ids === undefined) index.set(name, new Set([id]))
  else ids.add(id)
}

function removeFromIndex(index: Map<string, Set<string>>, name: string, id: string): void {
  const ids = index.get(name)
  if (ids === undefined) return
  ids.delete(id)
  if (ids.size === 0) index.delete(name)
}
