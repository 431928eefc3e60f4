/**
 * Applies a verified purge body to a cache backend through the protocol ABI.
 * @module
 */
import { cachePurge, cachePurgeTags } from '../abi.ts'
import type { CacheBackend, PurgeReport } from '../backend.ts'
import { keysOf } from './signature.ts'
import type { PurgeKeys } from './signature.ts'
import type { PurgeBody } from './wire.ts'

/**
 * What {@link applyPurge} did: how many tags, contexts and exact entries it purged and how
 * many stored entries the backend deleted.
 *
 * @example
 * ```ts
 * const summary: PurgeSummary = { tags: 1, contexts: 0, entries: 2, deleted: 3 }
 * ```
 */
export interface PurgeSummary {
  readonly tags: number
  readonly contexts: number
  readonly entries: number
  readonly deleted: number
}

/**
 * Options of {@link applyPurge}.
 *
 * @example
 * ```ts
 * const options: ApplyPurgeOptions = { backend: new MemoryCache(), secret }
 * ```
 */
export interface ApplyPurgeOptions {
  readonly backend: CacheBackend
  /** Derives the keys of exact entries; with a keyring, the entry of every key id is purged. */
  readonly secret: PurgeKeys
}

/**
 * Purges everything a (verified) body names: its tags, whole contexts and exact entries.
 * Resolves only when all of it is purged; any backend failure rejects (fail closed) and
 * the whole body should be retried — purges are idempotent.
 *
 * @example
 * ```ts
 * const body = await verifyPurgeRequest(keyring, request, { replay })
 * const summary = await applyPurge(body, { backend, secret: keyring })
 * return Response.json({ id: body.id, ...summary })
 * ```
 */
export async function applyPurge(body: PurgeBody, options: ApplyPurgeOptions): Promise<PurgeSummary> {
  const { backend } = options
  const secrets = keysOf(options.secret)
  const tags = body.tags ?? []
  const contexts = body.contexts ?? []
  const entries = body.entries ?? []
  const reports: Promise<PurgeReport>[] = [
    ...(tags.length > 0 ? [cachePurgeTags(backend, tags)] : []),
    ...contexts.map((context) => cachePurge(backend, context)),
    ...entries.map(({ params, ...context }) => cachePurge(backend, context, { params, secret: secrets })),
  ]
  const settled = await Promise.allSettled(reports)
  let deleted = 0
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason
    deleted += result.value.deleted
  }
  return { tags: tags.length, contexts: contexts.length, entries: entries.length, deleted }
}
