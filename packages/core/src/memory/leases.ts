/**
 * Computation leases of `MemoryCache`: one holder per ref until it releases or the lease expires.
 * @module
 */

import type { EntryRef, Lease } from '../backend.ts'
import { refId } from './store.ts'

interface Held {
  readonly token: string
  readonly expiresAt: number
}

/** Leases by ref, swept of expired ones whenever the table has doubled since the last sweep. */
export class LeaseTable {
  readonly #now: () => number
  readonly #held = new Map<string, Held>()
  #sweepAt = 64

  constructor(now: () => number) {
    this.#now = now
  }

  get size(): number {
    return this.#held.size
  }

  take(ref: EntryRef, ttlMs: number): Lease | null {
    const id = refId(ref)
    const now = this.#now()
    const current = this.#held.get(id)
    if (current !== undefined && current.expiresAt > now) return null
    const token = crypto.randomUUID()
    this.#held.set(id, { token, expiresAt: now + ttlMs })
    if (this.#held.size >= this.#sweepAt) this.#sweep(now)
    const held = this.#held
    return {
      token,
      // Compare-and-delete: a holder whose lease expired must not release its successor's.
      release: async () => {
        if (held.get(id)?.token === token) held.delete(id)
      },
    }
  }

  clear(): void {
    this.#held.clear()
  }

  #sweep(now: number): void {
    for (const [id, held] of this.#held) if (held.expiresAt <= now) this.#held.delete(id)
    this.#sweepAt = Math.max(64, this.#held.size * 2)
  }
}
