/**
 * The purge state kept by the `MizanPurgeState` Durable Object, in its SQLite storage: the
 * epoch, the markers, an index of stored entries by context and by tag (so a purge knows what
 * to delete and how long its markers must live), and the replay ids of signed purges.
 * Every method is synchronous: inside a Durable Object that makes each call atomic.
 * @module
 */
import type { EntryRef } from '@mizan/core'
import type { SqlStorage } from 'cloudflare:workers'
import { markerName } from './protocol.ts'
import type { MarkerRecord, PurgeOutcome, PurgeRequestData, PurgeStateView, PutCheck } from './protocol.ts'

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS mizan_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)',
  'CREATE TABLE IF NOT EXISTS mizan_entries (context TEXT NOT NULL, key TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (context, key))',
  'CREATE INDEX IF NOT EXISTS mizan_entries_expiry ON mizan_entries (expires_at)',
  'CREATE TABLE IF NOT EXISTS mizan_entry_tags (tag TEXT NOT NULL, context TEXT NOT NULL, key TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (tag, context, key))',
  'CREATE INDEX IF NOT EXISTS mizan_entry_tags_ref ON mizan_entry_tags (context, key)',
  'CREATE INDEX IF NOT EXISTS mizan_entry_tags_expiry ON mizan_entry_tags (expires_at)',
  'CREATE TABLE IF NOT EXISTS mizan_markers (name TEXT PRIMARY KEY, epoch INTEGER NOT NULL, expires_at INTEGER NOT NULL)',
  'CREATE INDEX IF NOT EXISTS mizan_markers_epoch ON mizan_markers (epoch)',
  'CREATE TABLE IF NOT EXISTS mizan_replays (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)',
  'CREATE INDEX IF NOT EXISTS mizan_replays_expiry ON mizan_replays (expires_at)',
]

/** Expired rows are dropped at most this often, and at most SWEEP_BATCH rows per table at a time. */
const SWEEP_EVERY_MS = 30_000
const SWEEP_BATCH = 1_000

type IndexedRow = { context: string; key: string; expires_at: number }

/** The Durable Object's storage logic, separate from the RPC surface. */
export class PurgeStore {
  readonly #sql: SqlStorage
  #epoch: number
  #sweptAt = 0

  constructor(sql: SqlStorage) {
    this.#sql = sql
    for (const statement of SCHEMA) sql.exec(statement)
    const row = sql.exec<{ value: number }>("SELECT value FROM mizan_meta WHERE name = 'epoch'").toArray()[0]
    this.#epoch = row?.value ?? 0
  }

  /** The current epoch and every live marker newer than `since`. */
  view(since: number, now: number): PurgeStateView {
    const markers = this.#sql
      .exec<{ name: string; epoch: number; expires_at: number }>('SELECT name, epoch, expires_at FROM mizan_markers WHERE epoch > ? AND expires_at > ?', since, now)
      .toArray()
      .map((row): MarkerRecord => ({ name: row.name, epoch: row.epoch, expiresAt: row.expires_at }))
    return { epoch: this.#epoch, markers }
  }

  /** Indexes the entry and returns `true`, unless its ticket is too old or a relevant marker is newer. */
  admit(check: PutCheck, markerTtlMs: number, now: number): boolean {
    this.#maybeSweep(now)
    if (now - check.ticketIssuedAt >= markerTtlMs) return false
    const names = [markerName.context(check.context), markerName.entry(check.context, check.key), ...check.tags.map(markerName.tag)]
    for (const name of names) if (this.#markerRefuses(name, check.ticketEpoch, now)) return false
    // An overwrite keeps the later expiry and the union of tags: a copy stored earlier may still
    // live in another data centre's cache, and a purge must reach it through this index.
    this.#sql.exec(
      'INSERT INTO mizan_entries (context, key, expires_at) VALUES (?, ?, ?) ON CONFLICT (context, key) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)',
      check.context, check.key, check.expiresAt,
    )
    for (const tag of check.tags) {
      this.#sql.exec(
        'INSERT INTO mizan_entry_tags (tag, context, key, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (tag, context, key) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)',
        tag, check.context, check.key, check.expiresAt,
      )
    }
    return true
  }

  /** Drops one entry from the index (not a purge: no marker). */
  forget(ref: EntryRef): void {
    this.#unindex(ref.context, ref.key)
  }

  /**
   * Advances the epoch, records a marker for every tag, context and entry of the target, and
   * removes the entries they name from the index. Markers live at least `markerTtlMs` and at
   * least as long as the longest-lived entry they purged, because copies of those entries may
   * remain in other data centres' caches until then and reads there must keep refusing them.
   */
  purge(target: PurgeRequestData, since: number, markerTtlMs: number, refLimit: number, now: number): PurgeOutcome {
    this.#maybeSweep(now)
    const epoch = ++this.#epoch
    this.#sql.exec("INSERT INTO mizan_meta (name, value) VALUES ('epoch', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", epoch)
    const found = new Map<string, IndexedRow>()
    const collect = (rows: Iterable<IndexedRow>): void => {
      for (const row of rows) found.set(`${row.context}\n${row.key}`, row)
    }
    for (const tag of target.tags) {
      collect(this.#sql.exec<IndexedRow>('SELECT e.context AS context, e.key AS key, e.expires_at AS expires_at FROM mizan_entry_tags t JOIN mizan_entries e ON e.context = t.context AND e.key = t.key WHERE t.tag = ?', tag))
    }
    for (const context of target.contexts) collect(this.#sql.exec<IndexedRow>('SELECT context, key, expires_at FROM mizan_entries WHERE context = ?', context))
    for (const ref of target.entries) collect(this.#sql.exec<IndexedRow>('SELECT context, key, expires_at FROM mizan_entries WHERE context = ? AND key = ?', ref.context, ref.key))
    let keepMarkersUntil = now + markerTtlMs
    let deleted = 0
    const refs: EntryRef[] = []
    for (const row of found.values()) {
      this.#unindex(row.context, row.key)
      if (row.expires_at <= now) continue
      deleted += 1
      keepMarkersUntil = Math.max(keepMarkersUntil, row.expires_at)
      if (refs.length < refLimit) refs.push({ context: row.context, key: row.key })
    }
    const names = [...target.tags.map(markerName.tag), ...target.contexts.map(markerName.context), ...target.entries.map((ref) => markerName.entry(ref.context, ref.key))]
    for (const name of names) {
      this.#sql.exec(
        'INSERT INTO mizan_markers (name, epoch, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET epoch = excluded.epoch, expires_at = max(expires_at, excluded.expires_at)',
        name, epoch, keepMarkersUntil,
      )
    }
    return { ...this.view(since, now), deleted, refs }
  }

  /** `true` when `id` was not recorded (now it is, until `expiresAt`); `false` for a replay. */
  seen(id: string, expiresAt: number, now: number): boolean {
    this.#maybeSweep(now)
    const known = this.#sql.exec<{ expires_at: number }>('SELECT expires_at FROM mizan_replays WHERE id = ?', id).toArray()[0]
    if (known !== undefined && known.expires_at > now) return false
    this.#sql.exec('INSERT INTO mizan_replays (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at', id, expiresAt)
    return true
  }

  #markerRefuses(name: string, ticketEpoch: number, now: number): boolean {
    const marker = this.#sql.exec<{ epoch: number; expires_at: number }>('SELECT epoch, expires_at FROM mizan_markers WHERE name = ?', name).toArray()[0]
    return marker !== undefined && marker.expires_at > now && marker.epoch > ticketEpoch
  }

  #unindex(context: string, key: string): void {
    this.#sql.exec('DELETE FROM mizan_entries WHERE context = ? AND key = ?', context, key)
    this.#sql.exec('DELETE FROM mizan_entry_tags WHERE context = ? AND key = ?', context, key)
  }

  #maybeSweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return
    this.#sweptAt = now
    for (const table of ['mizan_entries', 'mizan_entry_tags', 'mizan_markers', 'mizan_replays']) {
      this.#sql.exec(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? LIMIT ${SWEEP_BATCH})`, now)
    }
  }
}
