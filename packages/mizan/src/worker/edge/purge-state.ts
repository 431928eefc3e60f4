/**
 * `MizanPurgeState`: the Durable Object holding the edge cache's purge state. One instance
 * (`idFromName('purge-state')`) serves every isolate of the Worker, in every data centre, so its
 * epoch and markers are strongly consistent where the Cache API (per data centre) and KV
 * (eventually consistent) are not.
 * @module
 */
/// <reference path="./runtime.d.ts" />
import type { EntryRef } from '@mizan/core'
import { DurableObject } from 'cloudflare:workers'
import type { DurableObjectState } from 'cloudflare:workers'
import type { PurgeOutcome, PurgeRequestData, PurgeStateView, PutCheck } from './protocol.ts'
import { PurgeStore } from './state-store.ts'

interface Held {
  readonly token: string
  readonly expiresAt: number
}

/**
 * The Durable Object class behind the edge backend. Export it from the Worker's main module
 * (Mizan's generated entry does) and bind it as `MIZAN_PURGE` with a SQLite migration.
 * Its methods are called over RPC by `createEdgeBackend` and `createEdgeReplayStore`.
 *
 * @example
 * ```ts
 * // worker entry
 * export { MizanPurgeState } from 'mizan/worker'
 * // wrangler.json
 * // "durable_objects": { "bindings": [{ "name": "MIZAN_PURGE", "class_name": "MizanPurgeState" }] },
 * // "migrations": [{ "tag": "mizan-purge-state-v1", "new_sqlite_classes": ["MizanPurgeState"] }]
 * ```
 */
export class MizanPurgeState extends DurableObject {
  readonly #store: PurgeStore
  // Leases only spare duplicate computations: losing them when the object restarts costs a
  // recomputation, never correctness, so they stay in memory.
  readonly #leases = new Map<string, Held>()
  #sweepLeasesAt = 1_024

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.#store = new PurgeStore(ctx.storage.sql)
  }

  /** The epoch and the markers newer than `since`. */
  state(since: number): PurgeStateView {
    return this.#store.view(since, Date.now())
  }

  /** Admits (and indexes) a put unless a relevant purge is newer than its ticket. */
  admit(check: PutCheck, markerTtlMs: number): boolean {
    return this.#store.admit(check, markerTtlMs, Date.now())
  }

  /** Drops one entry from the index (a corrupt entry's delete; not a purge). */
  forget(ref: EntryRef): void {
    this.#store.forget(ref)
  }

  /** Purges: new epoch, markers, index removal; returns what to delete locally and the new state. */
  purge(target: PurgeRequestData, since: number, markerTtlMs: number, refLimit: number): PurgeOutcome {
    return this.#store.purge(target, since, markerTtlMs, refLimit, Date.now())
  }

  /** Takes the lease `name` for `ttlMs`; its token, or `null` while another holder's lease lives. */
  lease(name: string, ttlMs: number): string | null {
    const now = Date.now()
    const current = this.#leases.get(name)
    if (current !== undefined && current.expiresAt > now) return null
    if (this.#leases.size >= this.#sweepLeasesAt) {
      for (const [held, lease] of this.#leases) if (lease.expiresAt <= now) this.#leases.delete(held)
      this.#sweepLeasesAt = Math.max(1_024, this.#leases.size * 2)
    }
    const token = crypto.randomUUID()
    this.#leases.set(name, { token, expiresAt: now + ttlMs })
    return token
  }

  /** Releases `name` if `token` still holds it (an expired holder must not free its successor). */
  release(name: string, token: string): void {
    if (this.#leases.get(name)?.token === token) this.#leases.delete(name)
  }

  /** Replay protection of signed purges: `true` the first time `id` is seen before `expiresAt`. */
  seen(id: string, expiresAt: number): boolean {
    return this.#store.seen(id, expiresAt, Date.now())
  }
}
