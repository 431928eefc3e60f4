/**
 * The purger a user's backend calls after a write: purge the origin-side cache, then deliver
 * a signed purge to every render Worker until each acknowledges it.
 * @module
 */
import type { CacheBackend } from '../backend.ts'
import { utf8Decode } from '../bytes.ts'
import { MizanError, PurgeError } from '../errors.ts'
import type { CacheKeyring, CacheSecret } from '../secret.ts'
import { applyPurge } from './apply.ts'
import type { PurgeSummary } from './apply.ts'
import { resolveRetry } from './backoff.ts'
import type { ResolvedRetry, RetryOptions } from './backoff.ts'
import { parseEdge } from './delivery.ts'
import type { Edge } from './delivery.ts'
import { buildPurgeBody } from './input.ts'
import type { PurgeInput } from './input.ts'
import { checkPurgeManifest } from './manifest.ts'
import type { PurgeManifest } from './manifest.ts'
import { MemoryOutbox } from './outbox.ts'
import type { OutboxItem, PurgeOutbox } from './outbox.ts'
import { PendingPurge } from './pending.ts'
import type { PurgeKeys } from './signature.ts'
import { encodePurgeBody } from './wire.ts'

/**
 * Options of {@link createPurger}. Give `secret` or `keyring` (during a rotation: the
 * keyring signs with every key so old and new edges both accept).
 *
 * @example
 * ```ts
 * const options: PurgerOptions = { secret, backend: originCache, edges: ['https://app.example.com'], manifest }
 * ```
 */
export interface PurgerOptions {
  readonly secret?: CacheSecret
  readonly keyring?: CacheKeyring
  /** The origin-side cache, purged first. */
  readonly backend?: CacheBackend
  /** Base URLs of the render Workers to purge (may be empty: origin only). */
  readonly edges: readonly string[]
  /** The build manifest; needed to purge data functions by id. */
  readonly manifest?: PurgeManifest
  /** Where undelivered purges wait (default a `MemoryOutbox`; `FileOutbox` survives restarts). */
  readonly outbox?: PurgeOutbox
  readonly fetch?: typeof fetch
  readonly retry?: RetryOptions
}

/**
 * A completed purge: the origin cache's summary (`null` without a backend) and each edge's
 * number of attempts.
 *
 * @example
 * ```ts
 * const { id, origin, edges } = await purger.purge({ tags: ['posts'] })
 * ```
 */
export interface PurgeResult {
  readonly id: string
  readonly origin: PurgeSummary | null
  readonly edges: readonly { readonly url: string; readonly attempts: number }[]
}

/**
 * Purges the origin cache and the render Workers.
 *
 * @example
 * ```ts
 * await purger.purge({ tags: ['post:hello'] })
 * await purger.close()
 * ```
 */
export interface Purger {
  /**
   * Resolves once the origin cache is purged and every edge acknowledged. Rejects with
   * `PurgeError` when the origin purge fails (then nothing is sent), when an edge refuses
   * for good (401/400…), or after `retry.deadlineMs` — the purge then stays in the outbox
   * and retries go on in the background.
   */
  purge(input: PurgeInput): Promise<PurgeResult>
  /** Retries every pending purge now (also those left by a previous run) and waits for all acknowledgements; rejects like `purge`. */
  flush(): Promise<void>
  /** Stops retrying; pending purges stay in the outbox for the next run. */
  close(): Promise<void>
}

/**
 * Creates a purger for the user's backend. Options are validated here, not at purge time.
 * On creation it resends what the outbox holds from a previous run. Retry timers do not
 * keep a Node process alive: call `flush()` before exiting to wait for delivery.
 *
 * @example
 * ```ts
 * import manifest from '../web/dist/mizan/manifest.json' with { type: 'json' }
 * const purger = createPurger({
 *   secret: await createSecret(process.env.MIZAN_SECRET),
 *   backend: originCache,
 *   edges: [process.env.MIZAN_EDGE_URL!],
 *   manifest,
 * })
 * await db.updatePost(slug, post)
 * await purger.purge({ tags: [`post:${slug}`], fns: [{ fn: 'posts/[slug]#post', params: { slug } }] })
 * ```
 */
export function createPurger(options: PurgerOptions): Purger {
  return new OriginPurger(options)
}

class OriginPurger implements Purger {
  readonly #keys: PurgeKeys
  readonly #backend: CacheBackend | undefined
  readonly #edges: ReadonlyMap<string, Edge>
  readonly #manifest: PurgeManifest | undefined
  readonly #outbox: PurgeOutbox
  readonly #fetch: typeof fetch
  readonly #retry: ResolvedRetry
  readonly #pending = new Map<string, PendingPurge>()
  readonly #abort = new AbortController()
  readonly #loaded: Promise<void>
  #loadError: unknown

  constructor(options: PurgerOptions) {
    this.#keys = checkKeys(options)
    this.#backend = options.backend
    if (!Array.isArray(options.edges)) {
      throw new MizanError('MIZAN_CONFIG', "createPurger: edges must be an array of render Worker base URLs, e.g. ['https://app.example.com'] (or [] to purge the origin cache only).")
    }
    this.#edges = new Map(options.edges.map(parseEdge).map((edge) => [edge.base, edge]))
    if (options.manifest !== undefined) checkPurgeManifest(options.manifest)
    this.#manifest = options.manifest
    this.#outbox = options.outbox ?? new MemoryOutbox()
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.#retry = resolveRetry(options.retry)
    this.#loaded = this.#resume()
  }

  async purge(input: PurgeInput): Promise<PurgeResult> {
    if (this.#abort.signal.aborted) throw new PurgeError('This purger is closed; create a new one.')
    const body = buildPurgeBody(input, this.#manifest)
    const bytes = encodePurgeBody(body)
    let origin: PurgeSummary | null = null
    if (this.#backend !== undefined) {
      try {
        origin = await applyPurge(body, { backend: this.#backend, secret: this.#keys })
      } catch (cause) {
        throw new PurgeError(`Purging the origin cache (${this.#backend.name}) failed, so nothing was sent to the edges; retry the purge. ${(cause as Error).message}`, { cause })
      }
    }
    if (this.#edges.size === 0) return { id: body.id, origin, edges: [] }
    const item: OutboxItem = { id: body.id, body: utf8Decode(bytes), edges: [...this.#edges.keys()], createdAt: Date.now() }
    try {
      await this.#outbox.add(item)
    } catch (cause) {
      throw new PurgeError(`The origin cache was purged but the edge purge could not be queued, so no edge was purged; retry the purge. ${(cause as Error).message}`, { cause })
    }
    if (this.#abort.signal.aborted) throw closedError()
    const pending = this.#start(item)
    await this.#settle([pending])
    return { id: body.id, origin, edges: pending.edgeResults() }
  }

  async flush(): Promise<void> {
    await this.#loaded
    if (this.#loadError !== undefined) {
      throw new PurgeError(`The purge outbox could not be read, so earlier purges were not resent: ${(this.#loadError as Error).message}`, { cause: this.#loadError })
    }
    const pending = [...this.#pending.values()]
    for (const purge of pending) purge.wake()
    await this.#settle(pending)
  }

  async close(): Promise<void> {
    this.#abort.abort()
    const closed = closedError()
    await Promise.all([...this.#pending.values()].map((purge) => purge.stop(closed)))
    await this.#loaded
  }

  #start(item: OutboxItem): PendingPurge {
    const known = this.#pending.get(item.id)
    if (known !== undefined) return known
    const edges = item.edges.map((base) => this.#edges.get(base)).filter((edge) => edge !== undefined)
    const pending = new PendingPurge(item, edges, {
      keys: this.#keys,
      outbox: this.#outbox,
      fetch: this.#fetch,
      retry: this.#retry,
      signal: this.#abort.signal,
    })
    this.#pending.set(item.id, pending)
    pending.acknowledged.then(() => this.#pending.delete(item.id), () => undefined)
    pending.run()
    return pending
  }

  // Edges dropped from the configuration since an item was queued are not waited for:
  // the configuration says where the render Workers are now.
  async #resume(): Promise<void> {
    try {
      for (const item of await this.#outbox.list()) {
        if (this.#abort.signal.aborted) return
        this.#start(item)
      }
    } catch (error) {
      this.#loadError = error
    }
  }

  async #settle(pending: readonly PendingPurge[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(deadlineError(pending, this.#retry.deadlineMs)), this.#retry.deadlineMs)
    })
    try {
      await Promise.race([Promise.all(pending.map((purge) => purge.acknowledged)), deadline])
    } finally {
      clearTimeout(timer)
    }
  }
}

function checkKeys(options: PurgerOptions): PurgeKeys {
  const keys = options.keyring ?? options.secret
  if (keys === undefined || (options.keyring !== undefined && options.secret !== undefined)) {
    throw new MizanError('MIZAN_CONFIG', 'createPurger needs exactly one of secret (createSecret(process.env.MIZAN_SECRET)) or keyring (createKeyring(next, current) during a rotation).')
  }
  return keys
}

function closedError(): PurgeError {
  return new PurgeError('The purger was closed before every edge acknowledged; the purge stays in the outbox and is resent by the next purger over it.')
}

function deadlineError(pending: readonly PendingPurge[], deadlineMs: number): PurgeError {
  const waiting = pending.flatMap((purge) => purge.unacknowledged())
  return new PurgeError(`Not every edge acknowledged the purge within ${deadlineMs} ms (${waiting.join('; ')}). It stays in the outbox and is retried in the background.`)
}
