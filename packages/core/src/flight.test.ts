import { describe, expect, it } from 'vitest'
import type { CacheBackend } from './backend.ts'
import { FlightTable } from './flight.ts'
import type { FlightOutcome } from './flight.ts'
import { MemoryCache } from './memory/index.ts'

const outcome = (value: unknown): FlightOutcome => ({ value, state: 'MISS', stored: true, tags: [] })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('FlightTable', () => {
  const backend: CacheBackend = new MemoryCache()

  it('lets callers with an equal or older epoch join a running flight, not newer ones', async () => {
    const table = new FlightTable()
    let release!: () => void
    const running = table.start(backend, 'k', 5, 1_000, () => new Promise((resolve) => (release = () => resolve(outcome('v')))))
    expect(table.running(backend, 'k')).toBe(true)
    expect(table.join(backend, 'k', 5)).toBe(running)
    expect(table.join(backend, 'k', 4)).toBe(running)
    expect(table.join(backend, 'k', 6)).toBeUndefined()
    expect(table.join(new MemoryCache(), 'k', 5)).toBeUndefined()
    await sleep(0)
    release()
    expect((await running).value).toBe('v')
  })

  it('keeps a finished flight joinable for its window only', async () => {
    const table = new FlightTable()
    await table.start(backend, 'w', 1, 40, async () => outcome('done'))
    expect(table.running(backend, 'w')).toBe(false)
    expect(await table.join(backend, 'w', 1)).toEqual(outcome('done'))
    await sleep(60)
    expect(table.join(backend, 'w', 1)).toBeUndefined()
  })

  it('forgets a failed flight at once, and a zero window at once', async () => {
    const table = new FlightTable()
    const boom = new Error('boom')
    await expect(table.start(backend, 'f', 1, 1_000, async () => Promise.reject(boom))).rejects.toBe(boom)
    expect(table.join(backend, 'f', 1)).toBeUndefined()
    await table.start(backend, 'z', 1, 0, async () => outcome(1))
    expect(table.join(backend, 'z', 1)).toBeUndefined()
  })

  it('an older flight that finishes late does not displace its replacement', async () => {
    const table = new FlightTable()
    let releaseOld!: () => void
    const old = table.start(backend, 'r', 1, 1_000, () => new Promise((resolve) => (releaseOld = () => resolve(outcome('old')))))
    await sleep(0)
    const replacement = table.start(backend, 'r', 2, 1_000, () => new Promise(() => undefined))
    releaseOld()
    await old
    expect(table.join(backend, 'r', 2)).toBe(replacement)
    expect(table.running(backend, 'r')).toBe(true)
  })
})

describe('FlightTable windows', () => {
  const backend: CacheBackend = new MemoryCache()

  it('does not keep an unstored outcome joinable, and `running` skips finished flights', async () => {
    const table = new FlightTable()
    await table.start(backend, 'u', 1, 1_000, async () => ({ ...outcome('x'), stored: false }))
    expect(table.join(backend, 'u', 1)).toBeUndefined()
    await table.start(backend, 's', 1, 1_000, async () => outcome('y'))
    expect(table.join(backend, 's', 1)).toBeDefined()
    expect(table.join(backend, 's', 1, { running: true })).toBeUndefined()
  })

  it('on a request-scoped backend hands joiners their own promise, settled from the flight\'s result, or undefined once waitMs passes', async () => {
    const scoped = Object.assign(new MemoryCache(), { requestScoped: true }) as CacheBackend
    const table = new FlightTable()
    let release!: () => void
    const running = table.start(scoped, 'k', 1, 1_000, () => new Promise((resolve) => (release = () => resolve(outcome('v')))))
    const joined = table.join(scoped, 'k', 1)
    expect(joined).toBeDefined()
    expect(joined).not.toBe(running)
    await sleep(5)
    release()
    expect(await joined).toEqual(outcome('v'))

    const boom = new Error('boom')
    let fail!: () => void
    const failing = table.start(scoped, 'e', 1, 1_000, () => new Promise((_, reject) => (fail = () => reject(boom))))
    failing.catch(() => undefined)
    const joinedFailure = table.join(scoped, 'e', 1)
    await sleep(5)
    fail()
    await expect(joinedFailure).rejects.toBe(boom)

    table.start(scoped, 'h', 1, 1_000, () => new Promise<FlightOutcome>(() => undefined))
    expect(await table.join(scoped, 'h', 1, { waitMs: 30 })).toBeUndefined()
  })
})
