import { describe, expect, it } from 'vitest'
import type { EntryRef, PutRequest } from '../backend.ts'
import { BackendError, MizanError } from '../errors.ts'
import { ENTRY_OVERHEAD_BYTES, MemoryCache, TAG_OVERHEAD_BYTES } from './index.ts'

const ref = (i: number, context = 'ctx'): EntryRef => ({ context, key: `k${i}` })
const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill)

function clock(start = 1_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

async function put(cache: MemoryCache, r: EntryRef, body: Uint8Array, tags: string[] = [], ttlMs = 60_000): Promise<boolean> {
  const request: PutRequest = { ref: r, bytes: body, tags, ttlMs, ticket: await cache.ticket() }
  return cache.put(request)
}

describe('MemoryCache options', () => {
  it('applies the documented defaults', () => {
    const cache = new MemoryCache()
    expect(cache.name).toBe('memory')
    expect(cache.markerTtlMs).toBe(300_000)
  })

  it.each([
    [{ maxEntries: -1 }, 'maxEntries must be a positive integer, got -1'],
    [{ maxEntries: 0 }, 'maxEntries must be a positive integer, got 0'],
    [{ maxBytes: 1.5 }, 'maxBytes must be a positive integer, got 1.5'],
    [{ maxBytes: Number.NaN }, 'maxBytes must be a positive integer, got NaN'],
    [{ markerTtlMs: Infinity }, 'markerTtlMs must be a positive integer, got Infinity'],
    [{ now: 5 }, 'now must be a function'],
    [{ maxEntry: 10 }, 'unknown option "maxEntry"'],
  ])('rejects %j with MIZAN_CONFIG', (options, message) => {
    const create = () => new MemoryCache(options as never)
    expect(create).toThrow(MizanError)
    expect(create).toThrow(message)
    try {
      create()
    } catch (error) {
      expect((error as MizanError).code).toBe('MIZAN_CONFIG')
    }
  })

  it('reports every problem at once', () => {
    expect(() => new MemoryCache({ maxEntries: -1, maxBytes: 0 })).toThrow(/maxEntries.*; maxBytes/)
  })
})

describe('MemoryCache storage', () => {
  it('evicts the least recently used entry first', async () => {
    const cache = new MemoryCache({ maxEntries: 3 })
    for (const i of [1, 2, 3]) await put(cache, ref(i), bytes(1))
    await cache.get(ref(1))
    await put(cache, ref(4), bytes(1))
    expect(await cache.get(ref(2))).toBeNull()
    for (const i of [1, 3, 4]) expect(await cache.get(ref(i))).not.toBeNull()
    expect(cache.stats().entries).toBe(3)
  })

  it('accounts ids, bytes, tags and the documented overheads', async () => {
    const cache = new MemoryCache()
    await put(cache, { context: 'abc', key: 'defg' }, bytes(100), ['x', 'yz'])
    expect(cache.stats().bytes).toBe(ENTRY_OVERHEAD_BYTES + 3 + 4 + 100 + (1 + TAG_OVERHEAD_BYTES) + (2 + TAG_OVERHEAD_BYTES))
    await put(cache, { context: 'abc', key: 'defg' }, bytes(10))
    expect(cache.stats().bytes).toBe(ENTRY_OVERHEAD_BYTES + 3 + 4 + 10)
    await cache.delete({ context: 'abc', key: 'defg' })
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0, markers: 0 })
  })

  it('evicts by bytes, and refuses an entry larger than maxBytes', async () => {
    const cache = new MemoryCache({ maxBytes: 3 * (ENTRY_OVERHEAD_BYTES + 1000) })
    for (let i = 0; i < 10; i++) expect(await put(cache, ref(i), bytes(990))).toBe(true)
    const stats = cache.stats()
    expect(stats.bytes).toBeLessThanOrEqual(3 * (ENTRY_OVERHEAD_BYTES + 1000))
    expect(stats.entries).toBe(3)
    expect(await cache.get(ref(9))).not.toBeNull()
    expect(await put(cache, ref(99), bytes(3 * (ENTRY_OVERHEAD_BYTES + 1000)))).toBe(false)
    expect(await cache.get(ref(99))).toBeNull()
    expect(await cache.get(ref(9))).not.toBeNull()
  })

  it('keeps its indexes in step with evictions: a purge counts only live entries', async () => {
    const cache = new MemoryCache({ maxEntries: 2 })
    for (const i of [1, 2, 3]) await put(cache, ref(i), bytes(1), ['shared'])
    expect(await cache.purge({ tags: ['shared'] })).toEqual({ deleted: 2 })
    expect(await cache.purge({ contexts: ['ctx'] })).toEqual({ deleted: 0 })
  })

  it('expires entries by ttlMs on its clock', async () => {
    const time = clock()
    const cache = new MemoryCache({ now: time.now })
    await put(cache, ref(1), bytes(1), [], 100)
    time.advance(99)
    expect(await cache.get(ref(1))).not.toBeNull()
    time.advance(1)
    expect(await cache.get(ref(1))).toBeNull()
    await put(cache, ref(2), bytes(1), [], 100)
    time.advance(100)
    expect(cache.stats().entries).toBe(0)
  })

  it('hands out copies: neither the writer nor a reader can change what others read', async () => {
    const cache = new MemoryCache()
    const body = bytes(4, 7)
    await put(cache, ref(1), body)
    body.fill(0)
    const read = await cache.get(ref(1))
    read!.fill(9)
    expect([...(await cache.get(ref(1)))!]).toEqual([7, 7, 7, 7])
  })

  it('rejects a put or lease without a positive ttl', async () => {
    const cache = new MemoryCache()
    await expect(put(cache, ref(1), bytes(1), [], 0)).rejects.toThrow(BackendError)
    await expect(cache.lease(ref(1), Number.NaN)).rejects.toThrow(BackendError)
  })

  it('refuses every call once closed', async () => {
    const cache = new MemoryCache()
    await put(cache, ref(1), bytes(1))
    await cache.close()
    await expect(cache.get(ref(1))).rejects.toThrow(/closed/)
    await expect(cache.purge({ tags: ['a'] })).rejects.toThrow(BackendError)
  })
})

describe('MemoryCache markers, tickets and leases', () => {
  it('refuses a put whose ticket predates a relevant marker until the marker expires with the ticket', async () => {
    const time = clock()
    const cache = new MemoryCache({ now: time.now, markerTtlMs: 1_000 })
    const ticket = await cache.ticket()
    time.advance(10)
    await cache.purge({ tags: ['t'] })
    expect(cache.stats().markers).toBe(1)
    const request = { ref: ref(1), bytes: bytes(1), tags: ['t'], ttlMs: 60_000, ticket }
    time.advance(900)
    expect(await cache.put(request)).toBe(false)
    time.advance(90)
    expect(cache.stats().markers).toBe(1)
    // The ticket (taken 1,000 ms ago) is now too old on its own, before the marker lapses.
    expect(await cache.put(request)).toBe(false)
    time.advance(10)
    expect(cache.stats().markers).toBe(0)
    expect(await cache.put({ ...request, ticket: await cache.ticket() })).toBe(true)
  })

  it('a renewed marker lives markerTtlMs from its latest purge', async () => {
    const time = clock()
    const cache = new MemoryCache({ now: time.now, markerTtlMs: 1_000 })
    await cache.purge({ tags: ['a'] })
    time.advance(600)
    await cache.purge({ tags: ['b'] })
    await cache.purge({ tags: ['a'] })
    time.advance(500)
    expect(cache.stats().markers).toBe(2)
    time.advance(500)
    expect(cache.stats().markers).toBe(0)
  })

  it('stamps tickets with its clock and advances the epoch once per purge', async () => {
    const time = clock(42)
    const cache = new MemoryCache({ now: time.now })
    expect(await cache.ticket()).toEqual({ epoch: 0, issuedAt: 42 })
    await cache.purge({ tags: ['a', 'b'], contexts: ['c'] })
    expect((await cache.ticket()).epoch).toBe(1)
  })

  it('expires leases on its clock', async () => {
    const time = clock()
    const cache = new MemoryCache({ now: time.now })
    const lease = await cache.lease(ref(1), 100)
    expect(lease).not.toBeNull()
    time.advance(99)
    expect(await cache.lease(ref(1), 100)).toBeNull()
    time.advance(1)
    expect(await cache.lease(ref(1), 100)).not.toBeNull()
  })
})

describe('MemoryCache bounds under load', () => {
  it('stays within maxBytes and maxEntries through 1,000,000 distinct puts', async () => {
    const maxBytes = 4 * 1024 * 1024
    const maxEntries = 50_000
    const cache = new MemoryCache({ maxEntries, maxBytes })
    const body = bytes(32)
    const ticket = await cache.ticket()
    for (let i = 0; i < 1_000_000; i++) {
      const stored = await cache.put({ ref: { context: `c${i % 16}`, key: `key-${i}` }, bytes: body, tags: [`t${i % 100}`, 'all'], ttlMs: 60_000, ticket })
      if (!stored) throw new Error(`put ${i} refused`)
      if (i % 100_000 === 0) {
        const stats = cache.stats()
        expect(stats.bytes).toBeLessThanOrEqual(maxBytes)
        expect(stats.entries).toBeLessThanOrEqual(maxEntries)
      }
    }
    const stats = cache.stats()
    expect(stats.bytes).toBeLessThanOrEqual(maxBytes)
    expect(stats.bytes).toBeGreaterThan(maxBytes - 1_000)
    expect(stats.entries).toBeLessThanOrEqual(maxEntries)
    expect(await cache.get({ context: 'c15', key: 'key-999999' })).not.toBeNull()
    expect(await cache.get({ context: 'c0', key: 'key-0' })).toBeNull()
    expect((await cache.purge({ tags: ['all'] })).deleted).toBe(stats.entries)
    expect(cache.stats().bytes).toBe(0)
  })

  it('with the defaults, 1,000,000 puts keep maxEntries (10,000) entries', async () => {
    const cache = new MemoryCache()
    const body = bytes(16)
    const ticket = await cache.ticket()
    for (let i = 0; i < 1_000_000; i++) await cache.put({ ref: { context: 'c', key: `key-${i}` }, bytes: body, tags: [], ttlMs: 60_000, ticket })
    expect(cache.stats().entries).toBe(10_000)
    expect(cache.stats().bytes).toBeLessThanOrEqual(64 * 1024 * 1024)
  })
})
