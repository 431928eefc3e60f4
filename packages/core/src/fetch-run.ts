/**
 * The computing half of `cacheFetch`: a flight's lease, waiting for another process, and
 * computing and storing a value.
 * @module
 */

import type { EntryRef, Lease, Ticket } from './backend.ts'
import { entryTags, readEntry, writeEntry } from './entry-io.ts'
import type { CacheHit } from './entry-io.ts'
import type { CacheFetchOptions, FetchResult } from './fetch.ts'
import type { FlightOutcome } from './flight.ts'
import type { Lifetimes } from './lifetimes.ts'

const POLL_FIRST_MS = 5
const POLL_MAX_MS = 100

/** One `cacheFetch` call, its options resolved. */
export interface Run<T> {
  readonly options: CacheFetchOptions<T>
  readonly ref: EntryRef
  readonly lifetimes: Lifetimes
  readonly leaseMs: number
  readonly now: () => number
}

/**
 * The flight's work: take the lease of (key, epoch) and compute, or wait for the process that
 * holds it. The lease is per epoch so that after a purge a new computation need not wait for
 * one that started before it (whose result the backend will refuse anyway).
 */
export async function lead<T>(run: Run<T>, ticket: Ticket): Promise<FlightOutcome> {
  const { backend } = run.options
  const leaseRef: EntryRef = { context: run.ref.context, key: `${run.ref.key}.${ticket.epoch}` }
  let lease: Lease | null
  try {
    lease = await backend.lease(leaseRef, run.leaseMs)
    if (lease === null) {
      const waited = await awaitOther(run, leaseRef)
      if (waited.hit !== undefined) return { value: waited.hit.value, state: 'HIT', stored: true, tags: waited.hit.envelope.tags }
      lease = waited.lease
    }
  } catch {
    return computeOnly(run)
  }
  if (lease !== null) {
    // Another holder may have stored the entry and released the lease between this caller's
    // miss and its lease: read once more rather than compute a second time.
    const stored = await readEntry<unknown>(run.options.secret, backend, run.ref, run.now()).catch(() => null)
    if (stored?.state === 'fresh') {
      lease.release().catch(() => undefined)
      return { value: stored.value, state: 'HIT', stored: true, tags: stored.envelope.tags }
    }
  }
  try {
    return await computeAndStore(run, ticket)
  } finally {
    lease?.release().catch(() => undefined)
  }
}

/** Polls with backoff until the entry is fresh, the lease frees up, or the lease would have expired. */
async function awaitOther<T>(run: Run<T>, leaseRef: EntryRef): Promise<{ hit?: CacheHit<T>; lease: Lease | null }> {
  const { backend, secret } = run.options
  const deadline = Date.now() + run.leaseMs
  for (let delay = POLL_FIRST_MS; Date.now() < deadline; delay = Math.min(delay * 2, POLL_MAX_MS)) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(1, deadline - Date.now()))))
    const hit = await readEntry<T>(secret, backend, run.ref, run.now())
    if (hit?.state === 'fresh') return { hit, lease: null }
    const lease = await backend.lease(leaseRef, run.leaseMs)
    if (lease !== null) return { lease }
  }
  // The holder is presumably gone; computing twice is safe, the backend arbitrates the puts.
  return { lease: null }
}

export async function computeAndStore<T>(run: Run<T>, ticket: Ticket): Promise<FlightOutcome> {
  const { value, added } = await compute(run)
  const tags = entryTags(run.options.policy.tags, added)
  if (tags === undefined) return { value, state: 'MISS', stored: false, tags: rawTags(run, added) }
  const { secret, backend } = run.options
  const stored = await writeEntry(secret, backend, run.ref, value, { lifetimes: run.lifetimes, tags, ticket, now: run.now() })
  return { value, state: 'MISS', stored, tags }
}

/** Computes without storing: the backend failed or the policy keeps nothing. */
export async function computeOnly<T>(run: Run<T>): Promise<FetchResult<T> & FlightOutcome & { state: 'MISS' }> {
  const { value, added } = await compute(run)
  return { value, state: 'MISS', stored: false, tags: entryTags(run.options.policy.tags, added) ?? rawTags(run, added) }
}

async function compute<T>(run: Run<T>): Promise<{ value: T; added: string[] }> {
  const added: string[] = []
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException(`The computation outlived its lease of ${run.leaseMs} ms.`, 'TimeoutError')), run.leaseMs)
  try {
    const value = await run.options.compute({ addTags: (...tags) => void added.push(...tags), signal: controller.signal })
    return { value, added }
  } finally {
    clearTimeout(timer)
  }
}

function rawTags(run: Run<unknown>, added: readonly string[]): string[] {
  return [...new Set([...(run.options.policy.tags ?? []), ...added])]
}
