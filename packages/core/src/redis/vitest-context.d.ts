// What the core's Vitest global setup (test-setup/redis.ts) provides to tests via inject().
import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A standalone Redis shared by tests: use a unique key prefix, never FLUSHALL. */
    redisUrl: string
    /** The seed nodes of a local 3-master Redis Cluster started for this run. */
    redisClusterNodes: { host: string; port: number }[]
  }
}
