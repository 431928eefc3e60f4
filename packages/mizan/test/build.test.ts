/**
 * The plugin end to end on a fixture app: the real `vite build` (client, then Worker), its
 * outputs and their determinism, the browser bundle's hygiene, and the built Worker answering
 * pages and the data endpoint under the real `vite preview` (workerd).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadApp } from '../src/compiler/index.ts'
import { devClientBuild } from '../src/vite/client-assets.ts'
import { MizanContext } from '../src/vite/context.ts'
import { generatedModule } from '../src/vite/generated.ts'
import { VIRTUAL } from '../src/vite/ids.ts'
import { resolveOptions } from '../src/vite/options.ts'
import { SECRET_IN_BODY, SECRET_IN_SERVER_MODULE, blogApp, startOrigin } from './support/apps.ts'
import type { Origin } from './support/apps.ts'
import { buildFixture, createFixture, previewFixture, readTree } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'

let origin: Origin
let app: Fixture
beforeAll(async () => {
  origin = await startOrigin()
  process.env['FIXTURE_ORIGIN'] = origin.url
  app = createFixture(blogApp(), 'blog')
  await buildFixture(app.root)
})
afterAll(async () => {
  app?.remove()
  await origin?.close()
})

const dist = (relative = ''): string => path.join(app.root, 'dist', relative)

describe('vite build', () => {
  test('writes the browser assets, a deployable Worker folder and manifest.json', () => {
    const files = [...readTree(dist()).keys()]
    expect(files).toContain('manifest.json')
    expect(files).toContain('ssr/wrangler.json')
    expect(files).toContain('ssr/index.js')
    expect(files.filter((f) => /^client\/assets\/mizan-client-[\w-]+\.js$/.test(f))).toHaveLength(1)
    expect(files.filter((f) => /^client\/assets\/.*\.css$/.test(f))).toHaveLength(1)
    // The client manifest only served the Worker build; it must not be deployed as an asset.
    expect(files.some((f) => f.startsWith('client/.vite/'))).toBe(false)

    const wrangler = JSON.parse(fs.readFileSync(dist('ssr/wrangler.json'), 'utf8')) as Record<string, any>
    expect(wrangler['main']).toBe('index.js')
    expect(wrangler['name']).toBe('mizan-blog')
    expect(wrangler['compatibility_date']).toBe('2026-10-01')
    expect(wrangler['compatibility_flags']).toContain('nodejs_compat')
    expect(wrangler['assets']).toEqual({ binding: 'ASSETS', directory: '../client' })
    expect(wrangler['vars']).toEqual({ MIZAN_ORIGIN: origin.url })
  })

  test('manifest.json matches the snapshot and carries the build id the Worker embeds', async () => {
    const text = fs.readFileSync(dist('manifest.json'), 'utf8')
    const manifest = JSON.parse(text) as { buildId: string }
    expect(manifest.buildId).toMatch(/^[0-9a-f]{16}$/)
    expect(fs.readFileSync(dist('ssr/index.js'), 'utf8')).toContain(manifest.buildId)
    await expect(text.replace(manifest.buildId, '<build id>')).toMatchFileSnapshot('__snapshots__/blog/manifest.json')
  })

  test('generated type declarations match the snapshots', async () => {
    const types = readTree(app.file('.mizan/types'))
    expect([...types.keys()]).toEqual(['hooks.d.ts', 'index.d.ts', 'register.d.ts'])
    for (const [file, contents] of types) await expect(contents.toString()).toMatchFileSnapshot(`__snapshots__/blog/types/${file}`)
  })

  test('generated modules match the snapshots', async () => {
    const ctx = new MizanContext(resolveOptions(undefined))
    const config = { root: app.root, command: 'serve', base: '/', build: { outDir: 'dist' }, environments: {} }
    ctx.configure(config as unknown as Parameters<MizanContext['configure']>[0])
    const model = await loadApp(app.root)
    for (const [name, id] of Object.entries(VIRTUAL)) {
      await expect(generatedModule(ctx, model, id, devClientBuild())).toMatchFileSnapshot(`__snapshots__/blog/modules/${name}.dev.js`)
    }
  })

  test('no client() body, secret or server-only module reaches the browser assets', () => {
    const browser = [...readTree(dist('client')).values()].map((b) => b.toString('latin1')).join('\n')
    const worker = fs.readFileSync(dist('ssr/index.js'), 'utf8')
    // Both secrets are in the Worker (so this test could fail) and in no browser file.
    for (const secret of [SECRET_IN_BODY, SECRET_IN_SERVER_MODULE]) {
      expect(worker).toContain(secret)
      expect(browser).not.toContain(secret)
    }
    expect(browser).not.toContain('/api/posts')
    expect(browser).not.toContain('db.server')
  })

  test('a second build of the same app, in another folder, is byte-identical', async () => {
    const twin = createFixture(blogApp(), 'blog')
    try {
      await buildFixture(twin.root)
      // .dev.vars holds each checkout's own local secret (see cache.test.ts).
      const first = withoutDevVars(readTree(dist()))
      const second = withoutDevVars(readTree(path.join(twin.root, 'dist')))
      expect([...second.keys()]).toEqual([...first.keys()])
      for (const [file, contents] of first) expect({ file, same: contents.equals(second.get(file)!) }).toEqual({ file, same: true })
    } finally {
      twin.remove()
    }
  })
})

function withoutDevVars(tree: Map<string, Buffer>): Map<string, Buffer> {
  tree.delete('ssr/.dev.vars')
  return tree
}

describe('the built Worker under vite preview', () => {
  let server: PreviewServer
  let url: string
  beforeAll(async () => {
    ;({ server, url } = await previewFixture(app.root))
  })
  afterAll(async () => {
    await server?.close()
  })

  test('renders a page with its data, the bootstrap script and the stylesheet', async () => {
    const res = await fetch(`${url}/?page=2&utm_source=x`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('<h1>Posts</h1>')
    expect(html).toMatch(/<a href="\/posts\/hello"[^>]*>Hello<\/a>/)
    expect(html).toMatch(/page=(<!-- -->)?2</)
    // Only declared search params reach the page.
    expect(html).toContain('"search":{"page":"2"}')
    expect(html).not.toContain('utm_source')
    expect(html).toMatch(/<script[^>]+type="module"[^>]+src="\/assets\/mizan-client-[\w-]+\.js"|src="\/assets\/mizan-client-[\w-]+\.js"[^>]+type="module"/)
    expect(html).toMatch(/<link[^>]+rel="stylesheet"[^>]+href="\/assets\/[\w-]+\.css"|href="\/assets\/[\w-]+\.css"[^>]+rel="stylesheet"/)
    expect(html).toContain('<script id="__mizan_data" type="application/json">')
    expect(origin.authorizations).toContain(SECRET_IN_BODY + SECRET_IN_SERVER_MODULE)

    const script = /src="(\/assets\/mizan-client-[\w-]+\.js)"/.exec(html)?.[1]
    const asset = await fetch(url + script)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
  })

  test('renders a dynamic route, the session, and the 404 page', async () => {
    const post = await fetch(`${url}/posts/hello`, { headers: { 'x-user': 'ada' } })
    expect(post.status).toBe(200)
    const html = await post.text()
    expect(html).toContain('<h1>Hello</h1>')
    expect(html).toContain('<p id="viewer">ada</p>')
    // viewer is client(false): the page must not be stored by shared caches.
    expect(post.headers.get('cache-control')).toMatch(/no-store/)

    for (const missing of ['/posts/missing', '/no/such/page']) {
      const res = await fetch(url + missing)
      expect(res.status).toBe(404)
      expect(await res.text()).toContain('<h1>Nothing here</h1>')
    }
  })

  test('the data endpoint answers valid calls and rejects bad ones', async () => {
    const data = (id: string, p?: string): Promise<Response> =>
      fetch(`${url}/_mizan/data/${encodeURIComponent(id)}${p === undefined ? '' : `?p=${encodeURIComponent(p)}`}`)

    const list = await data('index#posts', '{}')
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual([{ slug: 'hello', title: 'Hello' }, { slug: 'second', title: 'Second' }])
    expect(list.headers.get('cache-control')).toMatch(/s-maxage=60/)

    const one = await data('posts/[slug]#post', '{"slug":"second"}')
    expect(one.status).toBe(200)
    expect(await one.json()).toEqual({ slug: 'second', title: 'Second', body: 'Another post' })

    const gone = await data('posts/[slug]#post', '{"slug":"missing"}')
    expect(gone.status).toBe(404)

    for (const id of ['nope#nothing', '__proto__', 'constructor']) {
      const res = await data(id, '{}')
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toEqual(expect.any(String))
    }
    for (const bad of [undefined, 'not json', '{"slug": "second"}', '[1,2', '{"b":1,"a":2}']) {
      const res = await data('posts/[slug]#post', bad)
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 })
      expect(res.headers.get('cache-control')).toMatch(/no-store/)
    }
  })
})
