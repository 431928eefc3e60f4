/**
 * The edge cache of the render Worker: the `CacheBackend`, its Durable Object, the replay
 * store of signed purges and the client of Cloudflare's purge-by-tag API.
 * @module
 */
export { createEdgeBackend } from './create.ts'
export type { WaitUntilContext } from './backend.ts'
export type { EdgeEnv, PurgeStateNamespace } from './bindings.ts'
export { EDGE_BACKEND_DEFAULTS } from './options.ts'
export type { EdgeBackendOptions } from './options.ts'
export { MizanPurgeState } from './purge-state.ts'
export { createEdgeReplayStore } from './replay.ts'
export type { EdgeReplayStoreOptions } from './replay.ts'
export { createCloudflarePurger } from './cloudflare-purger.ts'
export type { CloudflarePurger, CloudflarePurgerOptions } from './cloudflare-purger.ts'
export { CloudflarePurgeError } from './cloudflare-api.ts'
export type { CloudflareApiProblem } from './cloudflare-api.ts'
