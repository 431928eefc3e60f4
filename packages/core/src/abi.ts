/**
 * The cache protocol's ABI: read, write and purge one data function's entries. `cacheFetch`
 * builds get-or-compute on top of the same steps.
 *
 * Failure rules: reads and writes fail open (a backend error is a miss or `false`), purges
 * fail closed (a backend error is thrown as `BackendError`).
 * @module
 */

import type { CacheBackend, EntryRef, PurgeReport, PurgeTarget, Ticket } from './backend.ts'
import { canonicalParams } from './canonical.ts'
import { contextId } from './context-id.ts'
import { entryOf, entryTags, writeEntry } from './entry-io.ts'
import type { CacheHit } from './entry-io.ts'
import { BackendError, MizanError, TagError } from './errors.ts'
import { policyLifetimes } from './lifetimes.ts'
import type { CacheSecret } from './secret.ts'
import { normalizeTags } from './tags.ts'
import type { CacheContext, CachePolicy } from './types.ts'

export type { CacheHit } from './entry-io.ts'

/**
 * The cached value of `(context, params)`, or `undefined` on a miss, an entry past its
 * stale-if-error window, a corrupt or foreign entry (deleted on the way) or a backend error.
 * Throws `ParamsError` for params that are not plain JSON.
 *
 * @example
 * ```ts
 * const hit = await cacheGet<Post>(secret, backend, { fn: 'posts#post', version: 'v1' }, { slug: 'hello' })
 * if (hit !== undefined && hit.state !== 'error-stale') return hit.value
 * ```
 */
export function cacheGet<T>(
  secret: CacheSecret,
  backend: CacheBackend,
  context: CacheContext,
  params: unknown,
  options: { now?: () => number } = {},
): Promise<CacheHit<T> | undefined> {
  let canonical: string
  try {
    canonical = canonicalParams(params)
  } catch (error) {
    return Promise.reject(error)
  }
  // The hit path stays free of extra async frames: each one is a promise and a microtask. Reads
  // fail open: a backend that throws or rejects is a miss.
  const read = (ref: EntryRef): Promise<CacheHit<T> | undefined> => {
    const now = (options.now ?? Date.now)()
    let found: Promise<Uint8Array | null>
    try {
      found = backend.get(ref)
    } catch {
      return Promise.resolve(undefined)
    }
    return found.then((bytes) => entryOf<T>(secret, backend, ref, bytes, now), miss)
  }
  const ref = secret.entryRefSync?.(context, canonical)
  return ref !== undefined ? read(ref) : secret.entryRef(context, canonical).then(read)
}

const miss = (): undefined => undefined

/**
 * Options of `cachePut`.
 *
 * @example
 * ```ts
 * const options: CachePutOptions = { ticket, tags: ['author:7'] }
 * ```
 */
export interface CachePutOptions {
  /** The ticket taken before the value's data was read; taken now when absent. */
  readonly ticket?: Ticket
  /** Tags added at run time, stored with the policy's tags. */
  readonly tags?: readonly string[]
  /** The clock (ms since the epoch); default `Date.now`. */
  readonly now?: () => number
}

/**
 * Stores `value` for `(context, params)` under `policy`; `true` when stored. `false` — nothing
 * stored — when the value is not plain JSON, the tags cannot all be carried (an entry is never
 * stored without all its tags), the policy gives it no lifetime, a purge since `ticket` covers
 * it, the ticket is older than the backend's marker TTL, or the backend fails.
 * Throws `ParamsError` / `PolicyError` for bad params or policy.
 *
 * @example
 * ```ts
 * const ticket = await backend.ticket()          // before reading the data
 * const post = await db.post(slug)
 * await cachePut(secret, backend, context, { slug }, post, { ttl: 300, tags: [`post:${slug}`] }, { ticket })
 * ```
 */
export async function cachePut<T>(
  secret: CacheSecret,
  backend: CacheBackend,
  context: CacheContext,
  params: unknown,
  value: T,
  policy: CachePolicy,
  options: CachePutOptions = {},
): Promise<boolean> {
  const ref = await secret.entryRef(context, canonicalParams(params))
  const lifetimes = policyLifetimes(policy)
  const tags = entryTags(policy.tags, options.tags)
  if (tags === undefined) return false
  let ticket = options.ticket
  if (ticket === undefined) {
    try {
      ticket = await backend.ticket()
    } catch {
      return false
    }
  }
  return writeEntry(secret, backend, ref, value, { lifetimes, tags, ticket, now: (options.now ?? Date.now)() })
}

/**
 * Options of `cachePurge`.
 *
 * @example
 * ```ts
 * const options: CachePurgeOptions = { params: { slug: 'hello' }, secret }
 * ```
 */
export interface CachePurgeOptions {
  /** Purge only the entry of these params (present, even if `undefined`, means "one entry"). */
  readonly params?: unknown
  /** Derives the entry's key; required with `params`. Several during a key rotation. */
  readonly secret?: CacheSecret | readonly CacheSecret[]
}

/**
 * Purges every entry of `context` (all params, every key id), or with `params` exactly that
 * entry. When it resolves, no read returns a value computed from data read before the call.
 * Backend failures throw `BackendError` (fail closed: retry).
 *
 * @example
 * ```ts
 * await cachePurge(backend, { fn: 'posts#post', version: 'v1' })                                   // all posts
 * await cachePurge(backend, { fn: 'posts#post', version: 'v1' }, { params: { slug: 'hello' }, secret }) // one
 * ```
 */
export async function cachePurge(backend: CacheBackend, context: CacheContext, options: CachePurgeOptions = {}): Promise<PurgeReport> {
  if (!('params' in options)) return purge(backend, { contexts: [await contextId(context)] })
  const secrets = options.secret === undefined ? [] : Array.isArray(options.secret) ? options.secret : [options.secret as CacheSecret]
  if (secrets.length === 0) {
    throw new MizanError('MIZAN_CONFIG', `cachePurge of one entry of "${context.fn}" needs the secret that derived its key: cachePurge(backend, context, { params, secret }). To purge every entry of the function, omit params.`)
  }
  const canonical = canonicalParams(options.params)
  const entries = await Promise.all(secrets.map((secret) => secret.entryRef(context, canonical)))
  return purge(backend, { entries })
}

/**
 * Purges every entry carrying any of `tags` (normalised first; a bad tag throws `TagError`).
 * Backend failures throw `BackendError` (fail closed: retry).
 *
 * @example
 * ```ts
 * await cachePurgeTags(backend, ['post:hello', 'posts'])
 * ```
 */
export async function cachePurgeTags(backend: CacheBackend, tags: readonly string[]): Promise<PurgeReport> {
  if (!Array.isArray(tags)) throw new TagError(`cachePurgeTags takes an array of tags, e.g. ['post:hello'], got ${typeof tags}.`)
  // One tag at a time: the count and size limits are per entry, not per purge.
  const normalized = [...new Set(tags.flatMap((tag) => normalizeTags([tag])))].sort()
  if (normalized.length === 0) return { deleted: 0 }
  return purge(backend, { tags: normalized })
}

async function purge(backend: CacheBackend, target: PurgeTarget): Promise<PurgeReport> {
  try {
    return await backend.purge(target)
  } catch (error) {
    if (error instanceof MizanError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new BackendError(`Purge on the ${backend.name} cache failed (${reason}); it may not have taken effect, retry it.`, { cause: error })
  }
}
