/**
 * `createEdgeBackend`: the edge `CacheBackend` of one request over the isolate's shared state.
 * @module
 */
import type { CacheBackend } from '@mizan/core'
import { createIsolateState, EdgeBackend } from './backend.ts'
import type { IsolateState, WaitUntilContext } from './backend.ts'
import { purgeStateNamespace } from './bindings.ts'
import type { EdgeEnv } from './bindings.ts'
import { resolveEdgeOptions } from './options.ts'
import type { EdgeBackendOptions, ResolvedEdgeOptions } from './options.ts'

// One tier and one purge state copy per isolate and purge state object: module scope is the
// isolate's lifetime, and each Worker script (each tenant of a dispatch namespace) has its own.
const isolates = new Map<string, IsolateState>()
let defaults: ResolvedEdgeOptions | undefined

/**
 * The edge cache backend: entries in an in-isolate LRU tier and the Workers Cache API (tagged
 * with `Cache-Tag`), purge epochs, markers, leases and the entry index in the `MizanPurgeState`
 * Durable Object. A hit in the tier costs no I/O. Pass the request's `ctx` so background
 * refreshes of the purge state survive the response. Throws `MizanError('MIZAN_CONFIG')` when the
 * Durable Object binding is missing or an option is invalid.
 *
 * @example
 * ```ts
 * import { cacheFetch } from '@mizan/core'
 * import { createEdgeBackend } from 'mizan/worker'
 * export default {
 *   async fetch(request: Request, env: EdgeEnv, ctx: ExecutionContext) {
 *     const backend = createEdgeBackend(env, ctx)
 *     const { value } = await cacheFetch({ secret, backend, context, params, policy, compute, waitUntil: (p) => ctx.waitUntil(p) })
 *     return Response.json(value)
 *   },
 * }
 * ```
 */
export function createEdgeBackend(env: EdgeEnv, ctx?: WaitUntilContext | null, options?: EdgeBackendOptions): CacheBackend {
  // Called once per request: the default options are resolved once per isolate.
  const resolved = options === undefined ? (defaults ??= resolveEdgeOptions()) : resolveEdgeOptions(options)
  const namespace = purgeStateNamespace(env, resolved.binding)
  const key = `${resolved.binding}\n${resolved.stateName}`
  let state = isolates.get(key)
  if (state === undefined) {
    state = createIsolateState(resolved)
    isolates.set(key, state)
  }
  return new EdgeBackend({ namespace, ctx: ctx ?? undefined, options: resolved, state })
}
