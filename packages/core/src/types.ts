/**
 * Shared value types of the cache protocol.
 * @module
 */

/**
 * The identity of a data function's cache space: its stable id and a version that changes
 * when the function changes (a deploy that changes a function never serves its old
 * entries; untouched functions keep their cache).
 *
 * @example
 * ```ts
 * const context: CacheContext = { fn: 'posts/[slug]#post', version: '3f9a1c' }
 * ```
 */
export interface CacheContext {
  readonly fn: string
  readonly version: string
}

/**
 * How long a value is fresh and how it may be served after that. All durations in seconds.
 *
 * @example
 * ```ts
 * const policy: CachePolicy = { ttl: 300, swr: 3600, tags: ['post:hello', 'posts'] }
 * ```
 */
export interface CachePolicy {
  /** Seconds the value is fresh. */
  readonly ttl: number
  /** Seconds after `ttl` during which a stale value is served while one refresh runs. */
  readonly swr?: number
  /** Seconds after `ttl` (+ `swr`) during which a stale value is served if recomputing throws. */
  readonly staleIfError?: number
  /** Tags already filled from params (no `{param}` templates left). */
  readonly tags?: readonly string[]
}

/** JSON values: what params and cached values are made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
