/**
 * The public types of `mizan`: data functions (`ClientFn`, `DataContext`, `PolicyInput`), the
 * hook types inferred from them (`ParamsOf`, `ResultOf`, `DataHook`) and page props derived
 * from route paths (`PathParams`, `PageProps`, `Register`). Generated declarations hold only
 * literals; every piece of type logic lives here, tested in `types.test-d.ts`.
 * @module
 */
import type { ACTION_FN, CLIENT_FN } from './brand.ts'

/** Units of a duration string: seconds, minutes, hours, days, weeks. */
export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w'

/**
 * Seconds as a number, or a duration string such as `'30s'`, `'5m'`, `'1h30m'`.
 *
 * @example
 * ```ts
 * const ttl: Duration = '5m'
 * ```
 */
export type Duration =
  | number
  | `${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${DurationUnit}${number}${DurationUnit}`

/**
 * The static cache policy of a data function (an object literal: the build reads it).
 *
 * @example
 * ```ts
 * const policy: PolicyInput = { ttl: '5m', swr: '1h', tags: ['post:{slug}', 'posts'] }
 * ```
 */
export interface PolicyInput {
  /** How long a result is fresh. */
  readonly ttl: Duration
  /** How long after `ttl` a stale result is served while one refresh runs. */
  readonly swr?: Duration
  /** How long after that a stale result is served when recomputing fails. */
  readonly staleIfError?: Duration
  /** Cache tags; `{name}` is filled from the params (`'post:{slug}'`). */
  readonly tags?: readonly string[]
  /** `'user'`: the result depends on who asks and is never stored in a shared cache. */
  readonly scope?: 'public' | 'user'
}

/**
 * The params of a matched route: one string per `[name]` segment, a string array for a
 * `[...name]` catch-all.
 *
 * @example
 * ```ts
 * const params: RouteParams = { slug: 'hello', rest: ['a', 'b'] }
 * ```
 */
export type RouteParams = Readonly<Record<string, string | string[]>>

/**
 * What a data function receives besides its params.
 *
 * @example
 * ```ts
 * const post = client({ ttl: '5m' }, async ({ slug }: { slug: string }, ctx: DataContext) => {
 *   const res = await ctx.origin.fetch(`/api/posts/${slug}`)
 *   if (res.status === 404) ctx.notFound()
 *   return (await res.json()) as Post
 * })
 * ```
 */
export interface DataContext {
  /** The incoming request, with Mizan-internal headers removed. */
  readonly request: Request
  /**
   * The page route's params while a page renders; `{}` when the function is called through
   * the data endpoint — read what you need from the function's own params.
   */
  readonly params: RouteParams
  /** Your backend: `fetch('/api/posts')` resolves against the Worker's `MIZAN_ORIGIN` var. */
  readonly origin: { fetch(path: string, init?: RequestInit): Promise<Response> }
  /** Ends the function: the page answers with the 404 page, the data endpoint with 404. */
  notFound(): never
  /** What `src/session.server.ts` returns for this request (called at most once a request). */
  session<T = unknown>(): Promise<T>
  /** The Worker's bindings and vars. */
  readonly env: unknown
  /** Adds cache tags known only at run time. */
  addTags(...tags: string[]): void
}

/** Type-only carrier of a data function's params and result; never present at run time. */
declare const types: unique symbol

/**
 * A data function made by `client()`. On the server it holds the policy and the function;
 * in the browser the build replaces it by a stub that holds only `id`.
 *
 * @example
 * ```ts
 * export const post: ClientFn<{ slug: string }, Post> = client({ ttl: 60 }, getPost)
 * ```
 */
export interface ClientFn<P extends object = any, R = unknown> {
  readonly [CLIENT_FN]: true
  /** The function id (`posts/[slug]#post`), present on browser stubs. */
  readonly id?: string
  readonly policy: PolicyInput | false
  readonly fn: (params: P, ctx: DataContext) => Promise<R> | R
  readonly [types]?: { readonly params: P; readonly result: R }
}

/**
 * The params type of a data function.
 *
 * @example
 * ```ts
 * type P = ParamsOf<typeof post> // { slug: string }
 * ```
 */
export type ParamsOf<F> = F extends ClientFn<infer P, any> ? P : never

/**
 * The (awaited) result type of a data function.
 *
 * @example
 * ```ts
 * type R = ResultOf<typeof post> // Post
 * ```
 */
export type ResultOf<F> = F extends ClientFn<any, infer R> ? R : F extends ActionFn<any, infer R> ? R : never

/**
 * The hook generated for a data function: same params, the result without a promise
 * (the component suspends until it is there). `id` is the function id.
 *
 * @example
 * ```ts
 * declare const usePost: DataHook<typeof post>
 * const p = usePost({ slug: 'hello' }) // Post
 * ```
 */
export interface DataHook<F extends ClientFn<any, any>> {
  (params: ParamsOf<F>): ResultOf<F>
  readonly id: string
}

/**
 * The static options of an action (an object literal: the build reads it).
 *
 * @example
 * ```ts
 * const options: ActionOptions = { tags: ['post:{slug}', 'posts'] }
 * ```
 */
export interface ActionOptions {
  /** Tags purged after the action succeeds; `{name}` is filled from the input (`'post:{slug}'`). */
  readonly tags?: readonly string[]
}

/**
 * A mutation made by `action()`: POST-only, never cached, purging its tags after it succeeds.
 * In the browser the build replaces it by a stub that holds only `id`.
 *
 * @example
 * ```ts
 * export const addComment: ActionFn<{ slug: string; body: string }, Comment> = action({ tags: ['post:{slug}'] }, add)
 * ```
 */
export interface ActionFn<I extends object = any, R = unknown> {
  readonly [ACTION_FN]: true
  /** The action id (`posts/[slug]#addComment`), present on browser stubs. */
  readonly id?: string
  readonly options: ActionOptions
  readonly fn: (input: I, ctx: DataContext) => Promise<R> | R
  readonly [types]?: { readonly input: I; readonly result: R }
}

/**
 * The input type of an action.
 *
 * @example
 * ```ts
 * type I = InputOf<typeof addComment> // { slug: string; body: string }
 * ```
 */
export type InputOf<F> = F extends ActionFn<infer I, any> ? I : never

/**
 * What the generated action hook (`useAddComment()`) returns: `run` posts the input, waits for
 * the purge, refetches the page's data and resolves with the action's result (it rejects with a
 * `DataError`); `pending` and `error` re-render the component.
 *
 * @example
 * ```tsx
 * const addComment: ActionState<typeof addCommentFn> = useAddComment()
 * <button disabled={addComment.pending} onClick={() => addComment.run({ slug, body })}>Post</button>
 * ```
 */
export interface ActionState<F extends ActionFn<any, any>> {
  run(input: InputOf<F>): Promise<ResultOf<F>>
  readonly pending: boolean
  /** The last run's failure (a `DataError` in the browser), `null` once a run starts. */
  readonly error: Error | null
}

/**
 * The hook generated for an action. `id` is the action id.
 *
 * @example
 * ```ts
 * declare const useAddComment: ActionHook<typeof addComment>
 * const { run, pending, error } = useAddComment()
 * ```
 */
export interface ActionHook<F extends ActionFn<any, any>> {
  (): ActionState<F>
  readonly id: string
}

type SegmentParams<S extends string> = S extends `[...${infer Name}]`
  ? { [K in Name]: string[] }
  : S extends `[${infer Name}]`
    ? { [K in Name]: string }
    : {}

type SegmentsParams<P extends string> = P extends `${infer Head}/${infer Tail}`
  ? SegmentParams<Head> & SegmentsParams<Tail>
  : SegmentParams<P>

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/**
 * The params of a route path: `'/posts/[slug]'` → `{ slug: string }`,
 * `'/docs/[...rest]'` → `{ rest: string[] }`, `'/'` → `{}`.
 *
 * @example
 * ```ts
 * const p: PathParams<'/users/[id]/posts/[slug]'> = { id: '1', slug: 'hello' }
 * ```
 */
export type PathParams<Path extends string> = Simplify<SegmentsParams<Path>>

/**
 * Filled by the generated `.mizan/types/register.d.ts` (`mizan typegen` or a build): every
 * route path of the app and the search params it declares, as literals.
 *
 * @example
 * ```ts
 * declare module 'mizan' {
 *   interface Register {
 *     routes: { '/': { search: never }; '/posts/[slug]': { search: 'page' } }
 *   }
 * }
 * ```
 */
export interface Register {}

type Routes = Register extends { routes: infer R extends object } ? R : Record<string, { search: string }>

/**
 * A route path of the app (`'/posts/[slug]'`); any string until types are generated.
 *
 * @example
 * ```ts
 * const path: RoutePath = '/posts/[slug]'
 * ```
 */
export type RoutePath = keyof Routes & string

/**
 * The search params a route declared (`export const search = ['page'] as const`); the
 * others never reach the page.
 *
 * @example
 * ```ts
 * const s: SearchParams<'/'> = { page: '2' }
 * ```
 */
export type SearchParams<Path extends RoutePath> = SearchParamsIn<Routes, Path>

/**
 * The props of a page component.
 *
 * @example
 * ```tsx
 * export default function PostPage({ params, search }: PageProps<'/posts/[slug]'>) {
 *   return <h1>{params.slug} page {search.page ?? '1'}</h1>
 * }
 * ```
 */
export type PageProps<Path extends RoutePath = RoutePath> = PagePropsIn<Routes, Path>

/**
 * `SearchParams` over an explicit route table (what `Register['routes']` holds).
 *
 * @example
 * ```ts
 * type S = SearchParamsIn<{ '/': { search: 'page' } }, '/'> // { readonly page?: string }
 * ```
 */
export type SearchParamsIn<R, Path extends keyof R & string> = R[Path] extends { search: infer S extends string }
  ? { readonly [K in S]?: string }
  : {}

/**
 * `PageProps` over an explicit route table (what `Register['routes']` holds).
 *
 * @example
 * ```ts
 * type P = PagePropsIn<{ '/posts/[slug]': { search: never } }, '/posts/[slug]'>
 * ```
 */
export interface PagePropsIn<R, Path extends keyof R & string> {
  readonly params: PathParams<Path>
  readonly search: SearchParamsIn<R, Path>
}
