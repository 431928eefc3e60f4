/**
 * Test support: a small real app for the PSR tests (docs/psr.md), in Node and inside workerd —
 * an article whose viewer is a hole under `<Suspense>`, a hole outside any boundary (empty
 * shell), a module with a hole its page never reaches, a page without holes, one with nothing
 * cacheable — and counters of how often each function ran and each shell-only part rendered.
 * @module
 */
import { Suspense, type ReactNode } from 'react'
import type { Manifest, ManifestFunction, ManifestPolicy, ManifestRoute } from '../compiler/manifest-types.ts'
import { client } from '../index.ts'
import { createDataHook } from '../react/hooks.ts'
import { createHandler, type MizanHandler } from './handler.ts'
import type { HandlerOptions } from './options.ts'

/** How often each function ran and each counted component rendered (with its data). */
export const counts = new Map<string, number>()
const count = (name: string): void => void counts.set(name, (counts.get(name) ?? 0) + 1)

/** The session of a request: `user=<name>` in the cookie; `boom=1` makes the viewer function throw. */
const cookie = (request: Request, name: string): string | undefined => request.headers.get('cookie')?.match(new RegExp(`(?:^|; )${name}=(\\w+)`))?.[1]

/** Promises the article function of a slug waits for (set by a test, Node only). */
export const gates = new Map<string, Promise<void>>()

const article = client({ ttl: 300, swr: 600, tags: ['article:{slug}', 'articles'] }, async ({ slug }: { slug: string }, ctx) => {
  count('article')
  await gates.get(slug)
  if (slug === 'missing') return ctx.notFound()
  return { slug, title: `Title of ${slug}` }
})
const viewer = client(false, async (_: {}, ctx) => {
  count('viewer')
  if (cookie(ctx.request, 'boom') !== undefined) throw new Error('the session store is down')
  if (cookie(ctx.request, 'gone') !== undefined) return ctx.notFound()
  return ctx.session<string | null>()
})
const prefs = client({ ttl: 60, scope: 'user' }, async (_: {}, ctx) => (count('prefs'), `${await ctx.session<string | null>()}-dark`))
const title = client({ ttl: 60, tags: ['bare'] }, async () => (count('title'), 'bare title'))
const me = client(false, async (_: {}, ctx) => (count('me'), ctx.session<string | null>()))
const info = client({ ttl: 60, tags: ['info'] }, async () => (count('info'), 'plain info'))
const secret = client(false, async (_: {}, ctx) => (count('secret'), ctx.session<string | null>()))
const tick = client({ ttl: 1, swr: 60, tags: ['tick'] }, async () => (count('tick'), `tick ${counts.get('tick')}`))
const who = client(false, async (_: {}, ctx) => (count('who'), ctx.session<string | null>()))
const maybeInfo = client({ ttl: 60, tags: ['info'] }, async () => (count('maybe-info'), 'maybe info'))
const maybeSecret = client(false, async (_: {}, ctx) => (count('maybe-secret'), ctx.session<string | null>()))

const useArticle = createDataHook<typeof article>('article/[slug]#article')
const useViewer = createDataHook<typeof viewer>('article/[slug]#viewer')
const usePrefs = createDataHook<typeof prefs>('article/[slug]#prefs')
const useTitle = createDataHook<typeof title>('bare#title')
const useMe = createDataHook<typeof me>('bare#me')
const useInfo = createDataHook<typeof info>('plain#info')
const useSecret = createDataHook<typeof secret>('private#secret')
const useTick = createDataHook<typeof tick>('ticker#tick')
const useWho = createDataHook<typeof who>('ticker#who')
const useMaybeInfo = createDataHook<typeof maybeInfo>('maybe#info')
const useMaybeSecret = createDataHook<typeof maybeSecret>('maybe#secret')

function Body({ slug }: { slug: string }): ReactNode {
  const { title } = useArticle({ slug })
  count('render:body')
  return <p id="body">{`Body of ${title}`}</p>
}
function Viewer(): ReactNode {
  const who = useViewer({})
  return <p id="viewer">{`signed in as ${who ?? 'nobody'} (${usePrefs({})})`}</p>
}
function ArticlePage({ params }: { params: { slug: string } }): ReactNode {
  const a = useArticle({ slug: params.slug })
  return (
    <article>
      <h1>{a.title}</h1>
      <Body slug={params.slug} />
      <Suspense fallback={<p id="viewer">loading viewer</p>}>
        <Viewer />
      </Suspense>
    </article>
  )
}
function Heading(): ReactNode {
  const title = useTitle({})
  count('render:bare-heading')
  return <h1>{title}</h1>
}
function Me(): ReactNode {
  return <p id="me">{`me: ${useMe({}) ?? 'nobody'}`}</p>
}
function BarePage(): ReactNode {
  return (
    <main>
      <Heading />
      <Me />
    </main>
  )
}
function PlainPage(): ReactNode {
  return <p id="info">{useInfo({})}</p>
}
function PrivatePage(): ReactNode {
  return <p id="secret">{`secret of ${useSecret({}) ?? 'nobody'}`}</p>
}
function Who(): ReactNode {
  return <p id="who">{`who: ${useWho({}) ?? 'nobody'}`}</p>
}
/** A shell that is fresh for one second, then stale for a minute. */
function TickerPage(): ReactNode {
  return (
    <main>
      <h1>{useTick({})}</h1>
      <Suspense fallback={<p id="who">…</p>}>
        <Who />
      </Suspense>
    </main>
  )
}
/** A module with an uncacheable function the page never calls: the prerender has no hole. */
function MaybePage(): ReactNode {
  const never = false
  return <p id="maybe">{never ? useMaybeSecret({}) : useMaybeInfo({})}</p>
}

const modules: Record<string, Record<string, unknown>> = {
  'article/[slug]': { article, viewer, prefs, default: ArticlePage },
  bare: { title, me, default: BarePage },
  maybe: { info: maybeInfo, secret: maybeSecret, default: MaybePage },
  plain: { info, default: PlainPage },
  private: { secret, default: PrivatePage },
  ticker: { tick, who, default: TickerPage },
}

const pol = (ttl: number, swr: number, tags: string[], scope: 'public' | 'user' = 'public'): ManifestPolicy => ({ ttl, swr, staleIfError: 0, tags, scope })
const fn = (route: string, name: string, policy: ManifestPolicy | false): [string, ManifestFunction] => [
  `${route}#${name}`,
  { route, export: name, hook: `use${name[0]!.toUpperCase()}${name.slice(1)}`, version: '0123456789ab', policy },
]
const route = (id: string, pattern: string, functions: string[]): ManifestRoute => ({
  id, path: `/${id}`, pattern, file: `src/routes/${id}.tsx`, params: [], catchAll: null, search: null, functions,
})

/** The manifest of the PSR app for build `buildId`. */
export function psrManifest(buildId = 'b0000000000000a1'): Manifest {
  return {
    version: 1,
    buildId,
    routes: [
      route('bare', '/bare', ['bare#me', 'bare#title']),
      route('maybe', '/maybe', ['maybe#info', 'maybe#secret']),
      route('plain', '/plain', ['plain#info']),
      route('private', '/private', ['private#secret']),
      route('ticker', '/ticker', ['ticker#tick', 'ticker#who']),
      route('article/[slug]', '/article/:slug', ['article/[slug]#article', 'article/[slug]#prefs', 'article/[slug]#viewer']),
    ],
    functions: Object.fromEntries(
      [
        fn('article/[slug]', 'article', pol(300, 600, ['article:{slug}', 'articles'])),
        fn('article/[slug]', 'prefs', pol(60, 0, [], 'user')),
        fn('article/[slug]', 'viewer', false),
        fn('bare', 'me', false),
        fn('bare', 'title', pol(60, 0, ['bare'])),
        fn('maybe', 'info', pol(60, 0, ['info'])),
        fn('maybe', 'secret', false),
        fn('plain', 'info', pol(60, 0, ['info'])),
        fn('private', 'secret', false),
        fn('ticker', 'tick', pol(1, 60, ['tick'])),
        fn('ticker', 'who', false),
      ].sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    actions: {},
    purge: { tags: {} },
  }
}

/** The PSR app's Worker for build `buildId`, with `overrides` (a backend, `onError`…). */
export function psrHandler(buildId?: string, overrides: Partial<HandlerOptions> = {}): MizanHandler {
  const manifest = psrManifest(buildId)
  return createHandler({
    manifest,
    document: ({ children }: { children?: ReactNode }) => (
      <html lang="en">
        <head>
          <title>psr</title>
        </head>
        <body>{children}</body>
      </html>
    ),
    session: (request) => cookie(request, 'user') ?? null,
    routes: manifest.routes.map((r) => ({ id: r.id, pattern: r.pattern, module: modules[r.id]! })),
    clientEntry: '/assets/client.js',
    css: ['/assets/app.css'],
    onError: () => {},
    ...overrides,
  })
}
