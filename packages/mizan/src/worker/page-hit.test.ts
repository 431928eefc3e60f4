import { hexEncode, MemoryCache, MemoryReplayStore } from '@mizan/core'
import type { EntryRef } from '@mizan/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { cacheHandler, calls, db } from './cache-app.tsx'
import type { MizanHandler } from './handler.ts'
import { strongEtag } from './http.ts'

const BASE = 'https://app.example'
const env = { MIZAN_SECRET: hexEncode(crypto.getRandomValues(new Uint8Array(32))) }

/**
 * A MemoryCache that, like the edge backend's in-isolate tier, hands out the same bytes object
 * for as long as an entry is unchanged (MemoryCache itself copies on every read), so the
 * prepared-page path is the one these tests exercise.
 */
class TierLikeCache extends MemoryCache {
  readonly held = new Map<string, Uint8Array>()
  reused = 0

  override async get(ref: EntryRef): Promise<Uint8Array | null> {
    const bytes = await super.get(ref)
    const id = `${ref.context}\n${ref.key}`
    const known = this.held.get(id)
    if (bytes === null) {
      this.held.delete(id)
      return null
    }
    if (known !== undefined && known.length === bytes.length && known.every((b, i) => b === bytes[i])) {
      this.reused++
      return known
    }
    this.held.set(id, bytes)
    return bytes
  }
}

let backend: TierLikeCache
let handler: MizanHandler
beforeEach(() => {
  db.reset()
  backend = new TierLikeCache()
  handler = cacheHandler({ backend, replay: new MemoryReplayStore(), cdn: null })
})

const get = (path: string, init?: RequestInit) => handler.fetch(new Request(BASE + path, init), env)
const state = (response: Response) => response.headers.get('x-mizan-cache')

describe('a fresh page HIT from a prepared entry', () => {
  it('sends the stored bytes with their strong ETag and the full header set, GET, HEAD and 304', async () => {
    const first = await get('/about')
    const html = await first.text()
    expect(state(first)).toBe('MISS')
    for (let i = 0; i < 3; i++) {
      const hit = await get('/about')
      expect([hit.status, state(hit), await hit.text()]).toEqual([200, 'HIT', html])
      expect(Object.fromEntries(hit.headers)).toEqual({
        'cache-control': 'public, max-age=0, s-maxage=60',
        'cache-tag': 'about',
        'content-type': 'text/html; charset=utf-8',
        etag: await strongEtag(html),
        'x-content-type-options': 'nosniff',
        'x-mizan-cache': 'HIT',
      })
    }
    expect(backend.reused).toBeGreaterThanOrEqual(2)
    const head = await get('/about', { method: 'HEAD' })
    expect([head.status, state(head), head.headers.get('etag'), await head.text()]).toEqual([200, 'HIT', first.headers.get('etag'), ''])
    const revalidated = await get('/about', { headers: { 'if-none-match': `W/${first.headers.get('etag')}` } })
    expect([revalidated.status, state(revalidated), revalidated.headers.get('etag'), revalidated.headers.has('content-type')]).toEqual([304, 'HIT', first.headers.get('etag'), false])
    expect(calls('about#info')).toBe(1)
  })

  it('never serves a page prepared from an entry that was purged and recomputed', async () => {
    await (await get('/about')).text()
    const old = await get('/about')
    expect([state(old), await old.text()]).toEqual(['HIT', expect.stringContaining('about v1')])
    db.about = 'v2'
    await backend.purge({ tags: ['about'] })
    const fresh = await get('/about')
    expect([state(fresh), await fresh.text()]).toEqual(['MISS', expect.stringContaining('about v2')])
    const hit = await get('/about')
    const html = await hit.text()
    expect([state(hit), html]).toEqual(['HIT', expect.stringContaining('about v2')])
    expect(hit.headers.get('etag')).toBe(await strongEtag(html))
    expect(hit.headers.get('etag')).not.toBe(old.headers.get('etag'))
  })

  it('stops being a HIT when the entry stops being fresh (then cacheFetch serves it stale)', async () => {
    await (await get('/stale')).text()
    expect(state(await get('/stale'))).toBe('HIT')
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const stale = await get('/stale')
    expect([state(stale), stale.headers.get('etag')]).toEqual(['STALE', await strongEtag(await stale.clone().text())])
  })
})
