/**
 * Vitest global setup of @mizan/core: a standalone Redis (127.0.0.1:6379 when it answers,
 * else a throwaway `redis-server`) and a 3-master Redis Cluster of local `redis-server`s,
 * provided to tests as `inject('redisUrl')` and `inject('redisClusterNodes')`.
 * @module
 */
import type { TestProject } from 'vitest/node'
import { ping, startRedisCluster, startRedisServer } from '../src/redis/test-server.ts'
import type { RedisServer } from '../src/redis/test-server.ts'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let standalone: RedisServer | undefined
  const [shared, cluster] = await Promise.all([ping(6379), startRedisCluster(3)])
  if (!shared) standalone = await startRedisServer()
  project.provide('redisUrl', standalone?.url ?? 'redis://127.0.0.1:6379')
  project.provide('redisClusterNodes', cluster.nodes)
  return async () => {
    await Promise.all([cluster.stop(), standalone?.stop()])
  }
}
