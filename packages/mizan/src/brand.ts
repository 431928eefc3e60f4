/**
 * The runtime mark of a data function: `client()` results on the server and `clientStub()`
 * objects in the browser both carry it. `Symbol.for` so that two copies of the module
 * (a Vite dev graph and a prebundled dependency) still agree.
 * @module
 */

/**
 * Property key marking a value as a Mizan data function.
 *
 * @example
 * ```ts
 * const isClientFn = (v: object) => CLIENT_FN in v
 * ```
 */
export const CLIENT_FN: unique symbol = Symbol.for('mizan.client')

/**
 * Property key marking a value as a Mizan action (`action()` on the server, `actionStub()` in
 * the browser).
 *
 * @example
 * ```ts
 * const isAction = (v: object) => ACTION_FN in v
 * ```
 */
export const ACTION_FN: unique symbol = Symbol.for('mizan.action')
