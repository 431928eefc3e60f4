import { createPurger, createSecret, encodePurgeBody, hexEncode, MemoryCache, MemoryReplayStore, MizanError, signPurgeRequest } from '@mizan/core'
import type { PurgeInput } from '@mizan/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { cacheHandler, cacheManifest, calls, db } from './cache-app.tsx'
import type { MizanHandler } from './handler.ts'
import { finalize } from './http.ts'

const BASE = 'https://app.example'
const SECRET = hexEncode(crypto.getRandomValues(new Uint8Array(32)))
const env = { MIZAN_SECRET: SECRET }

let backend: MemoryCache
let handler: MizanHandler
let cdnPurges: string[][]
let errors: unknown[]
beforeEach(() => {
  db.reset()
  backend = new MemoryCache()
  cdnPurges = []
  errors = []
  handler = cacheHandler({
    backend,
    replay: new MemoryReplayStore(),
    cdn: { purgeTags: async (tags) => void cdnPurges.push([...tags]) },
    onError: (error) => void errors.push(error),
  })
})

const get = (path: string, init?: RequestInit) => handler.fetch(new Request(BASE + path, init), env)
const dataUrl = (id: string, p = '{}') => `/_mizan/data/${encodeURIComponent(id)}?p=${encodeURIComponent(p)}`
const state = (response: Response) => response.headers.get('x-mizan-cache')
const entries = () => backend.stats().entries

/** A purge through the real purger (signing, wire format), delivered to this Worker. */
async function purge(input: PurgeInput): Promise<void> {
  const purger = createPurger({
    secret: await createSecret(SECRET),
    edges: [BASE],
    manifest: cacheManifest,
    fetch: async (url, init) => handler.fetch(new Request(url, init), env),
  })
  try {
    await purger.purge(input)
  } finally {
    await purger.close()
  }
}

/** A purge request signed with `secret`, as raw as the wire. */
async function signedPurge(body: object, secret = SECRET, tamper?: (headers: Headers) => void): Promise<Response> {
  const bytes = encodePurgeBody({ id: crypto.randomUUID(), ...body })
  const headers = new Headers({ 'content-type': 'application/json' })
  headers.set('mizan-signature', await signPurgeRequest(await createSecret(secret), { method: 'POST', path: '/_mizan/purge', body: bytes }))
  tamper?.(headers)
  return handler.fetch(new Request(`${BASE}/_mizan/purge`, { method: 'POST', headers, body: bytes as Uint8Array<ArrayBuffer> }), env)
}

describe('the data endpoint through the cache', () => {
  it('misses, then hits without running the function, with the policy headers', async () => {
    const first = await get(dataUrl('posts/[slug]#post', '{"slug":"hello"}'))
    expect(first.status).toBe(200)
    expect(state(first)).toBe('MISS')
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=300, stale-while-revalidate=3600')
    // Filled from params, plus ctx.addTags, normalised (lowercased, sorted).
    expect(first.headers.get('cache-tag')).toBe('author:ada,post:hello,posts')
    expect(first.headers.get('etag')).toMatch(/^"[\w-]{24}"$/)
    const body = await first.text()

    db.posts.set('hello', { title: 'Changed', author: 'ada' })
    const second = await get(dataUrl('posts/[slug]#post', '{"slug":"hello"}'))
    expect(state(second)).toBe('HIT')
    expect(await second.text()).toBe(body)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(second.headers.get('cache-tag')).toBe('author:ada,post:hello,posts')
    expect(calls('posts/[slug]#post')).toBe(1)
  })

  it('answers 304 to a matching If-None-Match, for GET and HEAD, and 200 to another', async () => {
    const first = await get(dataUrl('index#list'))
    const etag = first.headers.get('etag')!
    for (const method of ['GET', 'HEAD']) {
      const revalidated = await get(dataUrl('index#list'), { method, headers: { 'if-none-match': `"other", W/${etag}` } })
      expect(revalidated.status).toBe(304)
      expect(revalidated.headers.get('etag')).toBe(etag)
      expect(revalidated.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=60')
      expect(state(revalidated)).toBe('HIT')
      expect(await revalidated.text()).toBe('')
    }
    const changed = await get(dataUrl('index#list'), { headers: { 'if-none-match': '"something-else"' } })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toEqual(['hello', 'second'])
    const head = await get(dataUrl('index#list'), { method: 'HEAD' })
    expect([head.status, state(head), await head.text()]).toEqual([200, 'HIT', ''])
  })

  it('never stores a client(false) result: BYPASS, no-store, no Cache-Tag, zero writes', async () => {
    for (const user of ['ada', 'bob']) {
      const response = await get(dataUrl('account/[file]#me'), { headers: { cookie: `user=${user}` } })
      expect(await response.json()).toBe(user)
      expect(state(response)).toBe('BYPASS')
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.has('cache-tag')).toBe(false)
    }
    const head = await get(dataUrl('account/[file]#me'), { method: 'HEAD' })
    expect([state(head), head.headers.get('cache-control')]).toEqual(['BYPASS', 'no-store'])
    expect(entries()).toBe(0)
  })

  it("never shares a scope: 'user' result", async () => {
    for (const user of ['ada', 'bob']) {
      const response = await get(dataUrl('account/[file]#prefs'), { headers: { cookie: `user=${user}` } })
      expect(await response.json()).toEqual({ theme: `${user}-dark` })
      expect([state(response), response.headers.get('cache-control'), response.headers.has('cache-tag')]).toEqual(['BYPASS', 'no-store', false])
    }
    expect(entries()).toBe(0)
  })

  it('runs a cold function once for concurrent requests', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => get(dataUrl('about#info'))))
    expect(new Set(responses.map(state))).toEqual(new Set(['MISS']))
    expect(calls('about#info')).toBe(1)
  })

  it('never caches errors: 404 and 500 are BYPASS + no-store and the next call runs again', async () => {
    const gone = await get(dataUrl('posts/[slug]#post', '{"slug":"missing"}'))
    expect([gone.status, state(gone), gone.headers.get('cache-control')]).toEqual([404, 'BYPASS', 'no-store'])
    db.fail = true
    const failed = await get(dataUrl('flaky#value'))
    expect([failed.status, state(failed), failed.headers.get('cache-control')]).toEqual([500, 'BYPASS', 'no-store'])
    expect(failed.headers.has('etag')).toBe(false)
    expect(entries()).toBe(0)
    db.fail = false
    const ok = await get(dataUrl('flaky#value'))
    expect([ok.status, state(ok)]).toEqual([200, 'MISS'])
    expect(calls('flaky#value')).toBe(2)
  })

  it('does not store an entry whose tags break the limits, and says no-store', async () => {
    const response = await get(dataUrl('many#tags'))
    expect(response.status).toBe(200)
    expect([state(response), response.headers.get('cache-control')]).toEqual(['BYPASS', 'no-store'])
    expect(response.headers.has('cache-tag')).toBe(false)
    expect(entries()).toBe(0)
  })

  it('ignores x-mizan-* headers from outside', async () => {
    const response = await get(dataUrl('index#list'), { headers: { 'x-mizan-cache': 'HIT' } })
    expect(state(response)).toBe('MISS')
  })

  it('serves stale while one background refresh runs', async () => {
    expect(state(await get(dataUrl('stale#value')))).toBe('MISS')
    db.about = 'v2'
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const stale = await get(dataUrl('stale#value'))
    expect([state(stale), await stale.json()]).toEqual(['STALE', 'v1'])
    await expect.poll(() => calls('stale#value')).toBe(2)
    await expect.poll(async () => (await get(dataUrl('stale#value'))).json()).toBe('v2')
  })
})

describe('pages through the cache', () => {
  it('miss, then hit with the same bytes, the union of their functions’ tags and the policy', async () => {
    const first = await get('/posts/hello')
    expect([first.status, state(first)]).toEqual([200, 'MISS'])
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=300, stale-while-revalidate=3600')
    expect(first.headers.get('cache-tag')).toBe('author:ada,post:hello,posts')
    const html = await first.text()
    expect(html).toContain('<h1>Hello</h1>')

    const second = await get('/posts/hello')
    expect(state(second)).toBe('HIT')
    expect(await second.text()).toBe(html)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(second.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const revalidated = await get('/posts/hello', { headers: { 'if-none-match': first.headers.get('etag')! } })
    expect([revalidated.status, state(revalidated)]).toEqual([304, 'HIT'])
    expect(calls('posts/[slug]#post')).toBe(1)
  })

  it('key on declared search params only', async () => {
    expect(state(await get('/?page=2'))).toBe('MISS')
    expect(state(await get('/?utm_source=mail&page=2'))).toBe('HIT')
    expect(state(await get('/?page=3'))).toBe('MISS')
  })

  it('render once for concurrent cold requests', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => get('/posts/second')))
    const bodies = new Set(await Promise.all(responses.map((r) => r.text())))
    expect(bodies.size).toBe(1)
    expect(calls('posts/[slug]#post')).toBe(1)
  })

  it('a page with a client(false) function is BYPASS + no-store, stored under no key — /account/x.css too', async () => {
    for (const user of ['ada', 'bob', 'ada']) {
      const response = await get('/account/x.css', { headers: { cookie: `user=${user}` } })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await response.text()).toContain(`private to ${user}`)
      expect([state(response), response.headers.get('cache-control')]).toEqual(['BYPASS', 'no-store'])
      expect(response.headers.has('cache-tag')).toBe(false)
    }
    expect(calls('account/[file]#me')).toBe(3)
    expect(entries()).toBe(0)
  })

  it('a page that ran a shorter-lived function than its route declares is served but not stored', async () => {
    const first = await get('/mixed')
    expect(await first.text()).toContain('news: hello,second')
    expect([state(first), first.headers.get('cache-control')]).toEqual(['BYPASS', 'public, max-age=0, s-maxage=60'])
    // The functions' own entries are cached; the page's is not.
    expect(state(await get('/mixed'))).toBe('BYPASS')
    expect(calls('mixed#headline')).toBe(1)
  })

  it('404s and 500s are never stored', async () => {
    for (const path of ['/posts/missing', '/nowhere']) {
      const response = await get(path)
      expect([response.status, state(response), response.headers.get('cache-control')]).toEqual([404, 'BYPASS', 'no-store'])
    }
    db.fail = true
    const failed = await get('/flaky')
    expect([failed.status, state(failed), failed.headers.get('cache-control')]).toEqual([500, 'BYPASS', 'no-store'])
    db.fail = false
    const ok = await get('/flaky')
    expect([ok.status, state(ok)]).toEqual([200, 'MISS'])
    expect(state(await get('/flaky'))).toBe('HIT')
  })

  it('are always rendered with MIZAN_PAGE_CACHE=off (vite dev), their data still cached', async () => {
    const dev = { ...env, MIZAN_PAGE_CACHE: 'off' }
    for (let i = 0; i < 2; i++) {
      const page = await handler.fetch(new Request(`${BASE}/about`), dev)
      expect([page.status, state(page), page.headers.get('cache-control')]).toEqual([200, 'BYPASS', 'public, max-age=0, s-maxage=60'])
      // The first render stored the function's entry.
      expect(state(await handler.fetch(new Request(BASE + dataUrl('about#info')), dev))).toBe('HIT')
    }
    expect(calls('about#info')).toBe(1)
  })

  it('a page made of a stale value is served but not stored', async () => {
    expect(state(await get(dataUrl('stale#value')))).toBe('MISS')
    db.about = 'v2'
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const page = await get('/stale')
    expect([state(page), await page.text()]).toEqual(['BYPASS', expect.stringContaining('<p>v1</p>')])
    await expect.poll(() => calls('stale#value')).toBe(2)
    const fresh = await get('/stale')
    expect([state(fresh), await fresh.text()]).toEqual(['MISS', expect.stringContaining('<p>v2</p>')])
    expect(state(await get('/stale'))).toBe('HIT')
  })

  it('non-GET requests say BYPASS and no-store', async () => {
    const response = await get('/', { method: 'POST', body: 'x' })
    expect([response.status, state(response), response.headers.get('cache-control')]).toEqual([405, 'BYPASS', 'no-store'])
  })
})

describe('POST /_mizan/purge', () => {
  it('a tag purge reaches data and page entries: the next request is a MISS with fresh data; unrelated pages still HIT', async () => {
    await get('/posts/hello')
    await get(dataUrl('posts/[slug]#post', '{"slug":"hello"}'))
    await get('/about')
    db.posts.set('hello', { title: 'Fresh', author: 'ada' })

    const response = await signedPurge({ tags: ['post:hello'] })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ tags: 1, contexts: 0, entries: 0 })
    expect(cdnPurges).toEqual([['post:hello']])

    const page = await get('/posts/hello')
    expect(state(page)).toBe('MISS')
    expect(await page.text()).toContain('<h1>Fresh</h1>')
    const data = await get(dataUrl('posts/[slug]#post', '{"slug":"hello"}'))
    expect([state(data), ((await data.json()) as { title: string }).title]).toEqual(['HIT', 'Fresh'])
    expect(state(await get('/about'))).toBe('HIT')
  })

  it('purges a function by id and exact params through the real purger', async () => {
    await get(dataUrl('posts/[slug]#post', '{"slug":"hello"}'))
    await get(dataUrl('posts/[slug]#post', '{"slug":"second"}'))
    await purge({ fns: [{ fn: 'posts/[slug]#post', params: { slug: 'hello' } }] })
    expect(state(await get(dataUrl('posts/[slug]#post', '{"slug":"hello"}')))).toBe('MISS')
    expect(state(await get(dataUrl('posts/[slug]#post', '{"slug":"second"}')))).toBe('HIT')
    await purge({ fns: [{ fn: 'posts/[slug]#post' }] })
    expect(state(await get(dataUrl('posts/[slug]#post', '{"slug":"second"}')))).toBe('MISS')
  })

  it('answers 401 to every signature problem and purges nothing', async () => {
    await get('/about')
    const other = hexEncode(crypto.getRandomValues(new Uint8Array(32)))
    const cases: Array<() => Promise<Response>> = [
      () => signedPurge({ tags: ['about'] }, other),
      () => signedPurge({ tags: ['about'] }, SECRET, (h) => h.delete('mizan-signature')),
      () => signedPurge({ tags: ['about'] }, SECRET, (h) => h.set('mizan-signature', h.get('mizan-signature')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))),
    ]
    for (const attempt of cases) expect((await attempt()).status).toBe(401)
    expect(state(await get('/about'))).toBe('HIT')
    expect(cdnPurges).toEqual([])
  })

  it('answers 503 + Retry-After when the backend fails, and 503 when the secret is missing', async () => {
    const broken = cacheHandler({ backend: failingPurges(backend), replay: new MemoryReplayStore(), cdn: null })
    handler = broken
    const response = await signedPurge({ tags: ['about'] })
    expect([response.status, response.headers.get('retry-after')]).toEqual([503, '1'])

    const noSecret = await handler.fetch(new Request(`${BASE}/_mizan/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), {})
    expect(noSecret.status).toBe(503)
    expect(await noSecret.json()).toMatchObject({ error: 'MIZAN_SECRET missing' })
  })
})

describe('without a usable MIZAN_SECRET', () => {
  it('renders, says BYPASS everywhere, stores nothing, and logs the fix once', async () => {
    for (const secretEnv of [{}, { MIZAN_SECRET: 'too short' }]) {
      errors.length = 0
      for (let i = 0; i < 2; i++) {
        const page = await handler.fetch(new Request(`${BASE}/posts/hello`), secretEnv)
        expect([page.status, state(page)]).toEqual([200, 'BYPASS'])
        const data = await handler.fetch(new Request(BASE + dataUrl('index#list')), secretEnv)
        expect([data.status, state(data)]).toEqual([200, 'BYPASS'])
      }
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(MizanError)
      expect(String((errors[0] as Error).message)).toContain('wrangler secret put MIZAN_SECRET')
    }
    expect(entries()).toBe(0)
  })
})

describe('without a usable MIZAN_SECRET, shared caches keep nothing', () => {
  it('sends no-store and no Cache-Tag on cacheable pages, their HEAD, 404s and data', async () => {
    const cacheControl = (response: Response) => [state(response), response.headers.get('cache-control'), response.headers.has('cache-tag')]
    for (const secretEnv of [{}, { MIZAN_SECRET: 'too short' }]) {
      const responses = [
        await handler.fetch(new Request(`${BASE}/about`), secretEnv),
        await handler.fetch(new Request(`${BASE}/about`, { method: 'HEAD' }), secretEnv),
        await handler.fetch(new Request(`${BASE}/no-such-page`), secretEnv),
        await handler.fetch(new Request(BASE + dataUrl('index#list')), secretEnv),
        await handler.fetch(new Request(BASE + dataUrl('about#info'), { method: 'HEAD' }), secretEnv),
      ]
      expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 200, 200])
      for (const response of responses) expect(cacheControl(response)).toEqual(['BYPASS', 'no-store', false])
    }
    // The same requests with the secret: the policy's lifetimes and tags (so the above is the secret's doing).
    const about = await get('/about')
    expect([about.headers.get('cache-control'), about.headers.get('cache-tag')]).toEqual(['public, max-age=0, s-maxage=60', 'about'])
    const list = await get(dataUrl('index#list'))
    expect(list.headers.get('cache-control')).toMatch(/^public, max-age=0, s-maxage=\d+/)
  })
})

describe('without the MIZAN_PURGE Durable Object binding (the default edge backend)', () => {
  it('renders, says BYPASS, and logs how to declare the binding once', async () => {
    const edgeless = cacheHandler({ onError: (error) => void errors.push(error) })
    for (let i = 0; i < 2; i++) {
      const page = await edgeless.fetch(new Request(`${BASE}/about`), env)
      expect([page.status, state(page)]).toEqual([200, 'BYPASS'])
    }
    const purge = await edgeless.fetch(new Request(`${BASE}/_mizan/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), env)
    expect([purge.status, purge.headers.get('retry-after')]).toEqual([503, '1'])
    expect(errors.map(String).filter((e) => e.includes('MIZAN_PURGE'))).toHaveLength(2)
    expect(String(errors[0])).toContain('"durable_objects"')
  })
})

describe('finalize', () => {
  it('never lets a response with Set-Cookie be shared, and keeps Cache-Tag off uncacheable responses', () => {
    const response = finalize(new Response('x', { headers: { 'set-cookie': 'a=1', 'cache-control': 'public, s-maxage=60', 'cache-tag': 'x', 'x-mizan-cache': 'HIT' } }))
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(response.headers.has('cache-tag')).toBe(false)
    expect(state(response)).toBe('BYPASS')
    expect(state(finalize(new Response('x')))).toBe('BYPASS')
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
