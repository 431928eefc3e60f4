/**
 * Reading and writing one envelope through a backend: the steps `cacheGet`, `cachePut` and
 * `cacheFetch` share once the entry's ref is known.
 * @module
 */

import type { CacheBackend, EntryRef, Ticket } from './backend.ts'
import { decodeEnvelope, encodeEnvelope } from './envelope.ts'
import { TagError } from './errors.ts'
import type { Envelope } from './envelope.ts'
import { isJsonValue } from './json-value.ts'
import { envelopeTimes } from './lifetimes.ts'
import type { Lifetimes } from './lifetimes.ts'
import type { CacheSecret } from './secret.ts'
import { normalizeTags } from './tags.ts'

/**
 * A readable cache entry. `state` says how it may be served: `fresh` as is, `stale` while one
 * refresh runs (stale-while-revalidate), `error-stale` only when recomputing fails.
 *
 * @example
 * ```ts
 * const hit = await cacheGet<Post>(secret, backend, context, { slug })
 * if (hit?.state === 'fresh') return hit.value
 * ```
 */
export interface CacheHit<T> {
  readonly value: T
  readonly state: 'fresh' | 'stale' | 'error-stale'
  readonly envelope: Envelope<T>
}

/**
 * The entry at `ref` as of `now`, or `undefined`. Corrupt, foreign and old-version bytes are
 * deleted and read as a miss. Backend errors propagate (as a rejection); callers decide to fail
 * open. Not an `async` function: on the hit path every promise and microtask counts.
 */
export function readEntry<T>(secret: CacheSecret, backend: CacheBackend, ref: EntryRef, now: number): Promise<CacheHit<T> | undefined> {
  let found: Promise<Uint8Array | null>
  try {
    found = backend.get(ref)
  } catch (error) {
    return Promise.reject(error)
  }
  return found.then((bytes) => entryOf<T>(secret, backend, ref, bytes, now))
}

/**
 * The step of {@link readEntry} after the backend answered: `bytes` as a hit at `now`, or
 * `undefined` (deleting corrupt, foreign and old-version bytes on the way). Never throws.
 */
export function entryOf<T>(secret: CacheSecret, backend: CacheBackend, ref: EntryRef, bytes: Uint8Array | null, now: number): CacheHit<T> | undefined | Promise<undefined> {
  if (bytes === null) return undefined
  const envelope = decodeEnvelope(bytes, { keyId: secret.keyId, key: ref.key }) as Envelope<T> | null
  if (envelope === null) {
    // Deleting is best effort: the entry is unusable either way and will expire.
    try {
      return backend.delete(ref).then(miss, miss)
    } catch {
      return undefined
    }
  }
  const state = stateAt(envelope, now)
  return state === undefined ? undefined : { value: envelope.value, state, envelope }
}

const miss = (): undefined => undefined

/** How `envelope` may be served at `now`; `undefined` once past `errorUntil`. */
export function stateAt(envelope: Envelope<unknown>, now: number): CacheHit<unknown>['state'] | undefined {
  if (now < envelope.freshUntil) return 'fresh'
  if (now < envelope.staleUntil) return 'stale'
  if (now < envelope.errorUntil) return 'error-stale'
  return undefined
}

/** What `writeEntry` needs beyond the ref and the value. */
export interface WriteOptions {
  readonly lifetimes: Lifetimes
  /** Normalised tags. */
  readonly tags: readonly string[]
  readonly ticket: Ticket
  readonly now: number
}

/**
 * Encodes and stores `value`; `false` when nothing was stored: no lifetime, a value that is not
 * plain JSON, a ticket older than the backend's marker TTL, a refusal after a purge, or any
 * backend error (puts fail open).
 */
export async function writeEntry(secret: CacheSecret, backend: CacheBackend, ref: EntryRef, value: unknown, options: WriteOptions): Promise<boolean> {
  const { lifetimes, tags, ticket, now } = options
  const times = envelopeTimes(lifetimes, now)
  if (times.errorUntil <= now || !isJsonValue(value)) return false
  // The backend would refuse it too, but only after encoding and a round trip.
  if (now - ticket.issuedAt >= backend.markerTtlMs) return false
  try {
    const bytes = encodeEnvelope({ version: 1, keyId: secret.keyId, key: ref.key, createdAt: now, ...times, tags, epoch: ticket.epoch, value })
    return await backend.put({ ref, bytes, tags, ttlMs: times.errorUntil - now, ticket })
  } catch {
    return false
  }
}

/**
 * The normalised union of policy and run-time tags, or `undefined` when it breaks the tag
 * limits (then the entry must not be stored at all).
 */
export function entryTags(policyTags: readonly string[] | undefined, extra: readonly string[] | undefined): string[] | undefined {
  try {
    return normalizeTags([...(policyTags ?? []), ...(extra ?? [])])
  } catch (error) {
    if (error instanceof TagError) return undefined
    throw error
  }
}
