/**
 * What the Worker and the `MizanPurgeState` Durable Object exchange over RPC. Plain data only,
 * so every value crosses the RPC boundary by structured clone.
 * @module
 */
import type { EntryRef } from '@mizan/core'

/** A purge marker: purges at `epoch` of `name`; reads must honour it until `expiresAt`. */
export interface MarkerRecord {
  readonly name: string
  readonly epoch: number
  readonly expiresAt: number
}

/** The purge state newer than what an isolate knew: the current epoch and the markers after `since`. */
export interface PurgeStateView {
  readonly epoch: number
  readonly markers: readonly MarkerRecord[]
}

/** A put asking to be admitted: refused when a relevant marker is newer than its ticket. */
export interface PutCheck {
  readonly context: string
  readonly key: string
  readonly tags: readonly string[]
  readonly ticketEpoch: number
  readonly ticketIssuedAt: number
  /** When the stored bytes expire (ms since the epoch), so the index and markers outlive them. */
  readonly expiresAt: number
}

/** What `MizanPurgeState.purge` removed from its index, plus the state view after it. */
export interface PurgeOutcome extends PurgeStateView {
  readonly deleted: number
  /** Entries this data centre should delete from its Cache API (capped; markers cover the rest). */
  readonly refs: readonly EntryRef[]
}

/** The purge target as it crosses RPC (arrays, never undefined). */
export interface PurgeRequestData {
  readonly tags: readonly string[]
  readonly contexts: readonly string[]
  readonly entries: readonly EntryRef[]
}

/** Marker names: one namespace per purge kind, so a tag can never collide with a context id. */
export const markerName = {
  tag: (tag: string): string => `t\n${tag}`,
  context: (context: string): string => `c\n${context}`,
  entry: (context: string, key: string): string => `e\n${context}\n${key}`,
}
