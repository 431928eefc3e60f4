/**
 * Where a purger keeps purges that not every edge has acknowledged yet.
 * @module
 */
import { MizanError, PurgeError } from '../errors.ts'

/**
 * A purge waiting for edge acknowledgements. The body is kept as the exact JSON text that is
 * signed and sent, so every retry (and a resend after a restart) carries the same `id`.
 *
 * @example
 * ```ts
 * const item: OutboxItem = { id: 'p1', body: '{"id":"p1","tags":["posts"]}', edges: ['https://app.example.com'], createdAt: Date.now() }
 * ```
 */
export interface OutboxItem {
  readonly id: string
  /** The serialised purge body. */
  readonly body: string
  /** Edge base URLs that have not acknowledged it yet. */
  readonly edges: readonly string[]
  /** ms since the epoch. */
  readonly createdAt: number
}

/**
 * Storage of undelivered purges. `add` stores or replaces the item with the same id (the
 * purger rewrites an item as edges acknowledge it); `list` returns items oldest first.
 * A durable implementation (`FileOutbox` from `@mizan/core/purger-node`) lets a restarted
 * process resend what was pending.
 *
 * @example
 * ```ts
 * const outbox: PurgeOutbox = new MemoryOutbox()
 * const purger = createPurger({ secret, edges, outbox })
 * ```
 */
export interface PurgeOutbox {
  add(item: OutboxItem): Promise<void>
  remove(id: string): Promise<void>
  list(): Promise<OutboxItem[]>
}

/**
 * The default, in-process outbox: pending purges survive edge outages but not a restart.
 * Bounded: when full, `add` throws, so a purge fails instead of being silently dropped.
 *
 * @example
 * ```ts
 * const outbox = new MemoryOutbox({ maxItems: 1000 })
 * ```
 */
export class MemoryOutbox implements PurgeOutbox {
  readonly #items = new Map<string, OutboxItem>()
  readonly #maxItems: number

  constructor(options: { maxItems?: number } = {}) {
    this.#maxItems = checkMaxItems('MemoryOutbox', options.maxItems)
  }

  async add(item: OutboxItem): Promise<void> {
    if (!this.#items.has(item.id) && this.#items.size >= this.#maxItems) throw outboxFull(this.#maxItems)
    this.#items.set(item.id, { ...item, edges: [...item.edges] })
  }

  async remove(id: string): Promise<void> {
    this.#items.delete(id)
  }

  async list(): Promise<OutboxItem[]> {
    return [...this.#items.values()]
  }
}

/** Validates an outbox's `maxItems` option (default 10,000). */
export function checkMaxItems(owner: string, maxItems: number | undefined): number {
  const value = maxItems ?? 10_000
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MizanError('MIZAN_CONFIG', `${owner}: maxItems must be a positive integer, got ${String(maxItems)}.`)
  }
  return value
}

/** The error of an outbox that cannot take another item. */
export function outboxFull(maxItems: number): PurgeError {
  return new PurgeError(`The purge outbox is full (${maxItems} undelivered purges): the edges have not acknowledged purges for a while. Check that they are reachable and share the secret; the purge was not queued.`)
}
