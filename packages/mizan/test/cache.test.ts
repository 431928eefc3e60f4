/**
 * The edge cache through the real build in workerd (`vite build` + `vite preview`, the local
 * secret from `.dev.vars`): MISS then HIT on data and pages with their HTTP headers, a
 * `client(false)` page (and a cache-deception path) never cached, and signed purges through the
 * `mizan purge` CLI reaching the very next request while unrelated pages stay cached.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import fs from 'node:fs'
import path from 'node:path'
import type { PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { main } from '../src/cli/index.ts'
import { blogApp } from './support/apps.ts'
import { buildFixture, createFixture, previewFixture } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'

const about = `import { client } from 'mizan'
import { useAbout } from 'virtual:mizan/hooks'
export const about = client({ ttl: '10m', tags: ['about'] }, async (_: {}, ctx) => (await ctx.origin.fetch('/api/about')).text())
export default function About() {
  return <p id="about">{useAbout({})}</p>
}
`
const account = `import { client } from 'mizan'
import { useAccount } from 'virtual:mizan/hooks'
export const account = client(false, async (_: {}, ctx) => ctx.session<{ name: string } | null>())
export default function Account() {
  const me = useAccount({})
  return <p id="account">{me ? 'private to ' + me.name : 'nobody'}</p>
}
`

/** The blog's origin, with data the tests change and a count of calls per path. */
function startOrigin() {
  const posts = new Map([
    ['hello', { title: 'Hello', body: 'First post' }],
    ['second', { title: 'Second', body: 'Another post' }],
  ])
  const calls = new Map<string, number>()
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://origin')
    calls.set(pathname, (calls.get(pathname) ?? 0) + 1)
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (pathname === '/api/about') return void res.end('about v1')
    if (pathname === '/api/posts') return json(200, [...posts].map(([slug, { title }]) => ({ slug, title })))
    const found = posts.get(pathname.slice('/api/posts/'.length))
    return found ? json(200, { slug: pathname.slice('/api/posts/'.length), ...found }) : json(404, { error: 'not found' })
  })
  return new Promise<{ url: string; posts: typeof posts; calls: typeof calls; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        posts,
        calls,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      }),
    ),
  )
}

/** A stand-in for Cloudflare's API: records every purge call. */
function startCloudflare() {
  const calls: { method: string; path: string; authorization: string | undefined; body: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      calls.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ success: true, errors: [], messages: [], result: { id: 'x' } }))
    })
  })
  return new Promise<{ url: string; calls: typeof calls; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        calls,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      }),
    ),
  )
}

let cloudflare: Awaited<ReturnType<typeof startCloudflare>>
let origin: Awaited<ReturnType<typeof startOrigin>>
let app: Fixture
let server: PreviewServer
let url: string
let secret: string
beforeAll(async () => {
  origin = await startOrigin()
  process.env['FIXTURE_ORIGIN'] = origin.url
  app = createFixture({ ...blogApp(), 'src/routes/about.tsx': about, 'src/routes/account/[file].tsx': account }, 'cache')
  const inherited = process.env['MIZAN_SECRET']
  delete process.env['MIZAN_SECRET']
  try {
    await buildFixture(app.root)
  } finally {
    if (inherited !== undefined) process.env['MIZAN_SECRET'] = inherited
  }
  secret = app.read('.mizan/dev-secret').trim()
  cloudflare = await startCloudflare()
  // What `wrangler secret put` would give a deployed Worker, pointed at the stand-in API.
  fs.appendFileSync(app.file('dist/ssr/.dev.vars'), `CF_API_TOKEN=test-token\nCF_ZONE_ID=zone123\nCF_API_BASE=${cloudflare.url}\n`)
  ;({ server, url } = await previewFixture(app.root))
})
afterAll(async () => {
  await server?.close()
  app?.remove()
  await origin?.close()
  await cloudflare?.close()
})

const data = (id: string, p = '{}', init?: RequestInit) => fetch(`${url}/_mizan/data/${encodeURIComponent(id)}?p=${encodeURIComponent(p)}`, init)
const state = (response: Response) => response.headers.get('x-mizan-cache')

async function cli(argv: string[], env: Record<string, string | undefined> = { MIZAN_SECRET: secret }): Promise<{ code: number; out: string; err: string }> {
  const saved = process.env['MIZAN_SECRET']
  if (env['MIZAN_SECRET'] === undefined) delete process.env['MIZAN_SECRET']
  else process.env['MIZAN_SECRET'] = env['MIZAN_SECRET']
  const out: string[] = []
  const err: string[] = []
  try {
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) })
    return { code, out: out.join(''), err: err.join('') }
  } finally {
    if (saved === undefined) delete process.env['MIZAN_SECRET']
    else process.env['MIZAN_SECRET'] = saved
  }
}

describe('the local secret', () => {
  test('is generated once, git-ignored, and reaches preview through .dev.vars, never wrangler.json', () => {
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect(app.read('.mizan/.gitignore')).toContain('dev-secret')
    expect(app.read('dist/ssr/.dev.vars')).toContain(`MIZAN_SECRET=${secret}\n`)
    const wrangler = app.read('dist/ssr/wrangler.json')
    expect(wrangler).not.toContain(secret)
    expect(wrangler).not.toContain('MIZAN_SECRET')
    const config = JSON.parse(wrangler) as { durable_objects: unknown; migrations: unknown }
    expect(config.durable_objects).toEqual({ bindings: [{ name: 'MIZAN_PURGE', class_name: 'MizanPurgeState' }] })
    expect(config.migrations).toEqual([{ tag: 'mizan-purge-state-v1', new_sqlite_classes: ['MizanPurgeState'] }])
  })
})

describe('the built Worker caches at the edge', () => {
  test('data: MISS then HIT, with Cache-Control, Cache-Tag, a strong ETag and 304s', async () => {
    const first = await data('posts/[slug]#post', '{"slug":"second"}')
    expect([first.status, state(first)]).toEqual([200, 'MISS'])
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=300, stale-while-revalidate=3600')
    expect(first.headers.get('cache-tag')).toBe('post:second,posts')
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[\w-]{24}"$/)
    const body = await first.text()

    const second = await data('posts/[slug]#post', '{"slug":"second"}')
    expect([state(second), second.headers.get('etag'), await second.text()]).toEqual(['HIT', etag, body])
    expect(origin.calls.get('/api/posts/second')).toBe(1)

    for (const method of ['GET', 'HEAD']) {
      const revalidated = await data('posts/[slug]#post', '{"slug":"second"}', { method, headers: { 'if-none-match': etag! } })
      expect([method, revalidated.status, revalidated.headers.get('etag'), state(revalidated)]).toEqual([method, 304, etag, 'HIT'])
    }
  })

  test('pages: MISS then HIT, carrying their functions’ tags; undeclared search params share the entry', async () => {
    const first = await fetch(`${url}/?page=2`)
    expect([first.status, state(first)]).toEqual([200, 'MISS'])
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=60')
    expect(first.headers.get('cache-tag')).toBe('posts')
    const html = await first.text()
    expect(html).toContain('Hello</a>')
    const again = await fetch(`${url}/?utm_source=mail&page=2`)
    expect([state(again), await again.text()]).toEqual(['HIT', html])
    const revalidated = await fetch(`${url}/?page=2`, { headers: { 'if-none-match': first.headers.get('etag')! } })
    expect([revalidated.status, state(revalidated)]).toEqual([304, 'HIT'])
    expect(state(await fetch(`${url}/about`))).toBe('MISS')
    expect(state(await fetch(`${url}/about`))).toBe('HIT')
  })

  test('a page with a client(false) function is BYPASS + no-store, also on a path that looks static', async () => {
    const post = await fetch(`${url}/posts/hello`, { headers: { 'x-user': 'ada' } })
    // Its viewer hole has no <Suspense> above it: an empty shell, rendered whole (docs/psr.md).
    expect([post.status, state(post), post.headers.get('cache-control'), post.headers.has('cache-tag')]).toEqual([200, 'BYPASS', 'no-store', false])
    expect(post.headers.get('x-mizan-psr')).toBe('empty-shell')
    for (const user of ['ada', 'bob']) {
      const res = await fetch(`${url}/account/x.css`, { headers: { 'x-user': user } })
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect([state(res), res.headers.get('cache-control')]).toEqual(['BYPASS', 'no-store'])
      expect(await res.text()).toContain(`private to ${user}`)
    }
    const data404 = await data('posts/[slug]#post', '{"slug":"missing"}')
    expect([data404.status, state(data404), data404.headers.get('cache-control')]).toEqual([404, 'BYPASS', 'no-store'])
  })
})

describe('mizan purge against the built Worker', () => {
  test('a tag purge: the next request is a MISS with fresh data; unrelated pages still HIT', async () => {
    expect(state(await fetch(`${url}/?page=2`))).toBe('HIT')
    origin.posts.set('hello', { title: 'Hello again', body: 'Edited' })
    const result = await cli(['purge', '--url', url, '--tag', 'posts'])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out).toMatch(/^mizan: purged 1 tag\(s\), 0 function\(s\), 0 exact entries/)
    expect(JSON.parse(result.out.split('\n')[1]!)).toMatchObject({ tags: 1, contexts: 0, entries: 0 })

    const page = await fetch(`${url}/?page=2`)
    expect(state(page)).toBe('MISS')
    expect(await page.text()).toContain('Hello again</a>')
    expect(state(await data('posts/[slug]#post', '{"slug":"second"}'))).toBe('MISS')
    expect(state(await fetch(`${url}/about`))).toBe('HIT')

    // …and its tags go to Cloudflare's purge-by-tag API, as Cloudflare documents it.
    await expect.poll(() => cloudflare.calls.length).toBe(1)
    expect(cloudflare.calls[0]).toEqual({ method: 'POST', path: '/client/v4/zones/zone123/purge_cache', authorization: 'Bearer test-token', body: '{"tags":["posts"]}' })
  })

  test('a function purge by exact params', async () => {
    await data('posts/[slug]#post', '{"slug":"hello"}')
    expect(state(await data('posts/[slug]#post', '{"slug":"hello"}'))).toBe('HIT')
    expect(state(await data('posts/[slug]#post', '{"slug":"second"}'))).toBe('HIT')
    const result = await cli(['purge', '--url', url, '--fn', 'posts/[slug]#post', '--params', '{"slug":"hello"}', '--manifest', app.file('dist/manifest.json')])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out).toContain('1 exact entry')
    expect(state(await data('posts/[slug]#post', '{"slug":"hello"}'))).toBe('MISS')
    expect(state(await data('posts/[slug]#post', '{"slug":"second"}'))).toBe('HIT')
  })

  test('401 for a wrong secret or no signature, and nothing is purged', async () => {
    expect(state(await fetch(`${url}/about`))).toBe('HIT')
    const wrong = await cli(['purge', '--url', url, '--tag', 'about'], { MIZAN_SECRET: randomBytes(32).toString('hex') })
    expect(wrong.code).toBe(1)
    expect(wrong.err).toMatch(/401|signature/i)
    const unsigned = await fetch(`${url}/_mizan/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"x","tags":["about"]}' })
    expect(unsigned.status).toBe(401)
    const forged = await fetch(`${url}/_mizan/purge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'mizan-signature': `v1 keyid=0000000000000000, ts=${Math.floor(Date.now() / 1000)}, mac=AAAA` },
      body: '{"id":"y","tags":["about"]}',
    })
    expect(forged.status).toBe(401)
    expect(state(await fetch(`${url}/about`))).toBe('HIT')
    expect(cloudflare.calls.map((c) => c.body)).not.toContain('{"tags":["about"]}')
  })

  test('usage errors exit 2 and say what is wrong', async () => {
    const cases: Array<[string[], Record<string, string | undefined>, RegExp]> = [
      [['purge', '--tag', 'posts'], { MIZAN_SECRET: secret }, /--url is required/],
      [['purge', '--url', url], { MIZAN_SECRET: secret }, /nothing to purge/],
      [['purge', '--url', url, '--tag', 'posts'], { MIZAN_SECRET: undefined }, /MIZAN_SECRET is not set/],
      [['purge', '--url', url, '--fn', 'posts/[slug]#post', '--params', '{nope', '--manifest', app.file('dist/manifest.json')], { MIZAN_SECRET: secret }, /--params is not valid JSON/],
      [['purge', '--url', url, '--fn', 'posts/[slug]#post', '--manifest', app.file('missing.json')], { MIZAN_SECRET: secret }, /cannot read the build manifest/],
      [['purge', '--url', url, '--fn', 'posts/[slug]#pots', '--manifest', app.file('dist/manifest.json')], { MIZAN_SECRET: secret }, /Did you mean "posts\/\[slug\]#post"/],
      [['purge', '--url', 'ftp://x', '--tag', 'a'], { MIZAN_SECRET: secret }, /not an http\(s\) URL/],
      [['purge', '--url', url, '--tag', 'a', '--bogus'], { MIZAN_SECRET: secret }, /bogus/],
    ]
    for (const [argv, env, message] of cases) {
      const result = await cli(argv, env)
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 })
      expect(result.err).toMatch(message)
    }
    expect(fs.existsSync(path.join(app.root, 'missing.json'))).toBe(false)
  })
})
