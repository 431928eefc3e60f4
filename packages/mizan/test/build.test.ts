/**
 * The plugin end to end on a fixture app: the real `vite build` (client, then Worker), its
 * outputs and their determinism, the browser bundle's hygiene, and the built Worker answering
 * pages, the data endpoint and the action endpoint under the real `vite preview` (workerd).
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
import { SECRET_IN_ACTION, SECRET_IN_AUDIT, SECRET_IN_BODY, SECRET_IN_SERVER_MODULE, blogApp, startOrigin } from './support/apps.ts'
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
const RENAME = `/_mizan/action/${encodeURIComponent('posts/[slug]#rename')}`

describe('vite build', () => {
  test('writes the browser assets, a deployable Worker folder and manifest.json', () => {
    const files = [...readTree(dist()).keys()]
    expect(files).toContain('manifest.json')
    expect(files).toContain('ssr/wrangler.json')
    expect(files).toContain('ssr/index.js')
    expect(files).toContain('ssr/mizan-client-build.js')
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
    // Written next to the Worker once the browser build is done; the Worker's manifest module imports it.
    const clientBuild = fs.readFileSync(dist('ssr/mizan-client-build.js'), 'utf8')
    expect(clientBuild).toContain(`export const buildId = "${manifest.buildId}"`)
    expect(clientBuild).toMatch(/export const clientEntry = "\/assets\/mizan-client-[\w-]+\.js"/)
    expect(fs.readFileSync(dist('ssr/index.js'), 'utf8')).toContain('from "./mizan-client-build.js"')
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

  test('no client() or action() body, secret or server-only module reaches the browser assets', () => {
    const browser = [...readTree(dist('client')).values()].map((b) => b.toString('latin1')).join('\n')
    const worker = fs.readFileSync(dist('ssr/index.js'), 'utf8')
    // Every secret is in the Worker (so this test could fail) and in no browser file.
    for (const secret of [SECRET_IN_BODY, SECRET_IN_SERVER_MODULE, SECRET_IN_ACTION, SECRET_IN_AUDIT]) {
      expect(worker).toContain(secret)
      expect(browser).not.toContain(secret)
    }
    expect(browser).not.toContain('/api/posts')
    expect(browser).not.toContain('db.server')
    expect(browser).not.toContain('the action exploded')
    // The browser has the action's stub and hook (by id) instead.
    expect(browser).toContain('posts/[slug]#rename')
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

  test('an action runs, answers { value } no-store, and purges its tags: the cached home page is a MISS after it', async () => {
    const home = () => fetch(`${url}/`)
    await (await home()).text()
    const hit = await home()
    expect(hit.headers.get('x-mizan-cache')).toMatch(/HIT/)
    expect(await hit.text()).not.toContain('Second, renamed')

    // A browser sends its own origin; the Worker must see it as same-origin behind vite preview too.
    const res = await fetch(`${url}${RENAME}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ slug: 'second', title: 'Second, renamed' }) })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ value: { slug: 'second', title: 'Second, renamed' } })
    expect(origin.authorizations).toContain(SECRET_IN_ACTION + SECRET_IN_AUDIT)

    const after = await home()
    expect(after.headers.get('x-mizan-cache')).toMatch(/MISS/)
    expect(await after.text()).toContain('Second, renamed')
  })

  test('the action endpoint refuses other methods, cross-origin posts, bad input and unknown actions; a throw is a 500 without details', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
    const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

    const get = await fetch(url + RENAME)
    expect({ status: get.status, allow: get.headers.get('allow') }).toEqual({ status: 405, allow: 'POST' })
    const cross = await post(RENAME, '{"slug":"hello","title":"evil"}', { origin: 'https://evil.example' })
    expect({ status: cross.status, code: await code(cross) }).toEqual({ status: 403, code: 'cross-origin' })
    for (const bad of ['not json', '{"title":"no slug"}', '[1]']) {
      const res = await post(RENAME, bad)
      expect({ bad, status: res.status, cc: res.headers.get('cache-control') }).toEqual({ bad, status: 400, cc: 'no-store' })
    }
    const unknown = await post('/_mizan/action/nope%23nothing', '{}')
    expect({ status: unknown.status, code: await code(unknown) }).toEqual({ status: 404, code: 'unknown-action' })
    const missing = await post(RENAME, '{"slug":"missing","title":"x"}')
    expect(missing.status).toBe(404)

    const thrown = await post(RENAME, '{"slug":"hello","title":"explode"}')
    expect(thrown.status).toBe(500)
    const text = await thrown.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'the action failed; the details are in the Worker logs.' } })
    expect(text).not.toContain('exploded')
    // Nothing ran through: hello still has its title.
    expect(await (await fetch(`${url}/posts/hello`)).text()).toContain('<h1>Hello</h1>')
  })
})
