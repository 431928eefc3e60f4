/**
 * Source files of the fixture apps, and a tiny origin backend for them to call.
 * @module
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A string that must never reach the browser: it only appears inside a client() body. */
export const SECRET_IN_BODY = 'sk_live_body_7f3c9a1e'
/** A string that must never reach the browser: it only appears inside an action() body. */
export const SECRET_IN_ACTION = 'sk_live_action_5e2b9d70'
/** Exported by a plain module that only an action() body imports. */
export const SECRET_IN_AUDIT = 'sk_live_audit_0c4f7a19'
/** Exported by a `.server.ts` module that only a client() body imports. */
export const SECRET_IN_SERVER_MODULE = 'sk_live_module_b41d6e02'

const root = `import type { ReactNode } from 'react'
import './app.css'

export default function Document({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head><meta charSet="utf-8" /><title>fixture</title></head>
      <body>{children}</body>
    </html>
  )
}
`

const index = `import { client } from 'mizan'
import type { PageProps } from 'mizan'
import { Link } from 'mizan/react'
import { usePosts } from 'virtual:mizan/hooks'
import { dbToken } from '../lib/db.server.ts'

export const search = ['page'] as const

export const posts = client({ ttl: '1m', tags: ['posts'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/api/posts', { headers: { authorization: '${SECRET_IN_BODY}' + dbToken } })
  return (await res.json()) as { slug: string; title: string }[]
})

export default function Home({ search }: PageProps<'/'>) {
  const list = usePosts({})
  return (
    <main>
      <h1>Posts</h1>
      <p id="page">page={String(search.page ?? '')}</p>
      <ul>{list.map((p) => <li key={p.slug}><Link href={'/posts/' + p.slug}>{p.title}</Link></li>)}</ul>
    </main>
  )
}
`

const post = `import { action, client } from 'mizan'
import type { PageProps } from 'mizan'
import { usePost, useRename, useViewer } from 'virtual:mizan/hooks'
import { auditToken } from '../../lib/audit.ts'

export const post = client({ ttl: '5m', swr: '1h', tags: ['post:{slug}', 'posts'] }, async ({ slug }: { slug: string }, ctx) => {
  const res = await ctx.origin.fetch('/api/posts/' + slug)
  if (res.status === 404) ctx.notFound()
  return (await res.json()) as { slug: string; title: string; body: string }
})

export const viewer = client(false, async (_: {}, ctx) => ctx.session<{ name: string } | null>())

export const rename = action({ tags: ['post:{slug}', 'posts'] }, async (input: { slug: string; title: string }, ctx) => {
  if (input.title === 'explode') throw new Error('the action exploded')
  const res = await ctx.origin.fetch('/api/posts/' + input.slug, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: '${SECRET_IN_ACTION}' + auditToken },
    body: JSON.stringify({ title: input.title }),
  })
  if (res.status === 404) ctx.notFound()
  return (await res.json()) as { slug: string; title: string }
})

export default function Post({ params }: PageProps<'/posts/[slug]'>) {
  const p = usePost({ slug: params.slug })
  const me = useViewer({})
  const renamer = useRename()
  return <article><h1>{p.title}</h1><p>{p.body}</p><p id="viewer">{me ? me.name : 'anonymous'}</p>
    <button disabled={renamer.pending} onClick={() => void renamer.run({ slug: params.slug, title: p.title + '!' })}>rename</button></article>
}
`

/**
 * The "blog" fixture: list + detail pages, a `client(false)` function with a session, a 404 page,
 * CSS, and server-only code used only inside a client() body.
 *
 * @example
 * ```ts
 * const app = createFixture(blogApp())
 * ```
 */
export function blogApp(): Record<string, string> {
  return {
    'src/root.tsx': root,
    'src/app.css': 'body { font-family: sans-serif }\n',
    'src/lib/db.server.ts': `export const dbToken = '${SECRET_IN_SERVER_MODULE}'\n`,
    // Not a .server module: only the action body uses it, so only the transform keeps it out.
    'src/lib/audit.ts': `export const auditToken = '${SECRET_IN_AUDIT}'\n`,
    'src/routes/index.tsx': index,
    'src/routes/posts/[slug].tsx': post,
    'src/routes/_404.tsx': 'export default function NotFound() {\n  return <h1>Nothing here</h1>\n}\n',
    'src/session.server.ts':
      "export default function session(request: Request) {\n  const name = request.headers.get('x-user')\n  return name ? { name } : null\n}\n",
  }
}

/** A running fake origin. */
export interface Origin {
  url: string
  /** Authorization headers seen (to prove the body ran on the server with its secrets). */
  authorizations: string[]
  close(): Promise<void>
}

/**
 * Starts the fixture apps' backend on a free port: `/api/posts` and `/api/posts/<slug>` (GET, and
 * POST `{ title }` to rename).
 *
 * @example
 * ```ts
 * const origin = await startOrigin(); process.env.FIXTURE_ORIGIN = origin.url
 * ```
 */
export async function startOrigin(): Promise<Origin> {
  const posts = [
    { slug: 'hello', title: 'Hello', body: 'First post' },
    { slug: 'second', title: 'Second', body: 'Another post' },
  ]
  const authorizations: string[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin')
    if (req.headers.authorization) authorizations.push(req.headers.authorization)
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/api/posts') return json(200, posts.map(({ slug, title }) => ({ slug, title })))
    const found = posts.find((p) => url.pathname === `/api/posts/${p.slug}`)
    if (found === undefined) return json(404, { error: 'not found' })
    if (req.method !== 'POST') return json(200, found)
    // A write (the fixture's rename action): { title }.
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      found.title = (JSON.parse(body) as { title: string }).title
      json(200, { slug: found.slug, title: found.title })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
