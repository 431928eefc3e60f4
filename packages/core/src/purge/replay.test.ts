import { describe, expect, it } from 'vitest'
import { MizanError, PurgeError } from '../errors.ts'
import { MemoryReplayStore } from './replay.ts'

describe('MemoryReplayStore', () => {
  it('answers true the first time and false while the id is remembered', async () => {
    let now = 1000
    const store = new MemoryReplayStore({ now: () => now })
    expect(await store.seen('a', 2000)).toBe(true)
    expect(await store.seen('a', 2000)).toBe(false)
    expect(await store.seen('b', 2000)).toBe(true)
    now = 1999
    expect(await store.seen('a', 3000)).toBe(false)
    now = 2000
    expect(await store.seen('a', 3000)).toBe(true)
  })

  it('gives exactly one true among concurrent calls', async () => {
    const store = new MemoryReplayStore()
    const answers = await Promise.all(Array.from({ length: 50 }, () => store.seen('same', Date.now() + 10_000)))
    expect(answers.filter(Boolean)).toHaveLength(1)
  })

  it('stays bounded by dropping expired ids', async () => {
    let now = 0
    const store = new MemoryReplayStore({ maxEntries: 100, now: () => now })
    for (let i = 0; i < 10_000; i++) {
      now = i
      expect(await store.seen(`id${i}`, i + 50)).toBe(true)
      expect(store.size).toBeLessThanOrEqual(100)
    }
  })

  it('drops expired ids inserted out of expiry order when full', async () => {
    let now = 0
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => now })
    await store.seen('long', 1000)
    await store.seen('short1', 10)
    await store.seen('short2', 10)
    now = 20
    expect(await store.seen('new', 1000)).toBe(true)
    expect(store.size).toBe(2)
    expect(await store.seen('long', 1000)).toBe(false)
  })

  it('fails closed when full of unexpired ids instead of forgetting one', async () => {
    const store = new MemoryReplayStore({ maxEntries: 2, now: () => 0 })
    await store.seen('a', 100)
    await store.seen('b', 100)
    await expect(store.seen('c', 100)).rejects.toThrow(PurgeError)
    expect(await store.seen('a', 100)).toBe(false)
  })

  it('validates maxEntries', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(MizanError)
    expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(/maxEntries/)
  })
})
