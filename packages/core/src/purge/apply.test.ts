import { beforeAll, describe, expect, it } from 'vitest'
import { cacheGet, cachePut } from '../abi.ts'
import type { PurgeTarget, PurgeReport } from '../backend.ts'
import { BackendError } from '../errors.ts'
import { MemoryCache } from '../memory/index.ts'
import { createKeyring } from '../secret.ts'
import type { CacheSecret } from '../secret.ts'
import type { CacheContext } from '../types.ts'
import { applyPurge } from './apply.ts'
import { randomSecret } from './test-edge.ts'

const post: CacheContext = { fn: 'posts/[slug]#post', version: 'a1' }
const list: CacheContext = { fn: 'posts#list', version: 'b1' }

let secret: CacheSecret
let old: CacheSecret
beforeAll(async () => {
  ;[secret, old] = await Promise.all([randomSecret(), randomSecret()])
})

async function seeded(): Promise<MemoryCache> {
  const backend = new MemoryCache()
  for (const slug of ['hello', 'world']) {
    expect(await cachePut(secret, backend, post, { slug }, `post ${slug}`, { ttl: 60, tags: [`post:${slug}`, 'posts'] })).toBe(true)
  }
  for (const page of [1, 2]) expect(await cachePut(secret, backend, list, { page }, `page ${page}`, { ttl: 60, tags: ['posts'] })).toBe(true)
  return backend
}

const has = async (backend: MemoryCache, context: CacheContext, params: unknown, key = secret) =>
  (await cacheGet(key, backend, context, params)) !== undefined

describe('applyPurge', () => {
  it('purges tags', async () => {
    const backend = await seeded()
    expect(await applyPurge({ id: 'p', tags: ['post:hello'] }, { backend, secret })).toEqual({ tags: 1, contexts: 0, entries: 0, deleted: 1 })
    expect(await has(backend, post, { slug: 'hello' })).toBe(false)
    expect(await has(backend, post, { slug: 'world' })).toBe(true)
    expect(await has(backend, list, { page: 1 })).toBe(true)
  })

  it('purges whole contexts', async () => {
    const backend = await seeded()
    expect(await applyPurge({ id: 'p', contexts: [list] }, { backend, secret })).toEqual({ tags: 0, contexts: 1, entries: 0, deleted: 2 })
    expect(await has(backend, list, { page: 2 })).toBe(false)
    expect(await has(backend, post, { slug: 'hello' })).toBe(true)
  })

  it('purges exact entries only', async () => {
    const backend = await seeded()
    const summary = await applyPurge({ id: 'p', entries: [{ ...post, params: { slug: 'world' } }] }, { backend, secret })
    expect(summary).toEqual({ tags: 0, contexts: 0, entries: 1, deleted: 1 })
    expect(await has(backend, post, { slug: 'world' })).toBe(false)
    expect(await has(backend, post, { slug: 'hello' })).toBe(true)
  })

  it('purges all parts of one body and sums what was deleted', async () => {
    const backend = await seeded()
    const summary = await applyPurge({ id: 'p', tags: ['post:hello'], contexts: [list], entries: [{ ...post, params: { slug: 'world' } }] }, { backend, secret })
    expect(summary).toEqual({ tags: 1, contexts: 1, entries: 1, deleted: 4 })
    expect(backend.stats().entries).toBe(0)
  })

  it('with a keyring, purges the exact entry under every key id', async () => {
    const backend = new MemoryCache()
    await cachePut(old, backend, post, { slug: 'hello' }, 'old key', { ttl: 60 })
    await cachePut(secret, backend, post, { slug: 'hello' }, 'new key', { ttl: 60 })
    await applyPurge({ id: 'p', entries: [{ ...post, params: { slug: 'hello' } }] }, { backend, secret: createKeyring(secret, old) })
    expect(await has(backend, post, { slug: 'hello' }, old)).toBe(false)
    expect(await has(backend, post, { slug: 'hello' }, secret)).toBe(false)
  })

  it('fails closed when the backend fails, after every part has settled', async () => {
    let calls = 0
    class FailingContextPurges extends MemoryCache {
      override async purge(target: PurgeTarget): Promise<PurgeReport> {
        calls++
        if (target.contexts !== undefined) throw new Error('connection reset')
        return super.purge(target)
      }
    }
    const backend = new FailingContextPurges()
    await expect(applyPurge({ id: 'p', tags: ['posts'], contexts: [list] }, { backend, secret })).rejects.toThrow(BackendError)
    expect(calls).toBe(2)
  })
})
