/**
 * The replay store of signed purges, kept by the `MizanPurgeState` Durable Object so that a
 * purge request replayed to any isolate, in any data centre, is recognised.
 * @module
 */
import { PurgeError } from '@mizan/core'
import type { ReplayStore } from '@mizan/core'
import { purgeStateNamespace, purgeStateStub } from './bindings.ts'
import type { EdgeEnv } from './bindings.ts'
import { EDGE_BACKEND_DEFAULTS } from './options.ts'

/**
 * Options of {@link createEdgeReplayStore}; match those given to `createEdgeBackend`.
 *
 * @example
 * ```ts
 * createEdgeReplayStore(env, { binding: 'MIZAN_PURGE' })
 * ```
 */
export interface EdgeReplayStoreOptions {
  readonly binding?: string
  readonly stateName?: string
}

/**
 * A `ReplayStore` over the purge state Durable Object (strongly consistent). A failure throws,
 * so the purge endpoint fails closed (503) rather than accept a possible replay.
 *
 * @example
 * ```ts
 * import { handlePurgeRequest } from '@mizan/core'
 * import { createEdgeBackend, createEdgeReplayStore } from 'mizan/worker'
 * return handlePurgeRequest(request, { keys, backend: createEdgeBackend(env, ctx), replay: createEdgeReplayStore(env) })
 * ```
 */
export function createEdgeReplayStore(env: EdgeEnv, options: EdgeReplayStoreOptions = {}): ReplayStore {
  const namespace = purgeStateNamespace(env, options.binding ?? EDGE_BACKEND_DEFAULTS.binding)
  const stateName = options.stateName ?? EDGE_BACKEND_DEFAULTS.stateName
  return {
    seen: async (id, expiresAt) => {
      try {
        return await purgeStateStub(namespace, stateName).seen(id, expiresAt)
      } catch (error) {
        throw new PurgeError(`The purge replay store (Durable Object) failed: ${error instanceof Error ? error.message : String(error)}. Retry the purge.`, { cause: error })
      }
    },
  }
}
