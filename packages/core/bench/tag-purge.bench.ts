// Tag purge of 100,000 entries with 1,000,000 unrelated keys present vs with none: the cost
// must follow the tag (indexes), not the keyspace. Same server, same data, interleaved rounds.
import { RedisCache } from '../src/redis/index.ts'
import { Redis } from 'ioredis'
import { median, report, startRedis } from '../../../bench/lib.ts'

const ENTRIES = 100_000
const server = await startRedis(['--enable-debug-command', 'yes'])
const admin = new Redis(server.url)
const bytes = new Uint8Array(64)

async function fillAndPurge(round: number): Promise<number> {
  const cache = new RedisCache({ url: server.url, prefix: `b${round}`, commandTimeoutMs: 30_000 })
  const ticket = await cache.ticket()
  let next = 0
  const writer = async (): Promise<void> => {
    while (next < ENTRIES) {
      const i = next++
      const stored = await cache.put({ ref: { context: `ctx${i % 10}`, key: `k${i}` }, bytes, tags: ['hot', `item:${i}`], ttlMs: 3_600_000, ticket })
      if (!stored) throw new Error('benchmark setup: put refused')
    }
  }
  await Promise.all(Array.from({ length: 256 }, writer))
  const start = performance.now()
  const { deleted } = await cache.purge({ tags: ['hot'] })
  const elapsed = performance.now() - start
  if (deleted !== ENTRIES) throw new Error(`expected ${ENTRIES} deleted, got ${deleted}`)
  await cache.close()
  return elapsed
}

const empty: number[] = []
const crowded: number[] = []
for (let round = 0; round < 3; round++) {
  await admin.flushall()
  empty.push(await fillAndPurge(round * 2))
  await admin.flushall()
  await admin.call('DEBUG', 'POPULATE', '1000000', 'unrelated', '64')
  crowded.push(await fillAndPurge(round * 2 + 1))
}
const value = median(crowded)
const baseline = median(empty)
report({
  name: 'core: Redis tag purge of 100k entries, 1M unrelated keys vs none',
  unit: 'ms',
  value,
  baseline,
  goal: 'ratio <= 1.2 and < 1000 ms',
  pass: value / baseline <= 1.2 && value < 1000,
})
admin.disconnect()
await server.stop()
