import { Cluster, Redis } from 'ioredis'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { BackendError, MizanError } from '../errors.ts'
import { RedisCache } from './index.ts'
import type { RedisCacheOptions } from './index.ts'
import { bytes, dropPrefix, putNow, randomContext, randomRef, rawClient, runPrefix, text } from './test-fixtures.ts'

const url = inject('redisUrl')
const nodes = inject('redisClusterNodes')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const modes = [
  { mode: 'standalone', target: url as string | typeof nodes, connect: { url } },
  { mode: 'cluster', target: nodes, connect: { cluster: { nodes } } },
] as const

describe.each(modes)('RedisCache ($mode)', ({ target, connect }) => {
  const prefix = runPrefix('cache')
  const raw = rawClient(target)
  const caches: RedisCache[] = []
  const make = (options: Partial<RedisCacheOptions> = {}): RedisCache => {
    const cache = new RedisCache({ ...connect, prefix, ...options })
    caches.push(cache)
    return cache
  }
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.close()))
    raw.disconnect()
    await dropPrefix(target, prefix)
  })

  it('keeps the documented key layout; only entries and leases carry a TTL', async () => {
    const cache = make()
    const context = randomContext()
    const [a, b] = [randomRef(context), randomRef(context)]
    expect(await putNow(cache, a, 'A', ['post:1', 'x}{y'])).toBe(true)
    expect(await putNow(cache, b, 'B', ['post:1'])).toBe(true)
    expect(await cache.lease(a, 10_000)).not.toBeNull()
    await cache.purge({ tags: ['unrelated'], entries: [b] })
    const base = `{${prefix}:${context}}:`
    const withTtl = [`${base}e:${a.key}`, `${base}l:${a.key}`]
    const withoutTtl = [
      `{${prefix}}:epoch`, `{${prefix}}:birth`,
      `{${prefix}:t:post:1}:ctx`, `{${prefix}:t:x}{y}:ctx`, `{${prefix}:t:unrelated}:epoch`,
      `${base}all`, `${base}t:post:1`, `${base}t:x}{y`, `${base}mk`, `${base}mt`, `${base}floor`,
    ]
    for (const key of withTtl) expect(await raw.pttl(key), key).toBeGreaterThan(0)
    for (const key of withoutTtl) expect(await raw.pttl(key), key).toBe(-1)
    expect(await raw.exists(`${base}e:${b.key}`)).toBe(0)
    expect(await raw.zscore(`{${prefix}:t:post:1}:ctx`, context)).not.toBeNull()
    expect(await raw.hget(`${base}mk`, `e:${b.key}`)).toBe(String((await cache.ticket()).epoch))
    expect(await raw.zrange(`${base}all`, 0, -1)).toEqual([a.key])
    // An entry purge leaves the entry's id in its tag indexes (lazy: trimmed at expiry or by a tag purge).
    expect((await raw.zrange(`${base}t:post:1`, 0, -1)).sort()).toEqual([a.key, b.key].sort())
  })

  it('tags may hold braces, colons and spaces', async () => {
    const cache = make()
    const tags = ['a{b}c', '}', '{', 'x:y z']
    const refs = tags.map(() => randomRef())
    for (const [i, ref] of refs.entries()) expect(await putNow(cache, ref, `v${i}`, [tags[i]!])).toBe(true)
    for (const [i, ref] of refs.entries()) {
      expect(text(await cache.get(ref))).toBe(`v${i}`)
      expect(await cache.purge({ tags: [tags[i]!] })).toEqual({ deleted: 1 })
      expect(await cache.get(ref)).toBeNull()
    }
  })

  it('a purge forgets the registrations it made obsolete; a newer put registers again', async () => {
    const cache = make()
    const ref = randomRef()
    const registry = `{${prefix}:t:reg}:ctx`
    await putNow(cache, ref, 'v', ['reg'])
    expect(await raw.zrange(registry, 0, -1)).toEqual([ref.context])
    expect(await cache.purge({ tags: ['reg'] })).toEqual({ deleted: 1 })
    expect(await raw.zrange(registry, 0, -1)).toEqual([])
    expect(await putNow(cache, ref, 'v2', ['reg'])).toBe(true)
    expect(await raw.zrange(registry, 0, -1)).toEqual([ref.context])
    expect(await cache.purge({ tags: ['reg'] })).toEqual({ deleted: 1 })
    expect(await cache.get(ref)).toBeNull()
  })

  it('pruned markers raise the floor, so tickets they refused stay refused', async () => {
    const cache = make({ markerTtlMs: 1_000 })
    const context = randomContext()
    const ref = randomRef(context)
    await putNow(cache, ref, 'v', ['old'])
    const before = await cache.ticket()
    await cache.purge({ tags: ['old'] })
    const purgeEpoch = (await cache.ticket()).epoch
    await sleep(1_100)
    expect(await putNow(cache, randomRef(context), 'other', [])).toBe(true) // prunes on the way
    const base = `{${prefix}:${context}}:`
    expect(await raw.hget(`${base}mk`, 't:old')).toBeNull()
    expect(Number(await raw.get(`${base}floor`))).toBe(purgeEpoch)
    // A ticket with the old epoch but a fresh issuedAt isolates the server-side check.
    const forged = { epoch: before.epoch, issuedAt: Date.now() }
    expect(await cache.put({ ref, bytes: bytes('stale'), tags: ['old'], ttlMs: 60_000, ticket: forged })).toBe(false)
    expect(await cache.get(ref)).toBeNull()
    expect(await putNow(cache, ref, 'fresh', ['old'])).toBe(true)
  })

  it('trims expired members from the indexes as new entries arrive', async () => {
    const cache = make()
    const context = randomContext()
    for (let i = 0; i < 3; i++) await putNow(cache, randomRef(context), 'short', ['trim'], 30)
    await sleep(60)
    await putNow(cache, randomRef(context), 'long', ['trim'])
    expect(await raw.zcard(`{${prefix}:${context}}:t:trim`)).toBe(1)
    expect(await raw.zcard(`{${prefix}:${context}}:all`)).toBe(1)
  })

  it('counts each deleted entry once when a purge names it several ways', async () => {
    const cache = make()
    const context = randomContext()
    const [e1, e2, e3] = [randomRef(context), randomRef(context), randomRef(context)]
    await putNow(cache, e1, '1', ['ca'])
    await putNow(cache, e2, '2', ['ca', 'cb'])
    await putNow(cache, e3, '3', [])
    expect(await cache.purge({ tags: ['ca', 'cb'], contexts: [context], entries: [e3] })).toEqual({ deleted: 3 })
  })

  it('rejects refs and targets that are not core ids, before touching Redis', async () => {
    const cache = make()
    const bad = { context: 'a}b', key: 'k' }
    await expect(cache.get(bad)).rejects.toThrow(MizanError)
    await expect(cache.get(bad)).rejects.toMatchObject({ code: 'MIZAN_CONFIG' })
    await expect(cache.purge({ contexts: ['x{y'] })).rejects.toMatchObject({ code: 'MIZAN_CONFIG' })
    await expect(cache.put({ ref: randomRef(), bytes: bytes('x'), tags: [''], ttlMs: 1_000, ticket: await cache.ticket() })).rejects.toMatchObject({ code: 'MIZAN_TAG' })
    await expect(cache.put({ ref: randomRef(), bytes: bytes('x'), tags: [], ttlMs: 0, ticket: await cache.ticket() })).rejects.toMatchObject({ code: 'MIZAN_POLICY' })
  })

  it('uses a client it was given as is and leaves it open on close()', async () => {
    const client = target === url ? new Redis(url) : new Cluster(nodes)
    const cache = new RedisCache({ client, prefix })
    const ref = randomRef()
    expect(await putNow(cache, ref, 'mine', [])).toBe(true)
    expect(text(await cache.get(ref))).toBe('mine')
    await cache.close()
    expect(await client.ping()).toBe('PONG')
    expect(client.options.enableAutoPipelining).toBe(false)
    await expect(cache.get(ref)).rejects.toThrow(BackendError)
    client.disconnect()
  })

  it('closes the client it created; calls after close() fail with BackendError', async () => {
    const cache = make()
    await cache.ticket()
    await cache.close()
    await expect(cache.ticket()).rejects.toThrow(/the cache is closed/)
    await expect(cache.purge({ tags: ['x'] })).rejects.toThrow(BackendError)
  })
})

describe('RedisCache (cluster) spread', () => {
  it('spreads contexts over the masters and purges a tag on all of them', async () => {
    const prefix = runPrefix('spread')
    const cache = new RedisCache({ cluster: { nodes }, prefix })
    const raw = rawClient(nodes) as Cluster
    try {
      const refs = Array.from({ length: 12 }, () => randomRef())
      for (const ref of refs) expect(await putNow(cache, ref, 'v', ['everywhere'])).toBe(true)
      await new Promise<void>((resolve) => (raw.status === 'ready' ? resolve() : raw.once('ready', () => resolve())))
      const owners = new Set<string>()
      for (const ref of refs) {
        const slot = await raw.cluster('KEYSLOT', `{${prefix}:${ref.context}}:e:${ref.key}`)
        for (const node of raw.nodes('master')) {
          if ((await node.cluster('COUNTKEYSINSLOT', slot)) > 0) owners.add(`${node.options.port}`)
        }
      }
      expect(owners.size).toBeGreaterThan(1)
      expect(await cache.purge({ tags: ['everywhere'] })).toEqual({ deleted: 12 })
      for (const ref of refs) expect(await cache.get(ref)).toBeNull()
    } finally {
      await cache.close()
      raw.disconnect()
      await dropPrefix(nodes, prefix)
    }
  })
})
