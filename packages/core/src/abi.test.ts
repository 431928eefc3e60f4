import { describe, expect, it } from 'vitest'
import { cacheGet, cachePurge, cachePurgeTags, cachePut } from './abi.ts'
import type { CacheBackend } from './backend.ts'
import { hexEncode } from './bytes.ts'
import { withFaults } from './conformance/index.ts'
import { BackendError, ParamsError, PolicyError, PurgeError } from './errors.ts'
import { MemoryCache } from './memory/index.ts'
import { createSecret } from './secret.ts'

const newSecret = () => createSecret(hexEncode(crypto.getRandomValues(new Uint8Array(32))))
const context = { fn: 'abi-test#fn', version: 'v1' }
const policy = { ttl: 60, tags: ['item'] }

describe('cacheGet / cachePut', () => {
  it('classifies fresh, stale and error-stale by the envelope times, then misses', async () => {
    const secret = await newSecret()
    const backend = new MemoryCache()
    const t0 = Date.now()
    await cachePut(secret, backend, context, { id: 1 }, 'v', { ttl: 10, swr: 10, staleIfError: 10 }, { now: () => t0 })
    const at = async (ms: number) => (await cacheGet(secret, backend, context, { id: 1 }, { now: () => t0 + ms }))?.state
    expect(await at(9_999)).toBe('fresh')
    expect(await at(10_000)).toBe('stale')
    expect(await at(20_000)).toBe('error-stale')
    expect(await at(30_000)).toBeUndefined()
  })

  it('throws for bad params and a bad policy instead of failing open', async () => {
    const secret = await newSecret()
    const backend = new MemoryCache()
    await expect(cacheGet(secret, backend, context, { n: Number.NaN })).rejects.toThrow(ParamsError)
    await expect(cachePut(secret, backend, context, { id: 1 }, 1, { ttl: -1 })).rejects.toThrow(PolicyError)
  })

  it('fails open when the backend fails: a miss, and false', async () => {
    const secret = await newSecret()
    const backend = withFaults(new MemoryCache())
    await cachePut(secret, backend, context, { id: 1 }, 1, policy)
    backend.broken = true
    expect(await cacheGet(secret, backend, context, { id: 1 })).toBeUndefined()
    expect(await cachePut(secret, backend, context, { id: 2 }, 2, policy)).toBe(false)
  })
})

describe('cachePurge / cachePurgeTags', () => {
  it('wraps backend failures in BackendError (fail closed) and passes Mizan errors through', async () => {
    const failing = (error: unknown): CacheBackend => ({ ...withFaults(new MemoryCache()), name: 'flaky', purge: async () => Promise.reject(error) })
    const cause = new Error('connection reset')
    const wrapped = await cachePurge(failing(cause), context).catch((e: unknown) => e)
    expect(wrapped).toBeInstanceOf(BackendError)
    expect((wrapped as BackendError).cause).toBe(cause)
    expect((wrapped as BackendError).message).toMatch(/flaky.*connection reset.*retry/)
    const own = new PurgeError('edge did not acknowledge')
    await expect(cachePurgeTags(failing(own), ['a'])).rejects.toBe(own)
  })

  it('treats a params key that is present but undefined as a bad exact-entry purge, not a context purge', async () => {
    const secret = await newSecret()
    const backend = new MemoryCache()
    await cachePut(secret, backend, context, { id: 1 }, 1, policy)
    await expect(cachePurge(backend, context, { params: undefined, secret })).rejects.toThrow(ParamsError)
    expect(await cacheGet(secret, backend, context, { id: 1 })).toBeDefined()
  })

  it('purges one entry under every key id of a rotation', async () => {
    const [current, previous] = [await newSecret(), await newSecret()]
    const backend = new MemoryCache()
    for (const secret of [current, previous]) {
      await cachePut(secret, backend, context, { id: 1 }, 1, policy)
      await cachePut(secret, backend, context, { id: 2 }, 2, policy)
    }
    expect(await cachePurge(backend, context, { params: { id: 1 }, secret: [current, previous] })).toEqual({ deleted: 2 })
    expect(await cacheGet(current, backend, context, { id: 1 })).toBeUndefined()
    expect(await cacheGet(previous, backend, context, { id: 1 })).toBeUndefined()
    expect(await cacheGet(previous, backend, context, { id: 2 })).toBeDefined()
  })

  it('purges more tags at once than one entry may carry, and skips the backend for none', async () => {
    const secret = await newSecret()
    const backend = withFaults(new MemoryCache())
    await cachePut(secret, backend, context, { id: 1 }, 1, { ttl: 60, tags: ['tag-1499'] })
    const tags = Array.from({ length: 1_500 }, (_, i) => `TAG-${i}`)
    expect(await cachePurgeTags(backend, tags)).toEqual({ deleted: 1 })
    backend.broken = true
    expect(await cachePurgeTags(backend, [])).toEqual({ deleted: 0 })
  })
})
