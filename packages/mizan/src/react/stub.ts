/**
 * What the browser build puts in place of a `client()` function.
 * @module
 */
import { ACTION_FN, CLIENT_FN } from '../brand.ts'

/**
 * A browser stand-in for a data function: carries only its id (the body never reaches the
 * browser), enough for `refetch(post, params)`.
 *
 * @example
 * ```ts
 * export const post = clientStub('posts/[slug]#post')
 * ```
 */
export function clientStub(id: string): { readonly [CLIENT_FN]: true; readonly id: string } {
  return Object.freeze({ [CLIENT_FN]: true as const, id })
}

/**
 * A browser stand-in for an action: carries only its id (the body never reaches the browser).
 *
 * @example
 * ```ts
 * export const addComment = actionStub('posts/[slug]#addComment')
 * ```
 */
export function actionStub(id: string): { readonly [ACTION_FN]: true; readonly id: string } {
  return Object.freeze({ [ACTION_FN]: true as const, id })
}
