/**
 * `mizan`: declare data functions with their cache policy.
 *
 * @example
 * ```ts
 * import { client, type PageProps } from 'mizan'
 * export const post = client({ ttl: '5m', tags: ['post:{slug}'] }, async ({ slug }: { slug: string }, ctx) =>
 *   (await ctx.origin.fetch(`/api/posts/${slug}`)).json() as Promise<Post>)
 * ```
 * @module
 */
import { PolicyError } from '@mizan/core'
import { ACTION_FN, CLIENT_FN } from './brand.ts'
import type { ActionFn, ActionOptions, ClientFn, DataContext, PolicyInput } from './types.ts'

export type {
  ActionFn,
  ActionHook,
  ActionOptions,
  ActionState,
  ClientFn,
  DataContext,
  DataHook,
  Duration,
  DurationUnit,
  InputOf,
  PageProps,
  ParamsOf,
  PathParams,
  PolicyInput,
  Register,
  ResultOf,
  RouteParams,
  RoutePath,
  SearchParams,
} from './types.ts'

/**
 * Declares a data function and its cache policy (`false`: never cached). The build reads
 * the policy statically, generates a typed hook (`post` → `usePost`) and, in the browser,
 * replaces the function by a call to the data endpoint.
 *
 * @example
 * ```ts
 * export const post = client({ ttl: '5m', swr: '1h', tags: ['post:{slug}', 'posts'] },
 *   async ({ slug }: { slug: string }, ctx) => {
 *     const res = await ctx.origin.fetch(`/api/posts/${slug}`)
 *     if (res.status === 404) ctx.notFound()
 *     return (await res.json()) as Post
 *   })
 * export const viewer = client(false, async (_: {}, ctx) => ctx.session())
 * ```
 */
export function client<P extends object, R>(
  policy: PolicyInput | false,
  fn: (params: P, ctx: DataContext) => Promise<R> | R,
): ClientFn<P, Awaited<R>> {
  if (policy !== false && (typeof policy !== 'object' || policy === null || Array.isArray(policy))) {
    throw new PolicyError(`client(): the policy must be an object literal such as { ttl: '5m' } or false (never cached), got ${describe(policy)}.`)
  }
  if (typeof fn !== 'function') {
    throw new PolicyError(`client(): the second argument must be the data function, got ${describe(fn)}. Write client({ ttl: '5m' }, async (params, ctx) => …).`)
  }
  return Object.freeze({ [CLIENT_FN]: true as const, policy, fn: fn as ClientFn<P, Awaited<R>>['fn'] })
}

/**
 * Declares an action (a mutation): POST-only through `/_mizan/action/<id>`, never cached. After
 * it succeeds the Worker purges its `tags` (`{name}` filled from the input) from its own cache,
 * so the next read is fresh. The build generates its hook (`addComment` → `useAddComment`) and
 * strips the body from the browser bundle. Return expected failures as values; a throw answers
 * 500 and purges nothing.
 *
 * @example
 * ```ts
 * export const addComment = action({ tags: ['post:{slug}', 'posts'] },
 *   async (input: { slug: string; body: string }, ctx) => {
 *     const res = await ctx.origin.fetch(`/api/posts/${input.slug}/comments`, { method: 'POST', body: JSON.stringify(input) })
 *     if (!res.ok) throw new Error(`the backend answered ${res.status}`)
 *     return (await res.json()) as Comment
 *   })
 * ```
 */
export function action<I extends object, R>(
  options: ActionOptions,
  fn: (input: I, ctx: DataContext) => Promise<R> | R,
): ActionFn<I, Awaited<R>> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PolicyError(`action(): the options must be an object literal such as { tags: ['posts'] }, got ${describe(options)}.`)
  }
  if (typeof fn !== 'function') {
    throw new PolicyError(`action(): the second argument must be the action function, got ${describe(fn)}. Write action({ tags: ['posts'] }, async (input, ctx) => …).`)
  }
  return Object.freeze({ [ACTION_FN]: true as const, options, fn: fn as ActionFn<I, Awaited<R>>['fn'] })
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
