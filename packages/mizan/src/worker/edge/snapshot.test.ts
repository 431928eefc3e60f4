import { describe, expect, it } from 'vitest'
import { markerName } from './protocol.ts'
import { PurgeSnapshot } from './snapshot.ts'

const ref = { context: 'ctx', key: 'key' }

describe('PurgeSnapshot', () => {
  it('refuses an entry older than a live marker of its context, key or tags, and nothing else', () => {
    const snapshot = new PurgeSnapshot()
    const now = 1_000
    snapshot.apply({ epoch: 5, markers: [{ name: markerName.tag('post:1'), epoch: 5, expiresAt: now + 10_000 }] }, now, now)
    expect(snapshot.refuses(ref, ['post:1'], 4, now)).toBe(true)
    expect(snapshot.refuses(ref, ['post:1'], 5, now)).toBe(false)
    expect(snapshot.refuses(ref, ['post:2'], 4, now)).toBe(false)
    snapshot.apply({ epoch: 7, markers: [{ name: markerName.context('ctx'), epoch: 6, expiresAt: now + 10_000 }, { name: markerName.entry('other', 'key'), epoch: 7, expiresAt: now + 10_000 }] }, now, now)
    expect(snapshot.refuses(ref, [], 5, now)).toBe(true)
    expect(snapshot.refuses({ context: 'other', key: 'key' }, [], 6, now)).toBe(true)
    expect(snapshot.refuses({ context: 'other', key: 'other' }, [], 6, now)).toBe(false)
    expect(snapshot.epoch).toBe(7)
  })

  it('forgets expired markers and keeps the newest of two views of one marker', () => {
    const snapshot = new PurgeSnapshot()
    snapshot.apply({ epoch: 3, markers: [{ name: markerName.tag('a'), epoch: 3, expiresAt: 2_000 }] }, 0, 0)
    snapshot.apply({ epoch: 2, markers: [{ name: markerName.tag('a'), epoch: 2, expiresAt: 1_500 }] }, 0, 0)
    expect(snapshot.refuses(ref, ['a'], 2, 1_000)).toBe(true)
    expect(snapshot.epoch).toBe(3)
    expect(snapshot.refuses(ref, ['a'], 2, 2_000)).toBe(false)
    snapshot.apply({ epoch: 3, markers: [] }, 0, 2_500)
    expect(snapshot.size).toBe(0)
  })

  it('shares one sync between concurrent callers and records when it was sent', async () => {
    const snapshot = new PurgeSnapshot()
    let loads = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const load = async (since: number) => {
      loads += 1
      expect(since).toBe(0)
      await gate
      return { epoch: 9, markers: [] }
    }
    const first = snapshot.sync(load, 100)
    const second = snapshot.sync(load, 150)
    expect([first.started, second.started]).toEqual([true, false])
    const both = Promise.all([first.promise, second.promise])
    release()
    await both
    expect(loads).toBe(1)
    expect(snapshot.epoch).toBe(9)
    expect(snapshot.syncedAt).toBe(100)
  })
})
