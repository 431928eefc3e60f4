/**
 * In-process single flight: concurrent misses of one key share one computation. A flight is
 * joinable only by callers whose ticket is not newer than the flight's, so a caller that
 * arrives after a purge never receives data read before it.
 * @module
 */

import type { CacheBackend } from './backend.ts'
import { Fifo } from './fifo.ts'

/** What a flight produced, shared by everyone who joined it. */
export interface FlightOutcome {
  readonly value: unknown
  /** `HIT` when another process computed it and this flight found it in the backend. */
  readonly state: 'HIT' | 'MISS'
  readonly stored: boolean
  readonly tags: readonly string[]
}

interface Flight {
  /** The purge epoch of the ticket taken before the flight's data was read. */
  readonly epoch: number
  readonly outcome: Promise<FlightOutcome>
  /** How it ended, once it has: read by callers that must not await `outcome` (see `join`). */
  settled?: { readonly ok: true; readonly outcome: FlightOutcome } | { readonly ok: false; readonly error: unknown }
  /** `Infinity` while running; after success, until when late callers may still join. */
  joinableUntil: number
}

interface Finished {
  readonly flights: Map<string, Flight>
  readonly key: string
  readonly flight: Flight
}

/** Flights by backend and entry key. Times are real time: the join window covers I/O races. */
export class FlightTable {
  readonly #byBackend = new WeakMap<CacheBackend, Map<string, Flight>>()
  // In completion order; sweeping stops at the first flight still joinable. Windows differ, so
  // a flight may stay in memory past its own window, but `join` checks the time itself.
  readonly #finished = new Fifo<Finished>()

  /**
   * The outcome of a joinable flight for `key` whose data is at least as new as `epoch`;
   * with `running: true` only a flight still computing qualifies. On a `requestScoped` backend
   * the caller never awaits the flight's own promise (workerd cancels a request's continuation
   * when a promise it awaits is settled from a request that has ended, and the waiter hangs):
   * it watches the flight with its own timers, and gets `undefined` when the flight has not
   * ended within `waitMs` (its leader's request was cancelled, say) — it should compute itself.
   */
  join(backend: CacheBackend, key: string, epoch: number, options: { running?: boolean; waitMs?: number } = {}): Promise<FlightOutcome | undefined> | undefined {
    this.#sweep()
    const flight = this.#byBackend.get(backend)?.get(key)
    if (flight === undefined || flight.epoch < epoch || flight.joinableUntil <= Date.now()) return undefined
    if (options.running === true && flight.joinableUntil !== Infinity) return undefined
    return backend.requestScoped === true ? watch(flight, options.waitMs ?? DEFAULT_WAIT_MS) : flight.outcome
  }

  /** Whether a computation for `key` is under way (a finished flight does not count). */
  running(backend: CacheBackend, key: string): boolean {
    return this.#byBackend.get(backend)?.get(key)?.joinableUntil === Infinity
  }

  /**
   * Starts `run` as the flight of `key`, replacing any flight there (an older one keeps running
   * for its own callers). A stored outcome stays joinable for `windowMs`, for callers whose
   * read raced the write; anything else is forgotten at once.
   */
  start(backend: CacheBackend, key: string, epoch: number, windowMs: number, run: () => Promise<FlightOutcome>): Promise<FlightOutcome> {
    this.#sweep()
    let flights = this.#byBackend.get(backend)
    if (flights === undefined) {
      flights = new Map()
      this.#byBackend.set(backend, flights)
    }
    const table = flights
    // Deferred by a microtask so the flight is registered before `run` can settle.
    const outcome = Promise.resolve().then(run).then(
      (outcome) => {
        flight.settled = { ok: true, outcome }
        const keepMs = outcome.stored ? windowMs : 0
        flight.joinableUntil = Date.now() + keepMs
        if (keepMs > 0) this.#finished.push({ flights: table, key, flight })
        else forget(table, key, flight)
        return outcome
      },
      (error: unknown) => {
        flight.settled = { ok: false, error }
        forget(table, key, flight)
        throw error
      },
    )
    const flight: Flight = { epoch, outcome, joinableUntil: Infinity }
    table.set(key, flight)
    return flight.outcome
  }

  #sweep(): void {
    const now = Date.now()
    for (let next = this.#finished.peek(); next !== undefined && next.flight.joinableUntil <= now; next = this.#finished.peek()) {
      this.#finished.shift()
      forget(next.flights, next.key, next.flight)
    }
  }
}

const DEFAULT_WAIT_MS = 10_000
const WATCH_FIRST_MS = 1
const WATCH_MAX_MS = 25

/** Polls `flight.settled` with the caller's own timers (backing off) until it ends or `waitMs` passes. */
async function watch(flight: Flight, waitMs: number): Promise<FlightOutcome | undefined> {
  const deadline = Date.now() + waitMs
  for (let delay = WATCH_FIRST_MS; flight.settled === undefined; delay = Math.min(delay * 2, WATCH_MAX_MS)) {
    if (Date.now() >= deadline) return undefined
    await new Promise((resolve) => setTimeout(resolve, delay))
  }
  if (flight.settled.ok) return flight.settled.outcome
  throw flight.settled.error
}

function forget(flights: Map<string, Flight>, key: string, flight: Flight): void {
  if (flights.get(key) === flight) flights.delete(key)
}
