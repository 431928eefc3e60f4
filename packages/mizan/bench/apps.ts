/**
 * Source files of the benchmark apps: each Mizan app comes with a hand-written baseline that
 * builds the same components with plain Vite + `@vitejs/plugin-react` (+ `@cloudflare/vite-plugin`
 * for the Worker), so a ratio measures what Mizan adds and nothing else.
 * @module
 */

/** vite.config.ts of a baseline app: the two plugins Mizan wraps, nothing of Mizan. */
export const PLAIN_VITE_CONFIG = `import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { cloudflare } from '@cloudflare/vite-plugin'

export default defineConfig({ logLevel: 'warn', plugins: [react(), cloudflare({ inspectorPort: false })] })
`

/**
 * A static file for the Worker-only baselines: with assets configured, workerd routes every
 * request through the assets layer before the Worker, as it does for every Mizan app (which
 * always has its browser bundle) — so that per-request cost is on both sides of a ratio.
 */
const PUBLIC_ASSET = { 'public/robots.txt': 'User-agent: *\n' }

const plainWrangler = (name: string): string =>
  JSON.stringify({ name, main: './src/worker.tsx', compatibility_date: '2026-10-01', compatibility_flags: ['nodejs_compat'], assets: { binding: 'ASSETS' } }, null, 2)

const root = `import type { ReactNode } from 'react'

export default function Document({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head><meta charSet="utf-8" /><title>bench</title></head>
      <body>{children}</body>
    </html>
  )
}
`

const itemView = (i: number): string => `<section className="item-${i}">
      <h1>{data.title}</h1>
      <ul>{data.rows.map((r) => <li key={r.name}>{r.name}: <b>{r.value}</b></li>)}</ul>
    </section>`

const itemBody = (i: number): string => `  const res = await origin.fetch('/api/items/${i}/' + encodeURIComponent(id))
  return (await res.json()) as { title: string; rows: { name: string; value: number }[] }`

/**
 * A Mizan app with `count` routes `/r<i>/[id]`, each with a cacheable data function that calls
 * the origin and a component rendering its result.
 *
 * @example
 * ```ts
 * createFixture(manyRoutesApp(200), 'bench-build')
 * ```
 */
export function manyRoutesApp(count: number): Record<string, string> {
  const files: Record<string, string> = { 'src/root.tsx': root }
  for (let i = 0; i < count; i++) {
    files[`src/routes/r${i}/[id].tsx`] = `import { client } from 'mizan'
import type { PageProps } from 'mizan'
import { useItem${i} } from 'virtual:mizan/hooks'

export const item${i} = client({ ttl: '1m', tags: ['item:{id}', 'r${i}'] }, async ({ id }: { id: string }, ctx) => {
  const origin = ctx.origin
${itemBody(i)}
})

export default function Page${i}({ params }: PageProps<'/r${i}/[id]'>) {
  const data = useItem${i}({ id: params.id })
  return (
    ${itemView(i)}
  )
}
`
  }
  return files
}

/**
 * The baseline of {@link manyRoutesApp}: the same `count` components and data functions, built
 * by plain Vite + React + the Cloudflare plugin as a hand-written app would be: a browser entry
 * (index.html → main.tsx) lazy-importing every page, and a Worker that imports every page and
 * its data function, matches `/r<i>/<id>`, calls the function and streams the render.
 *
 * @example
 * ```ts
 * createFixture(manyRoutesBaseline(200), 'bench-build-plain')
 * ```
 */
export function manyRoutesBaseline(count: number): Record<string, string> {
  const files: Record<string, string> = {
    'vite.config.ts': PLAIN_VITE_CONFIG,
    'wrangler.jsonc': plainWrangler('plain-many-routes'),
    'index.html': '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>\n',
    'src/root.tsx': root,
    'src/data.ts': `import { use } from 'react'
const cache = new Map<string, Promise<any>>()
export function useData(key: string): any {
  let p = cache.get(key)
  if (!p) cache.set(key, (p = fetch('/data/' + key).then((r) => r.json())))
  return use(p)
}
`,
  }
  const lazy: string[] = []
  const imports: string[] = []
  const table: string[] = []
  for (let i = 0; i < count; i++) {
    files[`src/pages/r${i}.tsx`] = `import { useData } from '../data.ts'

export default function Page${i}({ params }: { params: { id: string } }) {
  const data = useData('r${i}/' + params.id) as { title: string; rows: { name: string; value: number }[] }
  return (
    ${itemView(i)}
  )
}
`
    files[`src/server/r${i}.ts`] = `export async function item${i}({ id }: { id: string }, origin: { fetch(path: string): Promise<Response> }) {
${itemBody(i)}
}
`
    lazy.push(`  r${i}: () => import('./pages/r${i}.tsx'),`)
    imports.push(`import P${i} from './pages/r${i}.tsx'\nimport { item${i} } from './server/r${i}.ts'`)
    table.push(`  r${i}: [P${i}, item${i}],`)
  }
  files['src/main.tsx'] = `import { createElement, Suspense } from 'react'
import { createRoot } from 'react-dom/client'

const pages: Record<string, () => Promise<{ default: (props: { params: { id: string } }) => any }>> = {
${lazy.join('\n')}
}
const [, name = '', id = ''] = location.pathname.split('/')
const load = pages[name]
if (load) load().then((m) => createRoot(document.getElementById('root')!).render(createElement(Suspense, null, createElement(m.default, { params: { id } }))))
`
  files['src/worker.tsx'] = `import { renderToReadableStream } from 'react-dom/server'
import Document from './root.tsx'
${imports.join('\n')}

const routes: Record<string, [(props: { params: { id: string } }) => any, (p: { id: string }, o: { fetch(path: string): Promise<Response> }) => Promise<unknown>]> = {
${table.join('\n')}
}

export default {
  async fetch(request: Request, env: { MIZAN_ORIGIN?: string }) {
    const [, name = '', id = ''] = new URL(request.url).pathname.split('/')
    const route = routes[name]
    if (!route) return new Response('not found', { status: 404 })
    const origin = { fetch: (path: string) => fetch(new URL(path, env.MIZAN_ORIGIN ?? 'http://127.0.0.1:8787')) }
    await route[1]({ id }, origin)
    const Page = route[0]
    const stream = await renderToReadableStream(<Document><Page params={{ id }} /></Document>, { bootstrapModules: ['/src/main.tsx'] })
    return new Response(stream, { headers: { 'content-type': 'text/html; charset=utf-8' } })
  },
}
`
  return files
}

const tableComponent = `export interface Row { id: number; name: string; email: string; score: number; active: boolean }

export function makeRows(count: number): Row[] {
  const rows: Row[] = []
  for (let i = 0; i < count; i++) rows.push({ id: i, name: 'Person ' + i, email: 'person' + i + '@example.com', score: (i * 7919) % 1000, active: i % 3 !== 0 })
  return rows
}

export function Table({ rows }: { rows: Row[] }) {
  return (
    <table>
      <thead><tr><th>#</th><th>Name</th><th>Email</th><th>Score</th><th>Active</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}><td>{r.id}</td><td>{r.name}</td><td><a href={'mailto:' + r.email}>{r.email}</a></td><td>{r.score}</td><td>{r.active ? 'yes' : 'no'}</td></tr>
        ))}
      </tbody>
    </table>
  )
}
`

/**
 * A Mizan app with one page `/` rendering a 200-row table from a data function with the given
 * policy source (`false` → uncacheable, so every request renders).
 *
 * @example
 * ```ts
 * createFixture(tableApp('false'), 'bench-render')
 * ```
 */
export function tableApp(policy: string): Record<string, string> {
  return {
    'src/root.tsx': root,
    'src/table.tsx': tableComponent,
    'src/routes/index.tsx': `import { client } from 'mizan'
import { useRows } from 'virtual:mizan/hooks'
import { Table, makeRows } from '../table.tsx'

export const rows = client(${policy}, async (_: {}) => makeRows(200))

export default function Home() {
  return <main><h1>Table</h1><Table rows={useRows({})} /></main>
}
`,
  }
}

/**
 * The hand-written Worker for {@link tableApp}: the same Document and Table with the same rows,
 * rendered with `renderToReadableStream`, with the rows embedded as JSON for hydration (what
 * any hydrating SSR app must ship) — served by `vite preview` exactly like the Mizan app.
 *
 * @example
 * ```ts
 * createFixture(tableBaseline(), 'bench-render-plain')
 * ```
 */
export function tableBaseline(): Record<string, string> {
  return {
    'vite.config.ts': PLAIN_VITE_CONFIG,
    'wrangler.jsonc': plainWrangler('plain-table'),
    ...PUBLIC_ASSET,
    'src/root.tsx': root,
    'src/table.tsx': tableComponent,
    'src/worker.tsx': `import { renderToReadableStream } from 'react-dom/server'
import Document from './root.tsx'
import { Table, makeRows } from './table.tsx'

const escape = (json: string) => json.replace(/</g, '\\\\u003c').replace(/\\u2028/g, '\\\\u2028').replace(/\\u2029/g, '\\\\u2029')

export default {
  async fetch() {
    const rows = makeRows(200)
    const stream = await renderToReadableStream(
      <Document>
        <main><h1>Table</h1><Table rows={rows} /></main>
        <script id="data" type="application/json" dangerouslySetInnerHTML={{ __html: escape(JSON.stringify(rows)) }} />
      </Document>,
    )
    return new Response(stream, { headers: { 'content-type': 'text/html; charset=utf-8' } })
  },
}
`,
  }
}

/**
 * The source of a one-module Worker that answers every request with fixed bytes held in memory
 * (the ceiling any cache can approach), with the same content type as a Mizan page.
 *
 * @example
 * ```ts
 * const worker = await serveScript(bytesWorkerScript(html))
 * ```
 */
export function bytesWorkerScript(html: string): string {
  return `const bytes = new TextEncoder().encode(${JSON.stringify(html)})

export default {
  fetch() {
    return new Response(bytes, { headers: { 'content-type': 'text/html; charset=utf-8' } })
  },
}
`
}

/**
 * The cache benchmarks' Mizan app: `/` the 200-row table from a cacheable data function (tag
 * `table`), `/uncached` the same table from a `client(false)` function (rendered on every
 * request: the MISS cost without any cache write), and `/counter` a value read from the origin
 * (tag `counter`) for purge-to-fresh timings.
 *
 * @example
 * ```ts
 * createFixture(cachedTableApp(), 'bench-cache')
 * ```
 */
export function cachedTableApp(): Record<string, string> {
  const files = tableApp("{ ttl: '1h', tags: ['table'] }")
  files['src/routes/uncached.tsx'] = `import { client } from 'mizan'
import { useUncachedRows } from 'virtual:mizan/hooks'
import { Table, makeRows } from '../table.tsx'

export const uncachedRows = client(false, async (_: {}) => makeRows(200))

export default function Uncached() {
  return <main><h1>Table</h1><Table rows={useUncachedRows({})} /></main>
}
`
  files['src/routes/counter.tsx'] = `import { client } from 'mizan'
import { useCounter } from 'virtual:mizan/hooks'

export const counter = client({ ttl: '1h', tags: ['counter'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/counter')
  return (await res.json()) as { value: number }
})

export default function Counter() {
  return <p id="counter">{useCounter({}).value}</p>
}
`
  return files
}

/**
 * The PSR benchmarks' Mizan app: `/` the 200-row table from a cacheable function (a plain
 * cached page), `/psr` the same table with one cheap `client(false)` hole under `<Suspense>`,
 * `/psr-slow` the same with a hole that takes 200 ms.
 *
 * @example
 * ```ts
 * createFixture(psrTableApp(), 'bench-psr')
 * ```
 */
export function psrTableApp(): Record<string, string> {
  const files = tableApp("{ ttl: '1h', tags: ['table'] }")
  const holePage = (name: string, delay: number): string => `import { Suspense } from 'react'
import { client } from 'mizan'
import { use${name}Rows, use${name}Hole } from 'virtual:mizan/hooks'
import { Table, makeRows } from '../table.tsx'

export const ${name.toLowerCase()}Rows = client({ ttl: '1h', tags: ['table'] }, async (_: {}) => makeRows(200))
export const ${name.toLowerCase()}Hole = client(false, async (_: {}) => {
  ${delay > 0 ? `await new Promise((resolve) => setTimeout(resolve, ${delay}))` : ''}
  return { at: 'per request' }
})

function Hole() {
  return <p id="hole">{use${name}Hole({}).at}</p>
}

export default function Page() {
  return (
    <main>
      <h1>Table</h1>
      <Suspense fallback={<p id="hole">…</p>}>
        <Hole />
      </Suspense>
      <Table rows={use${name}Rows({})} />
    </main>
  )
}
`
  files['src/routes/psr.tsx'] = holePage('Psr', 0)
  files['src/routes/psr-slow.tsx'] = holePage('Slow', 200)
  return files
}
