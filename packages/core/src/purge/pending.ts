/**
 * One queued purge on its way to the edges: a delivery loop per edge, retries with backoff,
 * and the outbox kept in step with the acknowledgements.
 * @module
 */
import { utf8Encode } from '../bytes.ts'
import { PurgeError } from '../errors.ts'
import { backoffDelay } from './backoff.ts'
import type { ResolvedRetry } from './backoff.ts'
import { deliverOnce } from './delivery.ts'
import type { DeliveryOutcome, Edge } from './delivery.ts'
import type { OutboxItem, PurgeOutbox } from './outbox.ts'
import { signPurgeRequest } from './sign.ts'
import type { PurgeKeys } from './signature.ts'

/** What a pending purge needs from its purger. */
export interface DeliveryContext {
  readonly keys: PurgeKeys
  readonly outbox: PurgeOutbox
  readonly fetch: typeof fetch
  readonly retry: ResolvedRetry
  /** Aborted when the purger closes: stops loops, sleeps and in-flight requests. */
  readonly signal: AbortSignal
}

interface EdgeState {
  readonly edge: Edge
  status: 'pending' | 'acked' | 'failed'
  attempts: number
  /** The last signed timestamp (unix seconds). */
  lastTs: number
  lastError?: string
  /** A `Retry-After` the edge asked for, in ms since the epoch. */
  notBefore: number
  wake?: () => void
}

/** A purge in the outbox being delivered to its edges. */
export class PendingPurge {
  /** Resolves when every edge acknowledged; rejects when one refused for good or on close. */
  readonly acknowledged: Promise<void>
  readonly #item: OutboxItem
  readonly #bytes: Uint8Array
  readonly #edges: EdgeState[]
  readonly #context: DeliveryContext
  #settled = false
  #resolve!: () => void
  #reject!: (error: unknown) => void
  #runs: Promise<void>[] = []

  constructor(item: OutboxItem, edges: readonly Edge[], context: DeliveryContext) {
    this.#item = item
    this.#bytes = utf8Encode(item.body)
    this.#edges = edges.map((edge) => ({ edge, status: 'pending', attempts: 0, lastTs: 0, notBefore: 0 }))
    this.#context = context
    this.acknowledged = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.acknowledged.catch(() => undefined)
  }

  run(): void {
    if (this.#edges.length === 0) {
      this.#runs = [this.#acknowledgedBy()]
      return
    }
    this.#runs = this.#edges.map((state) => this.#deliver(state))
  }

  /** Cuts short every backoff wait (a `Retry-After` is still honoured). */
  wake(): void {
    for (const state of this.#edges) state.wake?.()
  }

  async stop(error: PurgeError): Promise<void> {
    this.#settle(error)
    this.wake()
    await Promise.all(this.#runs)
  }

  edgeResults(): { url: string; attempts: number }[] {
    return this.#edges.map((state) => ({ url: state.edge.base, attempts: state.attempts }))
  }

  unacknowledged(): string[] {
    return this.#edges
      .filter((state) => state.status !== 'acked')
      .map((state) => `${state.edge.base}: ${state.attempts} attempt(s), last ${state.lastError ?? 'still in flight'}`)
  }

  async #deliver(state: EdgeState): Promise<void> {
    const { retry, signal } = this.#context
    while (!signal.aborted) {
      // Every attempt gets a later timestamp than the previous one, so its MAC is new and the
      // edge's replay protection never mistakes a retry for a replay.
      const ts = Math.max(Math.floor(Date.now() / 1000), state.lastTs + 1)
      state.lastTs = ts
      state.attempts++
      const outcome = await this.#attempt(state, ts)
      if (signal.aborted) return
      if (outcome.kind === 'ack') {
        state.status = 'acked'
        await this.#acknowledgedBy()
        return
      }
      state.lastError = outcome.message
      if (outcome.kind === 'permanent') {
        state.status = 'failed'
        this.#settle(new PurgeError(`Purge ${this.#item.id} was refused for good by the render Worker at ${state.edge.base}: it ${outcome.message}. This is not retried; the purge stays in the outbox and is resent by the next purger over it (fix the secret, clock or URL first).`))
        return
      }
      const backoff = backoffDelay(state.attempts, retry)
      state.notBefore = outcome.retryAfterMs === undefined ? 0 : Date.now() + outcome.retryAfterMs
      await this.#sleep(state, Math.max(backoff, outcome.retryAfterMs ?? 0))
      while (!signal.aborted && Date.now() < state.notBefore) await this.#sleep(state, state.notBefore - Date.now())
    }
  }

  async #attempt(state: EdgeState, ts: number): Promise<DeliveryOutcome> {
    const { keys, fetch, retry, signal } = this.#context
    try {
      const signature = await signPurgeRequest(keys, { method: 'POST', path: state.edge.path, body: this.#bytes, now: ts * 1000 })
      return await deliverOnce(fetch, state.edge, { id: this.#item.id, body: this.#bytes, signature, timeoutMs: retry.attemptTimeoutMs, signal })
    } catch (error) {
      // deliverOnce turns every network failure into an outcome; reaching this is a local fault (signing, a custom fetch).
      return { kind: 'permanent', message: `could not be sent: ${error instanceof Error ? error.message : String(error)}` }
    }
  }

  // An outbox failure here is not the caller's problem: the edge has the purge, and the
  // worst a stale outbox entry causes is one harmless resend after a restart.
  async #acknowledgedBy(): Promise<void> {
    const remaining = this.#edges.filter((state) => state.status !== 'acked').map((state) => state.edge.base)
    const { outbox } = this.#context
    const write = remaining.length === 0 ? outbox.remove(this.#item.id) : outbox.add({ ...this.#item, edges: remaining })
    await write.catch(() => undefined)
    if (remaining.length === 0) this.#settle()
  }

  #settle(error?: PurgeError): void {
    if (this.#settled) return
    this.#settled = true
    if (error === undefined) this.#resolve()
    else this.#reject(error)
  }

  #sleep(state: EdgeState, ms: number): Promise<void> {
    if (this.#context.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        state.wake = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      // A pending retry must not keep a Node process alive by itself (see createPurger).
      ;(timer as { unref?: () => void }).unref?.()
      state.wake = done
    })
  }
}
