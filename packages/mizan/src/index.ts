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
import { CLIENT_FN } from './brand.ts'
import type { ClientFn, DataContext, PolicyInput } from './types.ts'

export type {
  ClientFn,
  DataContext,
  DataHook,
  Duration,
  DurationUnit,
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

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
