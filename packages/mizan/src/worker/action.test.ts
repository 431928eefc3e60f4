import { hexEncode, MemoryCache, MemoryReplayStore } from '@mizan/core'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_PARAMS_BYTES } from './params.ts'
import { appHandler, backend as posts } from './test-app.tsx'
import type { TagPurger } from './purge.ts'

const BASE = 'https://app.example'
const env = { MIZAN_SECRET: hexEncode(crypto.getRandomValues(new Uint8Array(32))) }
const RENAME = `/_mizan/action/${encodeURIComponent('posts/[slug]#rename')}`
const POST_URL = `/_mizan/data/${encodeURIComponent('posts/[slug]#post')}?p=${encodeURIComponent('{"slug":"hello"}')}`

function setup(options: { backend?: MemoryCache; cdn?: TagPurger | null; dev?: boolean } = {}) {
  const errors: unknown[] = []
  const cache = options.backend ?? new MemoryCache()
  const handler = appHandler({ backend: cache, replay: new MemoryReplayStore(), cdn: options.cdn ?? null, dev: options.dev ?? false, onError: (e) => void errors.push(e) })
  const call = (path: string, init?: RequestInit) => handler.fetch(new Request(BASE + path, init), env)
  const act = (body: unknown, init?: RequestInit) =>
    call(RENAME, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), ...init })
  return { call, act, errors, cache }
}

afterEach(() => {
  posts.posts.set('hello', { title: 'Hello', body: 'First post' })
})

describe('POST /_mizan/action/<id>', () => {
  it('runs the action, answers { value } no-store, and purges its tags: the cached data and page become MISSes', async () => {
    const { call, act } = setup()
    await call(POST_URL)
    await call('/posts/hello')
    expect((await call(POST_URL)).headers.get('x-mizan-cache')).toBe('HIT')
    const pageBefore = await call('/')
    expect(pageBefore.headers.get('x-mizan-cache')).toMatch(/MISS|HIT/)
    expect((await call('/')).headers.get('x-mizan-cache')).toMatch(/HIT/)

    const res = await act({ slug: 'hello', title: 'Renamed' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('cache-tag')).toBeNull()
    expect(await res.json()).toEqual({ value: { renamed: 'hello', title: 'Renamed' } })

    const after = await call(POST_URL)
    expect(after.headers.get('x-mizan-cache')).toBe('MISS')
    expect(await after.json()).toMatchObject({ title: 'Renamed' })
    // The home page carries `posts`, not `post:hello`: untouched by this action.
    expect((await call('/')).headers.get('x-mizan-cache')).toMatch(/HIT/)
  })

  it('purges tags added with ctx.addTags too', async () => {
    const { call, act } = setup()
    await call('/')
    expect((await call('/')).headers.get('x-mizan-cache')).toMatch(/HIT/)
    expect((await act({ slug: 'hello', title: 'everything' })).status).toBe(200)
    expect((await call('/')).headers.get('x-mizan-cache')).toMatch(/MISS/)
  })

  it('sends the purged tags to the CDN purger in the background', async () => {
    const sent: string[][] = []
    const { act } = setup({ cdn: { purgeTags: async (tags) => void sent.push([...tags]) } })
    expect((await act({ slug: 'hello', title: 'X' })).status).toBe(200)
    await new Promise((r) => setTimeout(r, 0))
    expect(sent).toEqual([['post:hello']])
  })

  it('refuses other methods (405 + Allow), cross-origin requests (403) and other content types (415), without running', async () => {
    const { call, act } = setup()
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
      const res = await call(RENAME, { method })
      expect({ method, status: res.status, allow: res.headers.get('allow'), cc: res.headers.get('cache-control') }).toEqual({ method, status: 405, allow: 'POST', cc: 'no-store' })
    }
    const cross = await act({ slug: 'hello', title: 'Evil' }, { headers: { 'content-type': 'application/json', origin: 'https://evil.example' } })
    expect(cross.status).toBe(403)
    expect(await cross.json()).toMatchObject({ error: { code: 'cross-origin' } })
    const same = await act({ slug: 'hello', title: 'Same' }, { headers: { 'content-type': 'application/json', origin: BASE } })
    expect(same.status).toBe(200)
    const form = await act('slug=hello&title=Evil', { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(form.status).toBe(415)
    expect(posts.posts.get('hello')?.title).toBe('Same')
  })

  it('answers 404 for an unknown action and for ctx.notFound()', async () => {
    const { call, act } = setup()
    const unknown = await call('/_mizan/action/nope%23nothing', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown-action' } })
    const missing = await act({ slug: 'missing', title: 'X' })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not-found' } })
  })

  it('answers 400 for bad input (before running) and 413 for a body over the limit', async () => {
    const { act } = setup()
    for (const bad of ['not json', '[1,2', 'null', '"text"', '{"__proto__":{"x":1},"slug":"hello","title":"x"}', '{"title":"no slug"}', '[' .repeat(40) + ']'.repeat(40)]) {
      const res = await act(bad)
      expect({ bad, status: res.status, cc: res.headers.get('cache-control') }).toEqual({ bad, status: 400, cc: 'no-store' })
    }
    expect(posts.posts.get('hello')?.title).toBe('Hello')
    const big = await act({ slug: 'hello', title: 'x'.repeat(MAX_PARAMS_BYTES) })
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ error: { code: 'input-too-large' } })
  })

  it('answers 500 without details when the action throws (details in development), and purges nothing', async () => {
    const { call, act, errors } = setup()
    await call(POST_URL)
    const res = await act({ slug: 'hello', title: 'throw' })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain('secret database password')
    expect(text).not.toContain('at ')
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } })
    expect(errors).toHaveLength(1)
    expect((await call(POST_URL)).headers.get('x-mizan-cache')).toBe('HIT')

    const dev = await setup({ dev: true }).act({ slug: 'hello', title: 'throw' })
    expect(await dev.text()).toContain('secret database password')
  })

  it('purges even when the returned value cannot be sent (500): the write happened', async () => {
    const { call, act, errors } = setup()
    await call(POST_URL)
    expect((await call(POST_URL)).headers.get('x-mizan-cache')).toBe('HIT')
    const res = await act({ slug: 'hello', title: 'bigint' })
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ error: { code: 'internal' } })
    expect(errors).toHaveLength(1)
    expect((await call(POST_URL)).headers.get('x-mizan-cache')).toBe('MISS')
  })

  it('fails closed: 503 purge-failed (after the action ran) when the purge fails', async () => {
    const { act, errors } = setup({ backend: failingPurges(new MemoryCache()) })
    const res = await act({ slug: 'hello', title: 'Ran' })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toMatchObject({ error: { code: 'purge-failed' } })
    expect(posts.posts.get('hello')?.title).toBe('Ran')
    expect(errors).toHaveLength(1)
  })

  it('works with caching off (no secret): nothing was stored, so there is nothing to purge', async () => {
    const handler = appHandler({ backend: new MemoryCache(), replay: new MemoryReplayStore(), cdn: null })
    const res = await handler.fetch(new Request(BASE + RENAME, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"slug":"hello","title":"Off"}' }), {})
    expect(res.status).toBe(200)
  })
})

/** The backend with purges that fail (reads and writes still work). */
function failingPurges(inner: MemoryCache): MemoryCache {
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'purge') return async () => Promise.reject(new Error('purge storage unavailable'))
      const value = Reflect.get(target, key) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
