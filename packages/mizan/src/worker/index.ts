/**
 * `mizan/worker`: the render Worker runtime. The generated Worker entry calls `createHandler()`;
 * apps do not import this directly.
 *
 * @example
 * ```ts
 * import { createHandler } from 'mizan/worker'
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
