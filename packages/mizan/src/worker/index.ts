/**
 * `mizan/worker`: the render Worker runtime and its edge cache. The generated Worker entry calls
 * `createHandler()` and re-exports `MizanPurgeState`; apps do not import this directly.
 *
 * @example
 * ```ts
 * import { createHandler } from 'mizan/worker'
 * export { MizanPurgeState } from 'mizan/worker'
 * export default createHandler({ manifest, document: Document, routes, clientEntry: '/assets/client.js' })
 * ```
 * @module
 */
export { createHandler } from './handler.ts'
export type { MizanHandler } from './handler.ts'
export type { HandlerOptions, HandlerRoute } from './options.ts'
export type { MizanEnv, SessionFunction } from './context.ts'
export { NotFoundSignal } from './context.ts'
export { MAX_PARAMS_BYTES, MAX_PARAMS_DEPTH } from './params.ts'
export type { TagPurger } from './purge.ts'
export type { FromEnv, WorkerContext } from './runtime.ts'
export { CloudflarePurgeError, createCloudflarePurger, createEdgeBackend, createEdgeReplayStore, EDGE_BACKEND_DEFAULTS, MizanPurgeState } from './edge/index.ts'
export type {
  CloudflareApiProblem,
  CloudflarePurger,
  CloudflarePurgerOptions,
  EdgeBackendOptions,
  EdgeEnv,
  EdgeReplayStoreOptions,
  PurgeStateNamespace,
  WaitUntilContext,
} from './edge/index.ts'
