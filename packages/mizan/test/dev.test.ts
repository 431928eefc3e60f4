/**
 * The plugin under `vite dev` (the Worker in workerd through the Cloudflare plugin): pages, the
 * generated browser entry with the Fast Refresh preamble, the server-only guard answering the
 * browser's module request with the import chain, an action, and an edited data function running anew.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createServer } from 'vite'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SECRET_IN_ACTION, blogApp, startOrigin } from './support/apps.ts'
import type { Origin } from './support/apps.ts'
import { createFixture } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'

const TOKEN = `import { dbToken } from '../lib/db.server.ts'\nexport function Token() {\n  return <code>{dbToken.length}</code>\n}\n`

let origin: Origin
let app: Fixture
let server: ViteDevServer
let url: string
beforeAll(async () => {
  origin = await startOrigin()
  process.env['FIXTURE_ORIGIN'] = origin.url
  app = createFixture({ ...blogApp(), 'src/components/Token.tsx': TOKEN }, 'dev')
  server = await createServer({ root: app.root, configFile: path.join(app.root, 'vite.config.ts'), logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } })
  await server.listen()
  const address = server.httpServer?.address()
  if (address === null || address === undefined || typeof address === 'string') throw new Error('vite dev is not listening on a TCP port')
  url = `http://127.0.0.1:${address.port}`
})
afterAll(async () => {
  await server?.close()
  app?.remove()
  await origin?.close()
})

describe('vite dev', () => {
  test('the Worker renders pages with the dev browser entry', async () => {
    const res = await fetch(`${url}/posts/hello`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Hello</h1>')
    expect(html).toContain('src="/@id/virtual:mizan/client-entry"')
  })

  test('the browser entry loads the React Refresh preamble before the document', async () => {
    const code = await (await fetch(`${url}/@id/virtual:mizan/client-entry`)).text()
    const preamble = code.indexOf('@vitejs/plugin-react/preamble')
    expect(preamble).toBeGreaterThan(-1)
    expect(code.indexOf('/src/root.tsx')).toBeGreaterThan(preamble)
  })

  test('route modules reach the browser without their client() bodies', async () => {
    const code = await (await fetch(`${url}/src/routes/index.tsx`)).text()
    expect(code).toContain('"index#posts"')
    expect(code).not.toContain('/api/posts')
    expect(code).not.toContain('db.server')
  })

  test('route modules reach the browser without their action() bodies; the action runs in the dev Worker', async () => {
    const code = await (await fetch(`${url}/src/routes/posts/[slug].tsx`)).text()
    expect(code).toContain('"posts/[slug]#rename"')
    expect(code).not.toContain(SECRET_IN_ACTION)
    expect(code).not.toContain('lib/audit')

    const res = await fetch(`${url}/_mizan/action/${encodeURIComponent('posts/[slug]#rename')}`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ slug: 'second', title: 'Second (dev)' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ value: { slug: 'second', title: 'Second (dev)' } })
    expect(await (await fetch(`${url}/posts/second`)).text()).toContain('<h1>Second (dev)</h1>')
  })

  test('a .server module requested by browser code fails with the import chain', async () => {
    expect((await fetch(`${url}/src/components/Token.tsx`)).status).toBe(200)
    const res = await fetch(`${url}/src/lib/db.server.ts`)
    expect(res.status).toBe(500)
    const body = await res.text()
    expect(body).toContain('MIZAN_SERVER_ONLY_IMPORT')
    // The overlay page carries the message as JSON: its newlines are escaped.
    expect(body).toMatch(/src\/components\/Token\.tsx(\\n|\s)+→ imports src\/lib\/db\.server\.ts/)
  })

  test('editing a data function re-runs it on the next request, without a restart', async () => {
    const file = path.join(app.root, 'src/routes/posts/[slug].tsx')
    const original = fs.readFileSync(file, 'utf8')
    const from = 'return (await res.json()) as { slug: string; title: string; body: string }'
    expect(original).toContain(from)
    app.write('src/routes/posts/[slug].tsx', original.replace(from, 'const data = (await res.json()) as { slug: string; title: string; body: string }\n  return { ...data, title: `${data.title} (edited)` }'))
    // The edit changes the function's version, so its cached entries are not reused.
    await expect.poll(async () => (await (await fetch(`${url}/posts/hello`)).text()).includes('<h1>Hello (edited)</h1>'), { timeout: 20_000 }).toBe(true)
  })
})
