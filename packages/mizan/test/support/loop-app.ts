/**
 * The full loop's fixture app: every data function fetches the loop origin
 * (test/support/origin.ts) through `ctx.origin.fetch`.
 * @module
 */

const root = `import type { ReactNode } from 'react'

export default function Document({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head><meta charSet="utf-8" /><title>loop</title></head>
      <body>{children}</body>
    </html>
  )
}
`

const postFunction = (name: string, policy: string): string => `export const ${name} = client(${policy}, async ({ slug }: { slug: string }, ctx) => {
  const res = await ctx.origin.fetch('/api/posts/' + slug)
  if (res.status === 404) ctx.notFound()
  return (await res.json()) as { slug: string; title: string; body: string }
})`

const postPage = (name: string, hook: string, path: string): string => `import { client } from 'mizan'
import type { PageProps } from 'mizan'
import { ${hook} } from 'virtual:mizan/hooks'

${name}

export default function Post({ params }: PageProps<'${path}'>) {
  const p = ${hook}({ slug: params.slug })
  return <article><h1 id="title">{p.title}</h1><p>{p.body}</p></article>
}
`

/**
 * Routes: `/` (all posts, tag `posts`), `/posts/[slug]` (ttl 1h, tag `post:{slug}`),
 * `/fresh/[slug]` (the same post with ttl 1 s + swr 1 h, for refresh races), `/other`
 * (tag `other`, unrelated to posts), `/herd` (its own origin endpoint), `/account/[...rest]`
 * (per-user data, `scope: 'user'`), and `/echo` (a `client(false)` function returning the
 * `x-mizan-*` request headers it sees).
 *
 * @example
 * ```ts
 * const app = createFixture(loopApp(), 'loop')
 * ```
 */
export function loopApp(): Record<string, string> {
  return {
    'src/root.tsx': root,
    'src/session.server.ts': "export default function session(request: Request) {\n  const name = request.headers.get('x-user')\n  return name ? { name } : null\n}\n",
    'src/routes/index.tsx': `import { client } from 'mizan'
import { usePosts } from 'virtual:mizan/hooks'

export const posts = client({ ttl: '1h', tags: ['posts'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/api/posts')
  return (await res.json()) as { slug: string; title: string }[]
})

export default function Home() {
  return <ul>{usePosts({}).map((p) => <li key={p.slug}>{p.title}</li>)}</ul>
}
`,
    'src/routes/posts/[slug].tsx': postPage(postFunction('post', "{ ttl: '1h', tags: ['post:{slug}'] }"), 'usePost', '/posts/[slug]'),
    'src/routes/fresh/[slug].tsx': postPage(postFunction('fresh', "{ ttl: 1, swr: '1h', tags: ['post:{slug}'] }"), 'useFresh', '/fresh/[slug]'),
    'src/routes/other.tsx': `import { client } from 'mizan'
import { useOther } from 'virtual:mizan/hooks'

export const other = client({ ttl: '1h', tags: ['other'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/api/other')
  return (await res.json()) as { value: string }
})

export default function Other() {
  return <p id="other">{useOther({}).value}</p>
}
`,
    'src/routes/herd.tsx': `import { client } from 'mizan'
import { useHerd } from 'virtual:mizan/hooks'

export const herd = client({ ttl: '1h', tags: ['herd'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/api/herd')
  return (await res.json()) as { value: string }
})

export default function Herd() {
  return <p id="herd">{useHerd({}).value}</p>
}
`,
    'src/routes/account/[...rest].tsx': `import { client } from 'mizan'
import { useMe } from 'virtual:mizan/hooks'

export const me = client({ ttl: '1h', scope: 'user' }, async (_: {}, ctx) => ctx.session<{ name: string } | null>())

export default function Account() {
  const me = useMe({})
  return <p id="me">{me ? 'account of ' + me.name : 'signed out'}</p>
}
`,
    'src/routes/echo.tsx': `import { client } from 'mizan'
import { useEcho } from 'virtual:mizan/hooks'

export const echo = client(false, async (_: {}, ctx) => [...ctx.request.headers.keys()].filter((name) => name.startsWith('x-mizan')))

export default function Echo() {
  return <p id="echo">{JSON.stringify(useEcho({}))}</p>
}
`,
  }
}
