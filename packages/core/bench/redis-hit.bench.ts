// RedisCache hit vs a raw ioredis GET of the same value at the same concurrency (one
// auto-pipelined connection, 50 in flight — DESIGN §8). The raw side stores the value as
// plain JSON under a fixed key and pays only GET + JSON.parse — what a hand-written cache
// does at minimum. The Mizan side also derives the HMAC key from the params, checks the
// envelope (key id, key, version) and its freshness, and applies the command deadline.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { cacheGet, cachePut, createSecret } from '../src/index.ts'
import { RedisCache } from '../src/redis/index.ts'
import { median, report, startRedis, throughput } from '../../../bench/lib.ts'

const server = await startRedis()
const secret = await createSecret(randomBytes(32).toString('hex'))
const cache = new RedisCache({ url: server.url, prefix: 'bench' })
// The raw client is configured like the one RedisCache creates (a cache needs a command
// timeout, DESIGN §3), so both sides pay the same client costs.
const raw = new Redis(server.url, { enableAutoPipelining: true, commandTimeout: 250, maxRetriesPerRequest: 0 })
const context = { fn: 'posts/[slug]#post', version: 'v1' }
const params = { slug: 'hello-world' }
const value = { title: 'Hello', body: 'x'.repeat(1000), tags: ['a', 'b'] }
await cachePut(secret, cache, context, params, value, { ttl: 3600, tags: ['post:hello-world'] })
await raw.set('plain:hello-world', JSON.stringify(value))
const check = await cacheGet(secret, cache, context, params)
if (!check || check.state !== 'fresh') throw new Error('benchmark setup: expected a fresh hit')

// Seven short interleaved rounds rather than three long ones: on a shared machine the load
// drifts, and more pairs give a steadier median.
const opts = { concurrency: 50, durationMs: 1500 }
const mizan: number[] = []
const base: number[] = []
for (let r = 0; r < 7; r++) {
  base.push(await throughput(async () => JSON.parse((await raw.get('plain:hello-world'))!) as unknown, opts))
  mizan.push(await throughput(() => cacheGet(secret, cache, context, params), opts))
}
const value0 = median(mizan)
const baseline = median(base)
const paired = mizan.map((m, i) => m / base[i]!)
report({
  name: 'core: RedisCache hit vs raw GET', unit: 'ops/s', value: value0, baseline, goal: 'ratio >= 0.8', pass: value0 / baseline >= 0.8,
  note: `50 in flight, 1 connection; raw = GET + JSON.parse; per-round ratios ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}, median ${median(paired).toFixed(2)}`,
})
await cache.close()
raw.disconnect()
await server.stop()
