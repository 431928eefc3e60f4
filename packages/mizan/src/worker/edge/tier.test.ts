import { describe, expect, it } from 'vitest'
import { EntryTier } from './tier.ts'
import type { TierEntry } from './tier.ts'

const entry = (size: number, tags: string[] = []): TierEntry => ({ bytes: new Uint8Array(size), epoch: 0, tags, expiresAt: Number.MAX_SAFE_INTEGER })

describe('EntryTier', () => {
  it('evicts the least recently used entry when full, a hit refreshing recency', () => {
    const tier = new EntryTier(2, 1 << 20)
    tier.set('a', entry(1))
    tier.set('b', entry(1))
    expect(tier.get('a')).toBeDefined()
    tier.set('c', entry(1))
    expect(tier.get('b')).toBeUndefined()
    expect(tier.get('a')).toBeDefined()
    expect(tier.get('c')).toBeDefined()
    expect(tier.size).toBe(2)
  })

  it('stays within maxBytes, refuses an entry larger than the tier, and accounts overwrites and deletes', () => {
    const tier = new EntryTier(100, 2_000)
    for (let i = 0; i < 10; i++) tier.set(`k${i}`, entry(500, ['post:1']))
    expect(tier.bytes).toBeLessThanOrEqual(2_000)
    expect(tier.size).toBeLessThan(10)
    expect(tier.get('k9')).toBeDefined()
    tier.set('huge', entry(5_000))
    expect(tier.get('huge')).toBeUndefined()
    const before = tier.bytes
    tier.set('k9', entry(500, ['post:1']))
    expect(tier.bytes).toBe(before)
    for (const id of ['k6', 'k7', 'k8', 'k9']) tier.delete(id)
    expect(tier.size).toBe(0)
    expect(tier.bytes).toBe(0)
  })

  it('holds nothing with maxEntries 0', () => {
    const tier = new EntryTier(0, 1 << 20)
    tier.set('a', entry(1))
    expect(tier.get('a')).toBeUndefined()
  })
})
