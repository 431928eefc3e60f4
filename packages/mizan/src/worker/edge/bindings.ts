/**
 * The Worker bindings the edge backend uses, typed structurally, and the stub of the purge
 * state Durable Object.
 * @module
 */
import { MizanError } from '@mizan/core'
import type { EntryRef } from '@mizan/core'
import type { PurgeOutcome, PurgeRequestData, PurgeStateView, PutCheck } from './protocol.ts'

/** The RPC surface of `MizanPurgeState` as seen through a stub (every call is asynchronous). */
export interface PurgeStateStub {
  state(since: number): Promise<PurgeStateView>
  admit(check: PutCheck, markerTtlMs: number): Promise<boolean>
  forget(ref: EntryRef): Promise<void>
  purge(target: PurgeRequestData, since: number, markerTtlMs: number, refLimit: number): Promise<PurgeOutcome>
  lease(name: string, ttlMs: number): Promise<string | null>
  release(name: string, token: string): Promise<void>
  seen(id: string, expiresAt: number): Promise<boolean>
}

/**
 * A Durable Object namespace binding (`env.MIZAN_PURGE`), as far as Mizan uses it.
 *
 * @example
 * ```ts
 * const ns: PurgeStateNamespace = env.MIZAN_PURGE
 * ```
 */
export interface PurgeStateNamespace {
  idFromName(name: string): unknown
  get(id: never): unknown
}

/**
 * The Worker environment of the edge backend: the Durable Object binding, by default
 * `MIZAN_PURGE` (the name Mizan's generated `wrangler.json` uses).
 *
 * @example
 * ```ts
 * export default { fetch: (request: Request, env: EdgeEnv, ctx: ExecutionContext) => … }
 * ```
 */
export interface EdgeEnv {
  readonly MIZAN_PURGE?: PurgeStateNamespace
  readonly [binding: string]: unknown
}

/** The Durable Object namespace bound as `binding`, or a config error that says how to declare it. */
export function purgeStateNamespace(env: EdgeEnv, binding: string): PurgeStateNamespace {
  const namespace = (env as Record<string, unknown> | undefined)?.[binding] as PurgeStateNamespace | undefined
  if (namespace === undefined || namespace === null || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw new MizanError(
      'MIZAN_CONFIG',
      `The edge cache needs the Durable Object binding "${binding}" (class MizanPurgeState), but env.${binding} is ${namespace === undefined ? 'missing' : 'not a Durable Object namespace'}. ` +
        `Mizan's generated wrangler.json declares it; in a hand-written one add "durable_objects": { "bindings": [{ "name": "${binding}", "class_name": "MizanPurgeState" }] } ` +
        `and "migrations": [{ "tag": "mizan-purge-state-v1", "new_sqlite_classes": ["MizanPurgeState"] }], and export MizanPurgeState from the Worker's main module.`,
    )
  }
  return namespace
}

/** The stub of the purge state object `name` (no I/O: the first call connects). */
export function purgeStateStub(namespace: PurgeStateNamespace, name: string): PurgeStateStub {
  return namespace.get(namespace.idFromName(name) as never) as PurgeStateStub
}
