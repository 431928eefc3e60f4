import { describe, expect, it } from 'vitest'
import type { CacheBackend } from './backend.ts'
import { MemoryCache } from './memory/index.ts'
import { batchedTicket } from './tickets.ts'

function counted(): { backend: CacheBackend; memory: MemoryCache; calls: () => number } {
  const memory = new MemoryCache()
  let calls = 0
  const backend: CacheBackend = Object.assign(Object.create(memory) as MemoryCache, {
    ticket: () => {
      calls += 1
      return memory.ticket()
    },
  })
  return { backend, memory, calls: () => calls }
}

describe('batchedTicket', () => {
  it('shares one request among the callers of one turn', async () => {
    const { backend, calls } = counted()
    const tickets = await Promise.all(Array.from({ length: 100 }, () => batchedTicket(backend)))
    expect(calls()).toBe(1)
    expect(new Set(tickets).size).toBe(1)
  })

  it('never hands a caller a ticket read before it arrived', async () => {
    const { backend, memory, calls } = counted()
    const before = batchedTicket(backend)
    await before
    await memory.purge({ tags: ['t'] })
    const after = await batchedTicket(backend)
    expect(calls()).toBe(2)
    expect(after.epoch).toBe((await before).epoch + 1)
  })

  it('passes a failure to every caller of the batch', async () => {
    const broken = { ...new MemoryCache(), ticket: async () => Promise.reject(new Error('down')) } as unknown as CacheBackend
    const results = await Promise.allSettled([batchedTicket(broken), batchedTicket(broken)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })
})
