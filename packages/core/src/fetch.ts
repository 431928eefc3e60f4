/**
 * `cacheFetch`: get-or-compute with stale-while-revalidate, stale-if-error and single flight
 * (in-process flights, cross-process leases), on any `CacheBackend`.
 * @module
 */

import type { CacheBackend, Ticket } from './backend.ts'
import { canonicalParams } from './canonical.ts'
import { readEntry } from './entry-io.ts'
import type { CacheHit } from './entry-io.ts'
import { MizanError } from './errors.ts'
import { computeAndStore, computeOnly, lead } from './fetch-run.ts'
import type { Run } from './fetch-run.ts'
import { FlightTable } from './flight.ts'
import type { FlightOutcome } from './flight.ts'
import { policyLifetimes } from './lifetimes.ts'
import { batchedTicket } from './tickets.ts'
import type { CacheSecret } from './secret.ts'
import type { CacheContext, CachePolicy } from './types.ts'

/**
 * What `cacheFetch` needs: where the entry lives, how long it lives, and how to compute it.
 *
 * @example
 * ```ts
 * const options: CacheFetchOptions<Post> = {
 *   secret, backend, context: { fn: 'posts#post', version: 'v1' }, params: { slug },
 *   policy: { ttl: 300, swr: 3600, tags: [`post:${slug}`] },
 *   compute: async ({ signal }) => (await fetch(`${origin}/posts/${slug}`, { signal })).json(),
 *   waitUntil: (p) => ctx.waitUntil(p),
 * }
 * ```
 */
export interface CacheFetchOptions<T> {
  readonly secret: CacheSecret
  readonly backend: CacheBackend
  readonly context: CacheContext
  readonly params: unknown
  /** ttl / swr / staleIfError in seconds; tags already filled from params. */
  readonly policy: CachePolicy
  /**
   * Computes the value. `addTags` adds tags at run time; `signal` aborts once the computation
   * outlives `leaseMs` (by then other processes stop waiting for it and compute themselves).
   */
  compute(info: { addTags(...tags: string[]): void; signal: AbortSignal }): Promise<T>
  /** Keeps background refreshes alive (Workers `ctx.waitUntil`); default: fire and forget. */
  waitUntil?(promise: Promise<unknown>): void
  /** The cross-process single-flight lease, ms. Default 10,000. */
  readonly leaseMs?: number
  /** The clock for envelope times (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number
}

/**
 * A value and where it came from: `HIT` fresh from the cache, `STALE` served stale (while
 * refreshing, or because computing failed), `MISS` computed by this call or a flight it joined.
 *
 * @example
 * ```ts
 * const { value, state, tags } = await cacheFetch(options)
 * headers.set('x-mizan-cache', state)
 * ```
 */
export interface FetchResult<T> {
  readonly value: T
  readonly state: 'HIT' | 'STALE' | 'MISS'
  /** Whether this call's computation (or the flight it joined) is now in the cache. */
  readonly stored: boolean
  readonly tags: readonly string[]
}

/** The default `leaseMs`. */
const DEFAULT_LEASE_MS = 10_000
/** How long a finished flight stays joinable, capped by the value's fresh lifetime. */
const JOIN_WINDOW_MS = 1_000

const flights = new FlightTable()
const refreshing = new WeakMap<CacheBackend, Set<string>>()

/**
 * Returns the cached value of `(context, params)` or computes, stores and returns it. Fresh →
 * `HIT`; stale within `swr` → `STALE` and one background refresh per key per process; a miss
 * → one computation shared by concurrent callers (and, through a lease, by other processes).
 * If computing throws, a stale value within `staleIfError` is served, else the error is
 * rethrown unchanged. Cache failures never fail the call: it computes instead.
 * `ttl: 0` without `swr` computes every time (and stores only for `staleIfError`).
 *
 * @example
 * ```ts
 * const { value: post } = await cacheFetch<Post>({
 *   secret, backend, context, params: { slug }, policy: { ttl: 300, swr: 3600, tags: [`post:${slug}`] },
 *   compute: async ({ addTags }) => { const p = await db.post(slug); addTags(`author:${p.authorId}`); return p },
 * })
 * ```
 */
export async function cacheFetch<T>(options: CacheFetchOptions<T>): Promise<FetchResult<T>> {
  const leaseMs = validate(options)
  const lifetimes = policyLifetimes(options.policy)
  const canonical = canonicalParams(options.params)
  const ref = options.secret.entryRefSync?.(options.context, canonical) ?? (await options.secret.entryRef(options.context, canonical))
  const run: Run<T> = { options, ref, lifetimes, leaseMs, now: options.now ?? Date.now }
  if (lifetimes.freshMs === 0 && lifetimes.swrMs === 0) return uncached(run)
  let hit: CacheHit<T> | undefined
  try {
    hit = await readEntry<T>(options.secret, options.backend, ref, run.now())
  } catch {
    return computeOnly(run)
  }
  if (hit?.state === 'fresh') return served(hit, 'HIT')
  if (hit?.state === 'stale') {
    refresh(run)
    return served(hit, 'STALE')
  }
  try {
    return await viaFlight(run)
  } catch (error) {
    if (hit !== undefined && run.now() < hit.envelope.errorUntil) return served(hit, 'STALE')
    throw error
  }
}

function validate(options: CacheFetchOptions<unknown>): number {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
  const problems: string[] = []
  if (typeof options.compute !== 'function') problems.push('compute must be an async function')
  if (!(leaseMs > 0) || !Number.isFinite(leaseMs)) problems.push(`leaseMs must be a positive number of ms, got ${String(leaseMs)}`)
  if (options.waitUntil !== undefined && typeof options.waitUntil !== 'function') problems.push('waitUntil must be a function like (p) => ctx.waitUntil(p)')
  if (options.now !== undefined && typeof options.now !== 'function') problems.push('now must be a function returning ms since the epoch')
  if (problems.length > 0) throw new MizanError('MIZAN_CONFIG', `Invalid cacheFetch options: ${problems.join('; ')}.`)
  return leaseMs
}

function served<T>(hit: CacheHit<T>, state: FetchResult<T>['state']): FetchResult<T> {
  return { value: hit.value, state, stored: false, tags: hit.envelope.tags }
}

function fromFlight<T>(outcome: FlightOutcome): FetchResult<T> {
  return { value: outcome.value as T, state: outcome.state, stored: outcome.stored, tags: outcome.tags }
}

/** Joins a flight whose data is at least as new as a ticket taken now, or starts one. */
async function viaFlight<T>(run: Run<T>): Promise<FetchResult<T>> {
  let ticket: Ticket
  try {
    ticket = await batchedTicket(run.options.backend)
  } catch {
    return computeOnly(run)
  }
  return fromFlight(await flight(run, ticket, false))
}

/** A refresh joins only a running flight: a finished one holds exactly the value being refreshed. */
async function flight(run: Run<unknown>, ticket: Ticket, refreshing: boolean): Promise<FlightOutcome> {
  const { backend } = run.options
  const joined = flights.join(backend, run.ref.key, ticket.epoch, { running: refreshing, waitMs: run.leaseMs })
  if (joined !== undefined) {
    // `undefined`: a request-scoped flight that did not end in time; the lease arbitrates from here.
    const outcome = await joined
    if (outcome !== undefined) return outcome
    return lead(run, ticket)
  }
  const windowMs = Math.min(JOIN_WINDOW_MS, run.lifetimes.freshMs)
  return flights.start(backend, run.ref.key, ticket.epoch, windowMs, () => lead(run, ticket))
}

/** One background refresh per key per process, its errors swallowed; none while the cache is down. */
function refresh(run: Run<unknown>): void {
  const { backend, waitUntil } = run.options
  let keys = refreshing.get(backend)
  if (keys === undefined) {
    keys = new Set()
    refreshing.set(backend, keys)
  }
  const key = run.ref.key
  if (keys.has(key) || flights.running(backend, key)) return
  keys.add(key)
  const done = batchedTicket(backend)
    .then((ticket) => flight(run, ticket, true))
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => keys.delete(key))
  try {
    waitUntil?.call(run.options, done)
  } catch {
    // A runtime that refuses waitUntil (e.g. after the response) still gets the refresh, unguarded.
  }
}

/** `ttl: 0` and no `swr`: compute every time; keep a copy only to serve if computing fails. */
async function uncached<T>(run: Run<T>): Promise<FetchResult<T>> {
  if (run.lifetimes.errorMs === 0) return computeOnly(run)
  const { backend, secret } = run.options
  const ticket = await backend.ticket().catch(() => undefined)
  try {
    if (ticket === undefined) return await computeOnly(run)
    return fromFlight(await computeAndStore(run, ticket))
  } catch (error) {
    const hit = await readEntry<T>(secret, backend, run.ref, run.now()).catch(() => undefined)
    if (hit !== undefined) return served(hit, 'STALE')
    throw error
  }
}

