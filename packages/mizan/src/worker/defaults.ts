/**
 * The cache parts a Worker gets when `createHandler()` is not given its own: the edge backend
 * (Cache API + the `MIZAN_PURGE` Durable Object; one per isolate, its I/O per request), the Durable Object's replay store, and
 * Cloudflare's purge-by-tag API when `CF_API_TOKEN` and `CF_ZONE_ID` are set.
 * @module
 */
import type { CacheBackend, ReplayStore } from '@mizan/core'
// Not the edge index: it also exports the Durable Object class, whose `cloudflare:workers`
// import exists only in workerd, and the handler runs in Node tests too.
import type { WaitUntilContext } from './edge/backend.ts'
import { purgeStateNamespace } from './edge/bindings.ts'
import type { EdgeEnv } from './edge/bindings.ts'
import { createCloudflarePurger } from './edge/cloudflare-purger.ts'
import { createEdgeBackend } from './edge/create.ts'
import { EDGE_BACKEND_DEFAULTS } from './edge/options.ts'
import { createEdgeReplayStore } from './edge/replay.ts'
import type { TagPurger } from './purge.ts'
import { RequestScopedBackend } from './request-scope.ts'

/**
 * Default backend, replay store and CDN purger, each made from the Worker's env.
 *
 * @example
 * ```ts
 * const backend = options.backend ?? EDGE_DEFAULTS.backend
 * ```
 */
export const EDGE_DEFAULTS: {
  readonly backend: (env: unknown) => CacheBackend
  readonly replay: (env: unknown) => ReplayStore
  readonly cdn: (env: unknown) => TagPurger | null
} = {
  backend: (env) => {
    // A missing binding is a configuration error said once (caching off), not a failure per request.
    purgeStateNamespace(env as EdgeEnv, EDGE_BACKEND_DEFAULTS.binding)
    return new RequestScopedBackend((e, ctx) => createEdgeBackend(e as EdgeEnv, ctx as WaitUntilContext | undefined), 'edge', EDGE_BACKEND_DEFAULTS.markerTtlMs)
  },
  replay: (env) => createEdgeReplayStore(env as EdgeEnv),
  cdn: (env) => {
    const vars = (env ?? {}) as Record<string, unknown>
    const token = vars['CF_API_TOKEN']
    const zone = vars['CF_ZONE_ID']
    const apiBase = vars['CF_API_BASE']
    if (typeof token !== 'string' || token === '' || typeof zone !== 'string' || zone === '') return null
    return createCloudflarePurger({ token, zone, ...(typeof apiBase === 'string' && apiBase !== '' && { apiBase }) })
  },
}
