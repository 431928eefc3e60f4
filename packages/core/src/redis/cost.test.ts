import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisCache } from './index.ts'
import { startRedisServer } from './test-server.ts'
import type { RedisServer } from './test-server.ts'
import { putNow, randomContext, randomRef, runPrefix } from './test-fixtures.ts'

// A server of our own: command statistics must not include other tests' traffic.
let server: RedisServer
let raw: Redis

beforeAll(async () => {
  server = await startRedisServer()
  raw = new Redis(server.url)
})
afterAll(async () => {
  raw.disconnect()
  await server.stop()
})

/** Calls per command since the last CONFIG RESETSTAT, leaving out the statistics commands themselves. */
async function commandCalls(): Promise<Record<string, number>> {
  const info = await raw.info('commandstats')
  const calls: Record<string, number> = {}
  for (const [, name, count] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (name !== 'info' && !name!.startsWith('config')) calls[name!] = Number(count)
  }
  return calls
}

describe('RedisCache cost', () => {
  it('a hit is one command, one round trip', async () => {
    const cache = new RedisCache({ url: server.url, prefix: runPrefix('hit') })
    const ref = randomRef()
    expect(await putNow(cache, ref, 'hello', ['a', 'b'])).toBe(true)
    await raw.config('RESETSTAT')
    expect(await cache.get(ref)).not.toBeNull()
    expect(await commandCalls()).toEqual({ get: 1 })
    await cache.close()
  })

  /** Puts 1,000 entries tagged `big` (and 200 others in the same contexts), adds `unrelated` plain keys, purges `big`. */
  async function purgeBigTag(unrelated: number): Promise<{ calls: Record<string, number>; deleted: number; survivors: number }> {
    await raw.flushall() // our own server, never the shared one
    const cache = new RedisCache({ url: server.url, prefix: runPrefix('cost') })
    const contexts = Array.from({ length: 10 }, () => randomContext())
    const refs = contexts.flatMap((c) => Array.from({ length: 120 }, () => randomRef(c)))
    for (let i = 0; i < refs.length; i += 200) {
      await Promise.all(refs.slice(i, i + 200).map((ref, j) => putNow(cache, ref, 'v', (i + j) % 6 === 5 ? ['other'] : ['big'])))
    }
    for (let i = 0; i < unrelated; i += 5_000) {
      const batch = raw.pipeline()
      for (let j = i; j < Math.min(i + 5_000, unrelated); j++) batch.set(`unrelated:${j}`, 'x')
      await batch.exec()
    }
    await raw.config('RESETSTAT')
    const { deleted } = await cache.purge({ tags: ['big'] })
    const calls = await commandCalls()
    let survivors = 0
    for (const ref of refs) if ((await cache.get(ref)) !== null) survivors++
    await cache.close()
    return { calls, deleted, survivors }
  }

  it('purging a tag costs the same commands with 50,000 unrelated keys as with none', async () => {
    const alone = await purgeBigTag(0)
    const crowded = await purgeBigTag(50_000)
    expect(await raw.dbsize()).toBeGreaterThanOrEqual(50_000)
    expect(alone.deleted).toBe(1_000)
    expect(crowded.deleted).toBe(1_000)
    expect(crowded.survivors).toBe(200)
    expect(crowded.calls).toEqual(alone.calls)
    expect(Object.keys(crowded.calls)).not.toContain('scan')
    expect(Object.keys(crowded.calls)).not.toContain('keys')
    // Per context: one DEL of its ≤ 500 entries and one of the tag index; one script per tag slot and per context slot.
    expect(crowded.calls.del).toBe(20)
    // (A client's first call of a script may go as EVAL rather than EVALSHA.)
    expect((crowded.calls.evalsha ?? 0) + (crowded.calls.eval ?? 0)).toBe(1 + 1 + 10)
  })
})
