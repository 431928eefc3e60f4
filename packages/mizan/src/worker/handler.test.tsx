import { createServer, type Server } from 'node:http'
import { hexEncode, MemoryCache, MemoryReplayStore, MizanError } from '@mizan/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PagePayload } from '../react/page.ts'
import { appHandler, appOptions, backend, manifest } from './test-app.tsx'

const handler = appHandler()
const errors: unknown[] = []
// Without MIZAN_SECRET the first request also reports that caching is off (cache.test.tsx checks it).
const logging = appHandler({ onError: (error) => void (error instanceof MizanError && error.code === 'MIZAN_SECRET' ? undefined : errors.push(error)) })
const BASE = 'https://app.example'

const get = (path: string, init?: RequestInit & { env?: unknown }) => handler.fetch(new Request(BASE + path, init), init?.env ?? {})
// Shared caches may keep a response only while caching is on (a secret and a backend): else it
// could never be purged, and everything is no-store (cache.test.ts checks that).
const caching = appHandler({ backend: new MemoryCache(), replay: new MemoryReplayStore() })
const cachingEnv = { MIZAN_SECRET: hexEncode(crypto.getRandomValues(new Uint8Array(32))) }
const getCaching = (path: string, init?: RequestInit) => caching.fetch(new Request(BASE + path, init), cachingEnv)
const dataUrl = (id: string, p: string) => `/_mizan/data/${encodeURIComponent(id)}?p=${encodeURIComponent(p)}`

function payloadOf(html: string): PagePayload {
  const match = /<script id="__mizan_data" type="application\/json">(.*?)<\/script>/s.exec(html)
  if (match === null) throw new Error('no payload script in:\n' + html)
  return JSON.parse(match[1]!) as PagePayload
}

describe('pages', () => {
  it('render the document with the page, its data payload, the bootstrap module and the CSS', async () => {
    const response = await get('/posts/hello')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    expect(html.startsWith('<!DOCTYPE html><html lang="en"><head>')).toBe(true)
    expect(html).toContain('<h1>Hello</h1><p>First post</p><p id="at">/posts/hello</p>')
    expect(html).toContain('<p id="viewer">anonymous</p>')
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app-5678.css"><\/head>/)
    expect(html).toContain('<script type="module" src="/assets/client-1234.js"')
    expect(html.endsWith('</script></body></html>')).toBe(true)
    expect(payloadOf(html)).toEqual({
      route: 'posts/[slug]',
      params: { slug: 'hello' },
      search: {},
      data: [
        ['posts/[slug]#post', '{"slug":"hello"}', { slug: 'hello', title: 'Hello', body: 'First post' }],
        ['posts/[slug]#viewer', '{}', null],
      ],
    })
  })

  it('embed data so that no value can break out of the script', async () => {
    const html = await (await get('/posts/evil')).text()
    const evil = backend.posts.get('evil')!
    // React escapes the page text; the payload escapes <, >, & and the line separators.
    expect(html).not.toContain('<script>alert(1)')
    const open = '<script id="__mizan_data" type="application/json">'
    const start = html.indexOf(open) + open.length
    const end = html.indexOf('</script>', start)
    expect(html.slice(end)).toBe('</script></body></html>')
    const json = html.slice(start, end)
    expect(json).not.toMatch(/[<>&\u2028\u2029]/)
    expect(json).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)')
    expect(json).toContain('line\\u2028separator\\u2029and \\u003c!-- comment \\u0026 ampersand')
    expect(payloadOf(html).data[0]).toEqual(['posts/[slug]#post', '{"slug":"evil"}', { slug: 'evil', ...evil }])
  })

  it('escape params and search params from the URL in the payload too', async () => {
    const attack = '</script><script>alert(1)</script>\u2028'
    const html = await (await get(`/docs/${encodeURIComponent(attack)}?page=${encodeURIComponent(attack)}`)).text()
    expect(html).not.toContain('<script>alert(1)')
    expect(payloadOf(html).params).toEqual({ rest: [attack] })
    const home = await (await get(`/?page=${encodeURIComponent(attack)}`)).text()
    expect(home).not.toContain('<script>alert(1)')
    expect(payloadOf(home).search).toEqual({ page: attack })
  })

  it('pass only declared search params to the page and the payload', async () => {
    const html = await (await get('/?page=2&utm_source=mail&page=3')).text()
    expect(html).toContain('<p id="search">{&quot;page&quot;:&quot;2&quot;}</p>')
    expect(payloadOf(html).search).toEqual({ page: '2' })
    const docs = await (await get('/docs/a/b%20c?page=2')).text()
    expect(docs).toContain('<h1>docs: a / b c</h1>')
    expect(payloadOf(docs)).toMatchObject({ route: 'docs/[...rest]', params: { rest: ['a', 'b c'] }, search: {} })
  })

  it('answer 404 with the 404 page for unknown paths and when a data function calls notFound()', async () => {
    for (const path of ['/nope', '/posts/missing', '/posts/hello/extra']) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('cache-control')).toBe('no-store')
      const html = await response.text()
      expect(html).toContain('<div id="root"><h1>Nothing here</h1>')
      expect(payloadOf(html)).toEqual({ route: null, params: {}, search: {}, data: [] })
    }
    const plain = await appHandler({ notFound: undefined }).fetch(new Request(BASE + '/nope'))
    expect(plain.status).toBe(404)
    expect(await plain.text()).toContain('<h1>404 Not Found</h1>')
  })

  it('derive Cache-Control from the functions that ran', async () => {
    expect((await getCaching('/')).headers.get('cache-control')).toBe('public, max-age=0, s-maxage=60')
    expect((await getCaching('/docs/x')).headers.get('cache-control')).toBe('public, max-age=0')
    // posts/[slug] also runs `viewer` (client(false)) under <Suspense>: a cached shell with a
    // per-request hole (docs/psr.md), never shareable as a whole.
    expect((await getCaching('/posts/hello')).headers.get('cache-control')).toBe('private, no-store')
    expect((await getCaching('/echo/x')).headers.get('cache-control')).toBe('no-store')
  })

  it('answer HEAD like GET without a body', async () => {
    const head = await getCaching('/', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=60')
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await head.text()).toBe('')
    expect((await get('/nope', { method: 'HEAD' })).status).toBe(404)
  })

  it('refuse other methods', async () => {
    const response = await get('/', { method: 'POST', body: 'x' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, HEAD')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('answer 500 without details in production and with them in development', async () => {
    errors.length = 0
    const production = await logging.fetch(new Request(BASE + '/boom'), {})
    expect(production.status).toBe(500)
    expect(production.headers.get('cache-control')).toBe('no-store')
    const text = await production.text()
    expect(text).toContain('<h1>500 Internal Server Error</h1>')
    expect(text).not.toContain('component exploded')
    expect(text).not.toContain('at ')
    expect(errors).toHaveLength(1)
    expect(String(errors[0])).toContain('component exploded')

    const failing = await logging.fetch(new Request(BASE + '/echo/throw'), {})
    expect(failing.status).toBe(500)
    expect(await failing.text()).not.toContain('secret database password')

    const dev = await logging.fetch(new Request(BASE + '/boom'), { MIZAN_DEV: 'true' })
    expect(dev.status).toBe(500)
    expect(await dev.text()).toMatch(/component exploded[\s\S]*at /)
  })

  it('give data functions the session (once a request) and strip x-mizan-* headers', async () => {
    backend.sessionCalls = 0
    const html = await (await get('/posts/hello', { headers: { cookie: 'user=ada' } })).text()
    expect(html).toContain('signed in as ada')
    expect(backend.sessionCalls).toBe(1)

    const echo = await get(dataUrl('echo/[name]#echo', '{"name":"headers"}'), { headers: { 'x-mizan-cache': 'HIT', 'X-Mizan-Purge-Key': 'forged', 'x-other': 'kept' } })
    const seen = (await echo.json()) as Record<string, string>
    expect(seen['x-other']).toBe('kept')
    expect(Object.keys(seen).filter((name) => name.startsWith('x-mizan'))).toEqual([])

    backend.sessionCalls = 0
    expect(await (await get(dataUrl('echo/[name]#echo', '{"name":"session"}'), { headers: { cookie: 'user=bob' } })).json()).toEqual([{ name: 'bob' }, { name: 'bob' }])
    expect(backend.sessionCalls).toBe(1)
  })

  it('explain a missing session function', async () => {
    const noSession = appHandler({ session: undefined, dev: true })
    const response = await noSession.fetch(new Request(BASE + dataUrl('echo/[name]#echo', '{"name":"session"}')))
    expect(response.status).toBe(500)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('src/session.server.ts')
  })
})

describe('ctx.origin.fetch', () => {
  let origin: Server
  let base: string
  beforeAll(async () => {
    origin = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url })))
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(origin.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((resolve) => origin.close(() => resolve())))

  it('resolves paths against MIZAN_ORIGIN', async () => {
    const response = await get(dataUrl('echo/[name]#echo', '{"name":"origin"}'), { env: { MIZAN_ORIGIN: base } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ path: '/api/hello?x=1' })
  })

  it('names the wrangler vars fix when MIZAN_ORIGIN is missing', async () => {
    const response = await get(dataUrl('echo/[name]#echo', '{"name":"origin"}'), { env: { MIZAN_DEV: '1' } })
    expect(response.status).toBe(500)
    const { error } = (await response.json()) as { error: { message: string } }
    expect(error.message).toContain('MIZAN_ORIGIN')
    expect(error.message).toContain('"vars"')
  })
})

describe('the data endpoint', () => {
  it('answers 200 with the JSON result and the policy Cache-Control', async () => {
    const response = await getCaching(dataUrl('posts/[slug]#post', '{"slug":"hello"}'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=300, stale-while-revalidate=3600')
    expect(await response.json()).toEqual({ slug: 'hello', title: 'Hello', body: 'First post' })
    expect((await getCaching(dataUrl('posts/[slug]#viewer', '{}'))).headers.get('cache-control')).toBe('no-store')
    expect((await getCaching(dataUrl('echo/[name]#echo', '{"name":"x"}'))).headers.get('cache-control')).toBe('no-store')
  })

  it('answers HEAD with the headers only', async () => {
    const response = await getCaching(dataUrl('index#list', '{}'), { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=60')
    expect(await response.text()).toBe('')
  })

  it('answers 404 for unknown functions, prototype names included', async () => {
    for (const id of ['nope#x', '__proto__', 'constructor', 'hasOwnProperty', 'toString', '']) {
      const response = await get(dataUrl(id, '{}'))
      expect(response.status, id).toBe(404)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unknown-function')
    }
  })

  it('answers 404 when the function calls ctx.notFound()', async () => {
    const response = await get(dataUrl('posts/[slug]#post', '{"slug":"missing"}'))
    expect(response.status).toBe(404)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not-found')
  })

  const id = encodeURIComponent('posts/[slug]#post')
  const deep = (n: number) => '{"slug":"a","x":' + '['.repeat(n) + ']'.repeat(n) + '}'
  const bad: [string, string, string][] = [
    ['no query', ``, 'invalid-query'],
    ['another parameter', `?q=1`, 'invalid-query'],
    ['an extra parameter', `?p=${encodeURIComponent('{"slug":"a"}')}&utm=1`, 'invalid-query'],
    ['broken percent-encoding', `?p=%E0%A4%A`, 'invalid-params'],
    ['not JSON', `?p=${encodeURIComponent('{slug:a}')}`, 'invalid-params'],
    ['not an object', `?p=1`, 'invalid-params'],
    ['null', `?p=null`, 'invalid-params'],
    ['a __proto__ key', `?p=${encodeURIComponent('{"__proto__":{"x":1}}')}`, 'invalid-params'],
    ['a lone surrogate', `?p=${encodeURIComponent('{"slug":"\\ud800"}')}`, 'invalid-params'],
    ['unsorted keys', `?p=${encodeURIComponent('{"z":1,"slug":"a"}')}`, 'non-canonical'],
    ['whitespace', `?p=${encodeURIComponent('{"slug": "a"}')}`, 'non-canonical'],
    ['a non-canonical number', `?p=${encodeURIComponent('{"n":1.0,"slug":"a"}')}`, 'non-canonical'],
    ['an escaped letter', `?p=${encodeURIComponent('{"slug":"\\u0061"}')}`, 'non-canonical'],
    ['oversize', `?p=${encodeURIComponent(JSON.stringify({ slug: 'a'.repeat(16 * 1024) }))}`, 'params-too-large'],
    ['oversize in UTF-8', `?p=${encodeURIComponent(JSON.stringify({ slug: 'é'.repeat(9000) }))}`, 'params-too-large'],
    ['too deep', `?p=${encodeURIComponent(deep(40))}`, 'params-too-deep'],
    ['deep nesting inside a string only', `?p=${encodeURIComponent(JSON.stringify({ slug: '['.repeat(100) }))}`, 'ok'],
  ]
  it.each(bad)('answers 400 for %s', async (_, query, code) => {
    const response = await get(`/_mizan/data/${id}${query}`)
    if (code === 'ok') {
      expect(response.status).toBe(404) // reaches the function, which finds no such post
      return
    }
    expect(response.status).toBe(400)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe(code)
    expect(body.error.message.length).toBeGreaterThan(10)
  })

  it('names the canonical form in a non-canonical error', async () => {
    const response = await get(`/_mizan/data/${id}?p=${encodeURIComponent('{ "slug" : "a" }')}`)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('send "{\\"slug\\":\\"a\\"}"')
  })

  it('answers 500 without the message or stack in production, with them in development', async () => {
    errors.length = 0
    const production = await logging.fetch(new Request(BASE + dataUrl('echo/[name]#echo', '{"name":"throw"}')), {})
    expect(production.status).toBe(500)
    expect(production.headers.get('cache-control')).toBe('no-store')
    const text = await production.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'the data function failed; the details are in the Worker logs.' } })
    expect(errors).toHaveLength(1)

    const dev = await logging.fetch(new Request(BASE + dataUrl('echo/[name]#echo', '{"name":"throw"}')), { MIZAN_DEV: '1' })
    expect(((await dev.json()) as { error: { message: string } }).error.message).toMatch(/secret database password[\s\S]*at /)
    const bigint = await logging.fetch(new Request(BASE + dataUrl('echo/[name]#echo', '{"name":"bigint"}')), { MIZAN_DEV: '1' })
    expect(bigint.status).toBe(500)
    expect(((await bigint.json()) as { error: { message: string } }).error.message).toContain('not JSON')
  })

  it('refuses other methods and other /_mizan/ paths', async () => {
    const post = await get(dataUrl('index#list', '{}'), { method: 'POST', body: '{}' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect((await get('/_mizan/whatever')).status).toBe(404)
  })

  it('refuses URLs longer than the limit before parsing them', async () => {
    const response = await get('/?' + 'x'.repeat(70 * 1024))
    expect(response.status).toBe(414)
  })
})

describe('createHandler options', () => {
  it('reports every mismatch between the manifest, the routes and the modules at once', () => {
    const options = appOptions()
    const attempt = () =>
      appHandler({
        routes: options.routes.slice(1).map((r) => (r.id === 'posts/[slug]' ? { ...r, module: { default: () => null } } : r)),
      })
    expect(attempt).toThrow(MizanError)
    expect(attempt).toThrow(/route "index" is in the manifest but not at position 0/)
    expect(attempt).toThrow(/"posts\/\[slug\]#post": the module of route "posts\/\[slug\]" has no client\(\) export named "post"/)
    expect(() => appHandler({ manifest: { ...manifest, version: 2 as 1 } })).toThrow(/version 2/)
  })
})
