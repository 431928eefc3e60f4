// Type tests, checked by `pnpm typecheck` (tsc): a wrong type here fails the build.
import { action, client } from './index.ts'
import type { ActionFn, ActionHook, ClientFn, DataHook, InputOf, ParamsOf, PathParams, PolicyInput, ResultOf } from './index.ts'
import type { PagePropsIn, SearchParamsIn } from './types.ts'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type Expect<T extends true> = T

interface Post {
  slug: string
  title: string
}

const post = client({ ttl: '5m', swr: '1h', tags: ['post:{slug}', 'posts'] }, async ({ slug }: { slug: string }) => ({ slug, title: slug }) as Post)
const viewer = client(false, async (_: {}, ctx) => ctx.session<{ name: string } | null>())
const count = client({ ttl: 60, scope: 'user' }, (p: { n: number; tags?: string[] }) => p.n * 2)

export type Cases = [
  Expect<Equal<typeof post, ClientFn<{ slug: string }, Post>>>,
  Expect<Equal<ParamsOf<typeof post>, { slug: string }>>,
  Expect<Equal<ResultOf<typeof post>, Post>>,
  Expect<Equal<ResultOf<typeof viewer>, { name: string } | null>>,
  Expect<Equal<ParamsOf<typeof count>, { n: number; tags?: string[] }>>,
  Expect<Equal<ResultOf<typeof count>, number>>,
  Expect<Equal<Parameters<DataHook<typeof post>>, [params: { slug: string }]>>,
  Expect<Equal<ReturnType<DataHook<typeof post>>, Post>>,
  Expect<Equal<PathParams<'/'>, {}>>,
  Expect<Equal<PathParams<'/about'>, {}>>,
  Expect<Equal<PathParams<'/posts/[slug]'>, { slug: string }>>,
  Expect<Equal<PathParams<'/docs/[...rest]'>, { rest: string[] }>>,
  Expect<Equal<PathParams<'/users/[id]/posts/[slug]'>, { id: string; slug: string }>>,
  Expect<Equal<PathParams<'/[lang]/docs/[...rest]'>, { lang: string; rest: string[] }>>,
  Expect<Equal<PagePropsIn<Unregistered, '/posts/[slug]'>['params'], { slug: string }>>,
  // Without a generated Register every path is accepted and any search param may be read.
  Expect<Equal<SearchParamsIn<Unregistered, '/posts/[slug]'>, { readonly [name: string]: string | undefined }>>,
]

// These tests use explicit route tables: `PageProps<Path>` is `PagePropsIn<Register['routes'], Path>`,
// and a Register augmentation anywhere in the program would change what it means here.
type Unregistered = Record<string, { search: string }>

declare const usePost: DataHook<typeof post>
export const ok: Post = usePost({ slug: 'hello' })
// @ts-expect-error a wrong param name
usePost({ id: 'hello' })
// @ts-expect-error a wrong param type
usePost({ slug: 1 })
// @ts-expect-error a missing param
usePost({})

export const page = ({ params }: PagePropsIn<Unregistered, '/posts/[slug]'>): string => params.slug
// @ts-expect-error a param the path does not have
export const wrong = ({ params }: PagePropsIn<Unregistered, '/posts/[slug]'>): string => params.id
// @ts-expect-error a catch-all is an array
export const rest = ({ params }: PagePropsIn<Unregistered, '/docs/[...rest]'>): string => params.rest

// What a generated Register holds: the route table decides which paths and search params exist.
interface AppRoutes {
  '/': { search: 'page' | 'sort' }
  '/posts/[slug]': { search: never }
}
export type RegisteredCases = [
  Expect<Equal<PagePropsIn<AppRoutes, '/'>['search'], { readonly page?: string; readonly sort?: string }>>,
  Expect<Equal<PagePropsIn<AppRoutes, '/posts/[slug]'>['search'], {}>>,
  Expect<Equal<PagePropsIn<AppRoutes, '/posts/[slug]'>['params'], { slug: string }>>,
]
// @ts-expect-error a path that is not a route of the app
export type Typo = PagePropsIn<AppRoutes, '/post/[slug]'>
export const readSearch = ({ search }: PagePropsIn<AppRoutes, '/'>): string => search.page ?? '1'
// @ts-expect-error a search param the route did not declare
export const undeclared = ({ search }: PagePropsIn<AppRoutes, '/'>): string | undefined => search.q

export const policies: PolicyInput[] = [{ ttl: 300 }, { ttl: '1h30m', swr: '1d', staleIfError: '1w', scope: 'public' }, { ttl: '1d2h3m' }]
// @ts-expect-error not a duration
export const badTtl: PolicyInput = { ttl: '5 minutes' }
// @ts-expect-error unknown scope
export const badScope: PolicyInput = { ttl: 1, scope: 'private' }
// @ts-expect-error a policy needs a ttl
client({ tags: ['x'] }, async () => 1)

const addComment = action({ tags: ['post:{slug}'] }, async (input: { slug: string; body: string }) => ({ id: 1, body: input.body }))
const ping = action({}, () => 'pong' as const)
export type ActionCases = [
  Expect<Equal<typeof addComment, ActionFn<{ slug: string; body: string }, { id: number; body: string }>>>,
  Expect<Equal<InputOf<typeof addComment>, { slug: string; body: string }>>,
  Expect<Equal<ResultOf<typeof addComment>, { id: number; body: string }>>,
  Expect<Equal<ResultOf<typeof ping>, 'pong'>>,
  Expect<Equal<Parameters<ReturnType<ActionHook<typeof addComment>>['run']>, [input: { slug: string; body: string }]>>,
  Expect<Equal<ReturnType<ReturnType<ActionHook<typeof addComment>>['run']>, Promise<{ id: number; body: string }>>>,
  Expect<Equal<ReturnType<ActionHook<typeof addComment>>['pending'], boolean>>,
  // A data function is not an action and the other way round.
  Expect<Equal<InputOf<typeof post>, never>>,
  Expect<Equal<ParamsOf<typeof addComment>, never>>,
]
// @ts-expect-error an action takes only tags
action({ ttl: 60 }, async () => 1)
// @ts-expect-error a data hook cannot be made from an action
export type NotAData = DataHook<typeof addComment>
