/**
 * RedisCache's purge: advance the epoch, raise each tag's purge epoch and collect the
 * contexts registered for it, then one script per context slot sets the markers and
 * deletes the indexed entries. Cost is proportional to the tags' entries and contexts,
 * never to the keyspace (no SCAN, no KEYS).
 * @module
 */
import type { PurgeReport, PurgeTarget } from '../backend.ts'
import type { CommandGuard, RedisClient } from './guard.ts'
import { contextKeys, globalKeys } from './keys.ts'
import { epochState } from './scripts.ts'
import type { Scripts } from './scripts.ts'

/** What RedisCache hands its purge. */
export interface PurgeDeps {
  readonly client: RedisClient
  readonly guard: CommandGuard
  readonly scripts: Scripts
  readonly prefix: string
  readonly markerTtlMs: number
}

interface ContextWork {
  whole: boolean
  readonly tags: Set<string>
  readonly entries: Set<string>
}

function workOf(work: Map<string, ContextWork>, context: string): ContextWork {
  let w = work.get(context)
  if (w === undefined) work.set(context, (w = { whole: false, tags: new Set(), entries: new Set() }))
  return w
}

/** Runs a validated purge target; any failure rejects with a `BackendError`. */
export async function runPurge(deps: PurgeDeps, target: PurgeTarget, tags: readonly string[]): Promise<PurgeReport> {
  const { guard, scripts, prefix } = deps
  const global = globalKeys(prefix)
  const { epoch } = epochState(await guard.run('purge (epoch)', () => scripts.epoch(global.epoch, global.birth, '1')))
  const work = new Map<string, ContextWork>()
  for (const context of target.contexts ?? []) workOf(work, context).whole = true
  for (const ref of target.entries ?? []) workOf(work, ref.context).entries.add(ref.key)
  const registered = await Promise.all(
    tags.map((tag) => guard.run('purge (tag)', () => scripts.tagPurge(global.registry(tag), global.tagEpoch(tag), epoch))),
  )
  registered.forEach((contexts, i) => {
    for (const context of contexts as string[]) workOf(work, context).tags.add(tags[i]!)
  })
  const counts = await Promise.all([...work].map(([context, w]) => purgeContext(deps, context, w, epoch)))
  await pruneRegistries(deps, tags, epoch)
  return { deleted: counts.reduce((a, b) => a + b, 0) }
}

async function purgeContext(deps: PurgeDeps, context: string, w: ContextWork, epoch: string): Promise<number> {
  const keys = contextKeys(deps.prefix, context)
  const args = [epoch, String(deps.markerTtlMs), keys.base, w.whole ? '1' : '0', String(w.tags.size), ...w.tags, ...w.entries]
  const deleted = await deps.guard.run('purge (context)', () =>
    deps.scripts.contextPurge(keys.markers, keys.markerTimes, keys.floor, keys.all, ...args),
  )
  return Number(deleted)
}

/**
 * Forgets registrations whose newest ticket predates this purge: each such put was either
 * deleted by it or is refused by its marker, so the context no longer needs visiting for
 * this tag. Runs only after every context script succeeded; failing here loses nothing
 * (the registry just stays larger), so errors are ignored.
 */
async function pruneRegistries(deps: PurgeDeps, tags: readonly string[], epoch: string): Promise<void> {
  const global = globalKeys(deps.prefix)
  await Promise.all(
    tags.map((tag) => deps.guard.run('purge (prune)', () => deps.client.zremrangebyscore(global.registry(tag), '-inf', `(${epoch}`)).catch(() => 0)),
  )
}

