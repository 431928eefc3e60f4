/**
 * Test support: a small real app for the cache tests — public functions with tags (templates
 * and `ctx.addTags`), a `client(false)` route that looks like a static file, a page mixing
 * lifetimes, a function with too many tags, one that fails on demand — and counters of how
 * often each function really ran.
 * @module
 */
import type { ReactNode } from 'react'
import type { Manifest, ManifestFunction, ManifestPolicy, ManifestRoute } from '../compiler/manifest-types.ts'
import { client } from '../index.ts'
import { createDataHook } from '../react/hooks.ts'
import type { ClientFn } from '../types.ts'
import { createHandler, type MizanHandler } from './handler.ts'
import type { HandlerOptions } from './options.ts'

/** The "database" and how often each function ran. */
export const db = {
  posts: new Map<string, { title: string; author: string }>(),
  about: 'v1',
  fail: false,
  calls: new Map<string, number>(),
  reset(): void {
    this.posts = new Map([
      ['hello', { title: 'Hello', author: 'ada' }],
      ['second', { title: 'Second', author: 'bob' }],
    ])
    this.about = 'v1'
    this.fail = false
    this.calls.clear()
  },
}
db.reset()

/** How many times `id` ran since the last reset. */
export const calls = (id: string): number => db.calls.get(id) ?? 0
const ran = (id: string): void => void db.calls.set(id, calls(id) + 1)

const list = client({ ttl: 60, tags: ['posts'] }, async () => (ran('index#list'), [...db.posts.keys()].sort()))
const post = client({ ttl: 300, swr: 3600, tags: ['post:{slug}', 'posts'] }, async ({ slug }: { slug: string }, ctx) => {
  ran('posts/[slug]#post')
  const found = db.posts.get(slug)
  if (found === undefined) return ctx.notFound()
  ctx.addTags(`Author:${found.author}`)
  return { slug, ...found }
})
const info = client({ ttl: 60, tags: ['about'] }, async () => (ran('about#info'), db.about))
const me = client(false, async (_: {}, ctx) => (ran('account/[file]#me'), ctx.session<string | null>()))
const prefs = client({ ttl: 60, scope: 'user' }, async (_: {}, ctx) => (ran('account/[file]#prefs'), { theme: `${await ctx.session<string | null>()}-dark` }))
const headline = client({ ttl: 300, tags: ['headline'] }, async () => (ran('mixed#headline'), 'news'))
const stale = client({ ttl: 1, swr: 60, tags: ['stale'] }, async () => (ran('stale#value'), db.about))
const many = client({ ttl: 60 }, async (_: {}, ctx) => {
  ran('many#tags')
  ctx.addTags(...Array.from({ length: 1001 }, (_, i) => `t${i}`))
  return 'many'
})
const flaky = client({ ttl: 60, tags: ['flaky'] }, async () => {
  ran('flaky#value')
  if (db.fail) throw new Error('the origin is down')
  return 'ok'
})

function page<F extends ClientFn<any, any>>(id: string, render: (value: any) => ReactNode, params: (p: Record<string, unknown>) => object = () => ({})) {
  const hook = createDataHook<F>(id)
  return function Page({ params: p }: { params: Record<string, unknown> }): ReactNode {
    return render(hook(params(p) as never))
  }
}

const useList = createDataHook<typeof list>('index#list')
function Mixed(): ReactNode {
  const news = createDataHook<typeof headline>('mixed#headline')({})
  return <p>{`${news}: ${useList({}).join(',')}`}</p>
}

const modules: Record<string, Record<string, unknown>> = {
  index: { list, search: ['page'], default: page('index#list', (slugs: string[]) => <ul>{slugs.map((s) => <li key={s}>{s}</li>)}</ul>) },
  about: { info, default: page('about#info', (v: string) => <p>{`about ${v}`}</p>) },
  'account/[file]': { me, prefs, default: page('account/[file]#me', (who: string | null) => <p>{`private to ${who ?? 'nobody'}`}</p>) },
  flaky: { value: flaky, default: page('flaky#value', (v: string) => <p>{v}</p>) },
  many: { tags: many, default: page('many#tags', (v: string) => <p>{v}</p>) },
  mixed: { headline, default: Mixed },
  'posts/[slug]': { post, default: page('posts/[slug]#post', (p: { title: string }) => <h1>{p.title}</h1>, (p) => ({ slug: p['slug'] })) },
  stale: { value: stale, default: page('stale#value', (v: string) => <p>{v}</p>) },
}

const pol = (ttl: number, swr: number, tags: string[]): ManifestPolicy => ({ ttl, swr, staleIfError: 0, tags, scope: 'public' })
const fn = (route: string, name: string, policy: ManifestPolicy | false): [string, ManifestFunction] => [
  `${route}#${name}`,
  { route, export: name, hook: `use${name[0]!.toUpperCase()}${name.slice(1)}`, version: '0123456789ab', policy },
]
const route = (id: string, pattern: string, functions: string[], search: string[] | null = null): ManifestRoute => ({
  id, path: `/${id}`, pattern, file: `src/routes/${id}.tsx`, params: [], catchAll: null, search, functions,
})

/** The manifest of the cache app. */
export const cacheManifest: Manifest = {
  version: 1,
  buildId: 'cafe0000cafe0000',
  routes: [
    route('about', '/about', ['about#info']),
    route('flaky', '/flaky', ['flaky#value']),
    route('many', '/many', ['many#tags']),
    route('mixed', '/mixed', ['mixed#headline']),
    route('stale', '/stale', ['stale#value']),
    route('account/[file]', '/account/:file', ['account/[file]#me', 'account/[file]#prefs']),
    route('posts/[slug]', '/posts/:slug', ['posts/[slug]#post']),
    route('index', '/', ['index#list'], ['page']),
  ],
  functions: Object.fromEntries([
    fn('about', 'info', pol(60, 0, ['about'])),
    fn('account/[file]', 'me', false),
    fn('account/[file]', 'prefs', { ...pol(60, 0, []), scope: 'user' }),
    fn('flaky', 'value', pol(60, 0, ['flaky'])),
    fn('index', 'list', pol(60, 0, ['posts'])),
    fn('many', 'tags', pol(60, 0, [])),
    fn('mixed', 'headline', pol(300, 0, ['headline'])),
    fn('posts/[slug]', 'post', pol(300, 3600, ['post:{slug}', 'posts'])),
    fn('stale', 'value', pol(1, 60, ['stale'])),
  ]),
  actions: {},
  purge: { tags: {} },
}

/** The cache app's Worker with `overrides` (a backend, a replay store, a CDN purger…). */
export function cacheHandler(overrides: Partial<HandlerOptions> = {}): MizanHandler {
  return createHandler({
    manifest: cacheManifest,
    document: ({ children }: { children?: ReactNode }) => (
      <html lang="en">
        <head />
        <body>{children}</body>
      </html>
    ),
    session: (request) => request.headers.get('cookie')?.match(/user=(\w+)/)?.[1] ?? null,
    routes: cacheManifest.routes.map((r) => ({ id: r.id, pattern: r.pattern, module: modules[r.id]! })),
    clientEntry: '/assets/client.js',
    onError: () => {},
    ...overrides,
  })
}
