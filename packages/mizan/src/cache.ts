/**
 * `mizan/cache` — the cache ABI of `@mizan/core`, for backends and Workers that use Mizan's
 * cache directly (get-or-compute, get/put, purges) without importing the core package by name.
 *
 * @example
 * ```ts
 * import { createSecret, MemoryCache, cacheFetch } from 'mizan/cache'
 * const secret = await createSecret(process.env.MIZAN_SECRET)
 * const backend = new MemoryCache()
 * ```
 * @module
 */
export { cacheGet, cachePut, cachePurge, cachePurgeTags, cacheFetch, createSecret, MemoryCache } from '@mizan/core'
