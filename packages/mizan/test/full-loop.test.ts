/**
 * The whole loop with real parts: a Node origin (node:sqlite + RedisCache on the real Redis +
 * core's purger) → the fixture app built with the real `vite build` → served by `vite preview`
 * (workerd, the edge cache, MIZAN_SECRET from .dev.vars) → reads, writes, purges, races, herd
 * and hostile input.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { PURGE_PATH, PURGE_SIGNATURE_HEADER, canonicalParams, createSecret, encodePurgeBody, signPurgeRequest } from '@mizan/core'
import type { CacheSecret } from '@mizan/core'
import { MAX_PARAMS_BYTES, MAX_PARAMS_DEPTH } from '../src/worker/params.ts'
import { buildFixture, createFixture, previewFixture } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'
import { loopApp } from './support/loop-app.ts'
import { startLoopOrigin } from './support/origin.ts'
import type { Barrier, LoopOrigin } from './support/origin.ts'

const SECRET = randomBytes(32).toString('hex')
const redisUrl = ((inject as (key: string) => unknown)('redisUrl') as string | undefined) ?? 'redis://127.0.0.1:6379'

let origin: LoopOrigin
let app: Fixture
let server: PreviewServer
let base: string
let secret: CacheSecret

beforeAll(async () => {
  secret = await createSecret(SECRET)
  origin = await startLoopOrigin({ redisUrl, redisPrefix: `mizan-loop-${process.pid}-${Date.now()}`, secret: SECRET })
  process.env['FIXTURE_ORIGIN'] = origin.url
  app = createFixture(loopApp(), 'loop')
  await buildFixture(app.root, { quiet: true })
  // vite preview reads the Worker's local secrets from .dev.vars beside the built wrangler.json.
  fs.writeFileSync(path.join(app.root, 'dist/ssr/.dev.vars'), `MIZAN_SECRET=${SECRET}\n`)
  const preview = await previewFixture(app.root)
  server = preview.server
  base = preview.url
  origin.connect({ edge: base, manifest: JSON.parse(fs.readFileSync(path.join(app.root, 'dist/manifest.json'), 'utf8')) })
})
afterAll(async () => {
  await server?.close()
  await origin?.close()
  app?.remove()
})

interface Answer {
  status: number
  cache: string | null
  cacheControl: string | null
  text: string
}

async function get(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(base + pathname, { headers })
  return { status: res.status, cache: res.headers.get('x-mizan-cache'), cacheControl: res.headers.get('cache-control'), text: await res.text() }
}

const dataPath = (fn: string, params: unknown): string => `/_mizan/data/${encodeURIComponent(fn)}?p=${encodeURIComponent(canonicalParams(params))}`
const data = (fn: string, params: unknown, headers?: Record<string, string>): Promise<Answer> => get(dataPath(fn, params), headers)
const title = (answer: Answer): string => (JSON.parse(answer.text) as { title: string }).title
/** Waits until the origin holds a request on `barrier`; fails instead of hanging when none comes. */
async function reached(barrier: Barrier, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the origin never received ${what}'s request`)), 10_000)))
  try {
    await Promise.race([barrier.reached, timeout])
  } finally {
    clearTimeout(timer)
  }
}
const pageTitle = (answer: Answer): string | undefined => /<h1 id="title">([^<]*)<\/h1>/.exec(answer.text)?.[1]

describe('reads', () => {
  test('data endpoint and page: MISS, then HIT with the same value', async () => {
    const first = await data('posts/[slug]#post', { slug: 'hello' })
    expect([first.status, first.cache, title(first)]).toEqual([200, 'MISS', 'Hello v1'])
    const second = await data('posts/[slug]#post', { slug: 'hello' })
    expect([second.status, second.cache, title(second)]).toEqual([200, 'HIT', 'Hello v1'])
    expect(second.cacheControl).toMatch(/s-maxage=3600/)

    const page = await get('/posts/hello')
    expect([page.status, page.cache, pageTitle(page)]).toEqual([200, 'MISS', 'Hello v1'])
    const again = await get('/posts/hello')
    expect([again.status, again.cache, pageTitle(again)]).toEqual([200, 'HIT', 'Hello v1'])
    expect(again.text).toBe(page.text)
    // The page's render reused the cached data entry: one origin read in all.
    expect(origin.count('/api/posts/hello')).toBe(1)
  })
})

describe('writes', () => {
  test('after a write the very next data and page requests return the new data; an unrelated page still HITs', async () => {
    for (const p of ['/other', '/other', '/', '/posts/hello']) await get(p)
    // Soft: if caching itself is broken, the write below must still be exercised and reported.
    expect.soft((await get('/other')).cache).toBe('HIT')
    expect.soft((await get('/')).cache).toBe('HIT')

    const result = await origin.write('hello', { title: 'Hello v2' })
    expect(result.edges).toEqual([{ url: expect.stringContaining('127.0.0.1'), attempts: 1 }])

    const fresh = await data('posts/[slug]#post', { slug: 'hello' })
    expect([fresh.cache, title(fresh)]).toEqual(['MISS', 'Hello v2'])
    const page = await get('/posts/hello')
    expect([page.cache, pageTitle(page)]).toEqual(['MISS', 'Hello v2'])
    const list = await get('/')
    expect(list.cache).toBe('MISS')
    expect(list.text).toContain('Hello v2')
    expect(list.text).not.toContain('Hello v1')

    const other = await get('/other')
    expect(other.cache).toBe('HIT')
  })

  test('a purge landing while a miss waits for the origin: afterwards no read returns the old value', async () => {
    const barrier = origin.hold('/api/posts/second')
    const pendingData = data('posts/[slug]#post', { slug: 'second' })
    const pendingPage = get('/posts/second')
    await reached(barrier, 'the miss')
    await origin.write('second', { title: 'Second v2' })
    barrier.release()
    // The in-flight answers began before the write; they may carry either value.
    expect((await pendingData).status).toBe(200)
    expect((await pendingPage).status).toBe(200)

    for (let i = 0; i < 3; i++) {
      expect(title(await data('posts/[slug]#post', { slug: 'second' }))).toBe('Second v2')
      expect(pageTitle(await get('/posts/second'))).toBe('Second v2')
    }
    expect((await get('/')).text).toContain('Second v2')
  })

  test('a purge landing while an SWR refresh waits for the origin: afterwards no read returns the old value', async () => {
    const primed = await data('fresh/[slug]#fresh', { slug: 'third' })
    expect(title(primed)).toBe('Third v1')
    await get('/fresh/third')
    await new Promise((resolve) => setTimeout(resolve, 1_200))

    const barrier = origin.hold('/api/posts/third')
    const pendingStale = data('fresh/[slug]#fresh', { slug: 'third' })
    await reached(barrier, 'the SWR refresh')
    await origin.write('third', { title: 'Third v2' })
    barrier.release()
    const stale = await pendingStale
    expect([stale.cache, title(stale)]).toEqual(['STALE', 'Third v1'])

    const deadline = Date.now() + 1_500
    while (Date.now() < deadline) {
      expect(title(await data('fresh/[slug]#fresh', { slug: 'third' }))).toBe('Third v2')
      expect(pageTitle(await get('/fresh/third'))).toBe('Third v2')
      expect(title(await data('posts/[slug]#post', { slug: 'third' }))).toBe('Third v2')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
})

describe('herd', () => {
  test('500 concurrent cold requests to one page call the origin once', async () => {
    const barrier = origin.hold('/api/herd')
    const answers = Promise.all(Array.from({ length: 500 }, () => get('/herd')))
    await reached(barrier, 'the cold page')
    // Let every request reach the Worker while the one origin call is held.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    barrier.release()
    const all = await answers
    expect(all.filter((a) => a.status === 200 && a.text.includes('<p id="herd">herd</p>'))).toHaveLength(500)
    expect(origin.count('/api/herd')).toBe(1)
  })
})

describe('bad input', () => {
  const purge = (body: Uint8Array, signature: string | undefined): Promise<Response> =>
    fetch(base + PURGE_PATH, {
      method: 'POST',
      body: body as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { [PURGE_SIGNATURE_HEADER]: signature }) },
    })
  const sign = (keys: CacheSecret, body: Uint8Array, now?: number): Promise<string> => signPurgeRequest(keys, { method: 'POST', path: PURGE_PATH, body, ...(now === undefined ? {} : { now }) })
  const body = (tags: string[]): Uint8Array => encodePurgeBody({ id: randomBytes(12).toString('base64url'), tags })

  test('purge signature problems answer 401 and purge nothing', async () => {
    await get('/other')
    expect.soft((await get('/other')).cache).toBe('HIT')
    const other = body(['other'])
    const otherKey = await createSecret(randomBytes(32).toString('hex'))
    const tampered = body(['other'])
    const cases: [string, Uint8Array, string | undefined][] = [
      ['missing', other, undefined],
      ['malformed', other, 'v1;this is not a signature'],
      ['tampered', tampered, await sign(secret, body(['posts']))],
      ['expired', other, await sign(secret, other, Date.now() - 3_600_000)],
      ['wrong key', other, await sign(otherKey, other)],
    ]
    for (const [name, bytes, signature] of cases) {
      const res = await purge(bytes, signature)
      expect({ name, status: res.status }).toEqual({ name, status: 401 })
    }
    const replayed = body(['nothing-tagged-this'])
    const signature = await sign(secret, replayed)
    expect((await purge(replayed, signature)).status).toBe(200)
    expect((await purge(replayed, signature)).status).toBe(401)
    expect((await get('/other')).cache).toBe('HIT')
  })

  test('the data endpoint refuses oversize, deep, non-canonical and prototype params, and prototype fn ids', async () => {
    const raw = (fn: string, p: string): Promise<Answer> => get(`/_mizan/data/${encodeURIComponent(fn)}?p=${encodeURIComponent(p)}`)
    const deep = '{"a":'.repeat(MAX_PARAMS_DEPTH + 1) + '1' + '}'.repeat(MAX_PARAMS_DEPTH + 1)
    const bad: [string, string][] = [
      ['oversize', JSON.stringify({ slug: 'x'.repeat(MAX_PARAMS_BYTES) })],
      ['deep', deep],
      ['non-canonical order', '{"slug":"hello","a":1}'],
      ['non-canonical spacing', '{ "slug": "hello" }'],
      ['__proto__ key', '{"__proto__":{"slug":"hello"}}'],
      ['constructor key', '{"constructor":{"prototype":{}}}'],
      ['not json', '{slug:hello}'],
    ]
    for (const [name, p] of bad) {
      const answer = await raw('posts/[slug]#post', p)
      // A p over 16 KiB makes a URL over Node's 16 KiB header limit: vite preview's HTTP server
      // refuses it (431) before the Worker sees it; a deployed Worker answers 400 itself.
      const refusals = name === 'oversize' ? [400, 431] : [400]
      expect({ name, refused: refusals.includes(answer.status), status: answer.status, cached: answer.cache === 'HIT' }).toEqual({ name, refused: true, status: expect.any(Number), cached: false })
      if (answer.status === 400) expect(answer.cacheControl).toMatch(/no-store/)
    }
    for (const fn of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'posts/[slug]#__proto__']) {
      const answer = await raw(fn, '{}')
      expect({ fn, status: answer.status }).toEqual({ fn, status: 404 })
      expect(JSON.parse(answer.text)).toHaveProperty('error')
    }
  })

  test('x-mizan-* request headers from the client never reach data functions or change the cache state', async () => {
    const headers = { 'x-mizan-cache': 'HIT', 'x-mizan-internal': '1', 'x-mizan-bypass': '0' }
    const echoed = await data('echo#echo', {}, headers)
    expect([echoed.status, echoed.cache, JSON.parse(echoed.text)]).toEqual([200, 'BYPASS', []])
    const page = await get('/echo', headers)
    expect(page.text).toContain('<p id="echo">[]</p>')
    const cold = await data('posts/[slug]#post', { slug: 'never-written' }, headers)
    expect(cold.status).toBe(404)
    expect(cold.cache).not.toBe('HIT')
  })

  test('cache-deception paths such as /account/x.css never serve a cached private response', async () => {
    const alice = await get('/account/x.css', { 'x-user': 'alice' })
    expect(alice.status).toBe(200)
    expect(alice.text).toContain('account of alice')
    expect(alice.cache).toBe('BYPASS')
    expect(alice.cacheControl ?? '').not.toMatch(/public|s-maxage/)
    for (const [path, headers] of [['/account/x.css', {}], ['/account/x.css', { 'x-user': 'bob' }], ['/account/x.css?v=1', {}], ['/account/profile', {}]] as const) {
      const answer = await get(path, headers)
      expect({ path, leaked: answer.text.includes('alice'), cache: answer.cache }).toEqual({ path, leaked: false, cache: 'BYPASS' })
    }
    const data1 = await data('account/[...rest]#me', {}, { 'x-user': 'alice' })
    const data2 = await data('account/[...rest]#me', {})
    expect([data1.cache, data2.cache]).toEqual(['BYPASS', 'BYPASS'])
    expect(data2.text).not.toContain('alice')
  })
})
