/**
 * `@mizan/core/redis`: the Redis cache backend (standalone and Cluster). The only module of
 * `@mizan/core` that needs Node and `ioredis` (an optional peer dependency).
 *
 * @example
 * ```ts
 * import { RedisCache } from '@mizan/core/redis'
 * const backend = new RedisCache({ url: 'redis://127.0.0.1:6379' })
 * ```
 * @module
 */
export { RedisCache } from './redis-cache.ts'
export type { RedisCacheOptions } from './options.ts'
