import { describe, expect, it } from 'vitest'
import { cacheGet, cachePut } from './abi.ts'
import type { CacheBackend } from './backend.ts'
import { hexEncode } from './bytes.ts'
import { MizanError, ParamsError, PolicyError } from './errors.ts'
import { cacheFetch } from './fetch.ts'
import type { CacheFetchOptions } from './fetch.ts'
import { MemoryCache } from './memory/index.ts'
import { createSecret } from './secret.ts'

const secret = await createSecret(hexEncode(crypto.getRandomValues(new Uint8Array(32))))
let contexts = 0
const freshContext = () => ({ fn: `fetch-test#${++contexts}`, version: 'v1' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function counter() {
  const state = { version: 1, calls: 0 }
  const compute = async () => {
    state.calls += 1
    return { v: state.version }
  }
  return { state, compute }
}

function base<T>(backend: CacheBackend, compute: CacheFetchOptions<T>['compute'], extra: Partial<CacheFetchOptions<T>> = {}): CacheFetchOptions<T> {
  return { secret, backend, context: freshContext(), params: { id: 1 }, policy: { ttl: 60, swr: 600, tags: ['item'] }, compute, ...extra }
}

/** A real MemoryCache whose `method` throws, as a down or misbehaving backend would. */
function failingAt(method: 'get' | 'ticket' | 'lease'): CacheBackend {
  const memory = new MemoryCache()
  return {
    name: 'memory', markerTtlMs: memory.markerTtlMs,
    get: (ref) => memory.get(ref), ticket: () => memory.ticket(), put: (r) => memory.put(r), delete: (ref) => memory.delete(ref),
    purge: (t) => memory.purge(t), lease: (ref, ms) => memory.lease(ref, ms), close: () => memory.close(),
    [method]: async () => { throw new Error(`${method} failed`) },
  }
}

describe('cacheFetch', () => {
  it('validates its options before touching the backend', async () => {
    const backend = new MemoryCache()
    const { compute } = counter()
    const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof MizanError ? e.code : String(e)))
    expect(await code(cacheFetch(base(backend, compute, { leaseMs: 0 })))).toBe('MIZAN_CONFIG')
    expect(await code(cacheFetch(base(backend, undefined as never)))).toBe('MIZAN_CONFIG')
    expect(await code(cacheFetch(base(backend, compute, { waitUntil: 5 as never })))).toBe('MIZAN_CONFIG')
    await expect(cacheFetch(base(backend, compute, { policy: { ttl: -1 } }))).rejects.toThrow(PolicyError)
    await expect(cacheFetch(base(backend, compute, { params: { when: new Date() } }))).rejects.toThrow(ParamsError)
  })

  it.each(['get', 'ticket', 'lease'] as const)('fails open when %s throws: computes, returns MISS, stores nothing', async (method) => {
    const backend = failingAt(method)
    const { state, compute } = counter()
    const options = base(backend, compute)
    const result = await cacheFetch(options)
    expect(result).toMatchObject({ value: { v: 1 }, state: 'MISS', stored: false, tags: ['item'] })
    expect(state.calls).toBe(1)
    const boom = new Error('origin down')
    await expect(cacheFetch({ ...options, compute: async () => Promise.reject(boom) })).rejects.toBe(boom)
  })

  it('moves from HIT to STALE to a refreshed HIT on one clock', async () => {
    let now = 1_000_000_000_000
    const clock = () => now
    const backend = new MemoryCache({ now: clock })
    const { state, compute } = counter()
    const background: Promise<unknown>[] = []
    const options = base(backend, compute, { now: clock, waitUntil: (p) => void background.push(p) })
    expect(await cacheFetch(options)).toMatchObject({ state: 'MISS', stored: true, value: { v: 1 } })
    now += 59_999
    expect(await cacheFetch(options)).toMatchObject({ state: 'HIT', value: { v: 1 } })
    now += 1
    state.version = 2
    expect(await cacheFetch(options)).toMatchObject({ state: 'STALE', value: { v: 1 } })
    await Promise.all(background)
    expect(await cacheFetch(options)).toMatchObject({ state: 'HIT', value: { v: 2 } })
    expect(state.calls).toBe(2)
  })

  it('swallows a failed background refresh without waitUntil, and a later stale read refreshes again', async () => {
    const backend = new MemoryCache()
    const context = freshContext()
    await cachePut(secret, backend, context, { id: 1 }, { v: 1 }, { ttl: 1, swr: 600 }, { now: () => Date.now() - 5_000 })
    let calls = 0
    const failing = async (): Promise<{ v: number }> => {
      calls += 1
      throw new Error('refresh failed')
    }
    const options = base(backend, failing, { context })
    expect(await cacheFetch(options)).toMatchObject({ state: 'STALE', value: { v: 1 } })
    await sleep(20)
    expect(await cacheFetch(options)).toMatchObject({ state: 'STALE', value: { v: 1 } })
    await sleep(20)
    expect(calls).toBe(2)
  })

  it('with ttl 0 and staleIfError, computes every time but serves the last value when computing fails', async () => {
    const backend = new MemoryCache()
    const { state, compute } = counter()
    const options = base(backend, compute, { policy: { ttl: 0, staleIfError: 60 } })
    expect(await cacheFetch(options)).toMatchObject({ state: 'MISS', stored: true, value: { v: 1 } })
    expect((await cacheGet(secret, backend, options.context, options.params))?.state).toBe('error-stale')
    const served = await cacheFetch({ ...options, compute: async () => Promise.reject(new Error('down')) })
    expect(served).toMatchObject({ state: 'STALE', value: { v: 1 } })
    state.version = 3
    expect(await cacheFetch(options)).toMatchObject({ state: 'MISS', stored: true, value: { v: 3 } })
  })

  it('returns but does not store a value that is not plain JSON, or one with an invalid run-time tag', async () => {
    const backend = new MemoryCache()
    const value = { at: new Date(0) }
    const dated = await cacheFetch(base(backend, async () => value))
    expect(dated.value).toBe(value)
    expect(dated.stored).toBe(false)
    const tagged = await cacheFetch(base(backend, async ({ addTags }) => {
      addTags('has space')
      return 1
    }))
    expect(tagged).toMatchObject({ value: 1, state: 'MISS', stored: false, tags: ['item', 'has space'] })
  })

  it('shares one outcome among concurrent callers, stored flag included', async () => {
    const backend = new MemoryCache()
    const { state, compute } = counter()
    const options = base(backend, async () => {
      await sleep(10)
      return compute()
    })
    const results = await Promise.all([cacheFetch(options), cacheFetch(options), cacheFetch(options)])
    expect(state.calls).toBe(1)
    expect(results.map((r) => [r.state, r.stored])).toEqual([['MISS', true], ['MISS', true], ['MISS', true]])
    expect(results[1]!.value).toBe(results[0]!.value)
  })
})
