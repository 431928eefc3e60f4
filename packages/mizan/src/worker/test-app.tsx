/**
 * Test support: a small real app (route modules with real components and real `client()`
 * functions, its manifest) for the Worker runtime tests.
 * @module
 */
import { Suspense, type ReactNode } from 'react'
import type { Manifest, ManifestFunction, ManifestRoute } from '../compiler/manifest-types.ts'
import { action, client } from '../index.ts'
import { createDataHook } from '../react/hooks.ts'
import type { RouteModule } from '../react/page.ts'
import { Link } from '../react/link.tsx'
import { useRouter } from '../react/router.ts'
import type { DataHook, PagePropsIn } from '../types.ts'
import { createHandler, type MizanHandler } from './handler.ts'
import type { HandlerOptions } from './options.ts'

/** Values the data functions read, settable per test. */
export const backend = {
  posts: new Map<string, { title: string; body: string }>([
    ['hello', { title: 'Hello', body: 'First post' }],
    ['evil', { title: '</script><script>alert(1)</script>', body: 'line\u2028separator\u2029and <!-- comment & ampersand' }],
  ]),
  sessionCalls: 0,
}

/** What the generated Register would hold for this app (kept local: tests must not augment `mizan`). */
interface AppRoutes {
  '/': { search: 'page' }
  '/docs/[...rest]': { search: never }
  '/echo/[name]': { search: never }
  '/posts/[slug]': { search: never }
}
type PageProps<Path extends keyof AppRoutes> = PagePropsIn<AppRoutes, Path>

// --- src/routes/index.tsx
const list = client({ ttl: '1m', tags: ['posts'] }, async (_: {}) => [...backend.posts.keys()].sort())
const usePosts = createDataHook<typeof list>('index#list')
function Home({ search }: PageProps<'/'>) {
  const slugs = usePosts({})
  return (
    <>
      <h1>Posts</h1>
      <p id="search">{JSON.stringify(search)}</p>
      <ul>
        {slugs.map((slug) => (
          <li key={slug}>
            <Link href={`/posts/${slug}`}>{slug}</Link>
          </li>
        ))}
      </ul>
    </>
  )
}
const indexModule = { list, search: ['page'] as const, default: Home }

// --- src/routes/posts/[slug].tsx
const post = client({ ttl: '5m', swr: '1h', tags: ['post:{slug}', 'posts'] }, async ({ slug }: { slug: string }, ctx) => {
  const found = backend.posts.get(slug)
  if (found === undefined) ctx.notFound()
  return { slug, ...found }
})
const viewer = client(false, async (_: {}, ctx) => ctx.session<{ name: string } | null>())
const usePost: DataHook<typeof post> = createDataHook('posts/[slug]#post')
const useViewer: DataHook<typeof viewer> = createDataHook('posts/[slug]#viewer')
function Viewer() {
  const me = useViewer({})
  return <p id="viewer">{me ? `signed in as ${me.name}` : 'anonymous'}</p>
}
function PostPage({ params }: PageProps<'/posts/[slug]'>) {
  const p = usePost({ slug: params.slug })
  return (
    <article>
      <h1>{p.title}</h1>
      <p>{p.body}</p>
      <p id="at">{useRouter().pathname}</p>
      <Suspense fallback={<p>…</p>}>
        <Viewer />
      </Suspense>
      <Link href="/">all posts</Link>
    </article>
  )
}
// An action: renames a post, then the Worker purges post:{slug}
const rename = action({ tags: ['post:{slug}'] }, async (input: { slug: string; title: string }, ctx) => {
  if (input.title === 'throw') throw new Error('secret database password in this message')
  const found = backend.posts.get(input.slug)
  if (found === undefined) return ctx.notFound()
  backend.posts.set(input.slug, { ...found, title: input.title })
  if (input.title === 'everything') ctx.addTags('posts')
  if (input.title === 'bigint') return { n: 1n }
  return { renamed: input.slug, title: input.title }
})
const postModule = { post, viewer, rename, default: PostPage }

// --- src/routes/api-echo/[name].tsx: what a data function sees of the request and the origin
const echo = client({ ttl: 10, scope: 'user' }, async ({ name }: { name: string }, ctx) => {
  if (name === 'headers') return Object.fromEntries(ctx.request.headers)
  if (name === 'origin') return (await ctx.origin.fetch('/api/hello?x=1')).json()
  if (name === 'session') return [await ctx.session(), await ctx.session()]
  if (name === 'throw') throw new Error('secret database password in this message')
  if (name === 'bigint') return { n: 1n }
  return name
})
const useEcho = createDataHook<typeof echo>('echo/[name]#echo')
function EchoPage({ params }: PageProps<'/echo/[name]'>) {
  return <pre>{JSON.stringify(useEcho({ name: params.name }))}</pre>
}
const echoModule = { echo, default: EchoPage }

// --- src/routes/boom.tsx: a component that fails while rendering
function Boom(): ReactNode {
  throw new Error('component exploded')
}
const boomModule = { default: Boom }

// --- src/routes/docs/[...rest].tsx
function Docs({ params }: PageProps<'/docs/[...rest]'>) {
  return <h1>{`docs: ${params.rest.join(' / ')}`}</h1>
}
const docsModule = { default: Docs }

// --- src/routes/_404.tsx and src/root.tsx
export function NotFound() {
  return (
    <>
      <h1>Nothing here</h1>
      <Link href="/">home</Link>
    </>
  )
}
export function Document({ children }: { children?: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>Test app</title>
      </head>
      <body>
        <div id="root">{children}</div>
      </body>
    </html>
  )
}

const policy = (ttl: number, swr: number, tags: string[], scope: 'public' | 'user' = 'public') => ({ ttl, swr, staleIfError: 0, tags, scope })
const fn = (route: string, name: string, p: ManifestFunction['policy']): ManifestFunction => ({
  route, export: name, hook: `use${name[0]!.toUpperCase()}${name.slice(1)}`, version: '000000000000', policy: p,
})
const route = (id: string, pattern: string, functions: string[], search: string[] | null = null): ManifestRoute => ({
  id, path: `/${id.replace(/(^|\/)index$/, '')}`, pattern, file: `src/routes/${id}.tsx`, params: [], catchAll: null, search, functions,
})

/** The manifest the build would emit for this app. */
export const manifest: Manifest = {
  version: 1,
  buildId: '0000000000000000',
  routes: [
    route('index', '/', ['index#list'], ['page']),
    route('boom', '/boom', []),
    route('docs/[...rest]', '/docs/*rest', []),
    route('echo/[name]', '/echo/:name', ['echo/[name]#echo']),
    route('posts/[slug]', '/posts/:slug', ['posts/[slug]#post', 'posts/[slug]#viewer']),
  ],
  functions: {
    'echo/[name]#echo': fn('echo/[name]', 'echo', policy(10, 0, [], 'user')),
    'index#list': fn('index', 'list', policy(60, 0, ['posts'])),
    'posts/[slug]#post': fn('posts/[slug]', 'post', policy(300, 3600, ['post:{slug}', 'posts'])),
    'posts/[slug]#viewer': fn('posts/[slug]', 'viewer', false),
  },
  actions: {
    'posts/[slug]#rename': { route: 'posts/[slug]', export: 'rename', hook: 'useRename', version: '000000000000', tags: ['post:{slug}'] },
  },
  purge: { tags: {} },
}

/** The options the generated Worker entry would pass. */
export function appOptions(overrides?: Partial<HandlerOptions>): HandlerOptions {
  return {
    manifest,
    document: Document,
    notFound: NotFound,
    session: (request) => {
      backend.sessionCalls++
      const user = request.headers.get('cookie')?.match(/user=(\w+)/)?.[1]
      return user === undefined ? null : { name: user }
    },
    routes: [
      { id: 'index', pattern: '/', module: indexModule },
      { id: 'boom', pattern: '/boom', module: boomModule },
      { id: 'docs/[...rest]', pattern: '/docs/*rest', module: docsModule },
      { id: 'echo/[name]', pattern: '/echo/:name', module: echoModule },
      { id: 'posts/[slug]', pattern: '/posts/:slug', module: postModule },
    ],
    clientEntry: '/assets/client-1234.js',
    css: ['/assets/app-5678.css'],
    onError: () => {},
    ...overrides,
  }
}

/** The routes as the generated browser entry lists them. */
export const clientRoutes = appOptions().routes.map(({ id, pattern, module }) => ({ id, pattern, load: async () => module as unknown as RouteModule }))

/** The app's Worker. */
export function appHandler(overrides?: Partial<HandlerOptions>): MizanHandler {
  return createHandler(appOptions(overrides))
}
