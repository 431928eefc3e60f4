/**
 * The storage id of a data function's cache space. It depends on the function id and
 * version only — not on the secret — so purging a whole context needs no secret and
 * covers the entries written under every key id during a rotation.
 *
 * @module
 */
import { sha256 } from '#crypto'
import { base64urlEncode } from './bytes.ts'
import { encodeFields } from './encoding.ts'
import { MizanError } from './errors.ts'
import type { CacheContext } from './types.ts'

/**
 * Length of a context id: 22 base64url chars = 132 bits of SHA-256.
 *
 * @example
 * ```ts
 * (await contextId({ fn: 'posts#list', version: '1' })).length === CONTEXT_ID_LENGTH
 * ```
 */
export const CONTEXT_ID_LENGTH = 22
const MEMO_LIMIT = 1024
/** Keyed by `<fn length>:<fn><version>`: the length prefix keeps (fn, version) unambiguous. */
const memo = new Map<string, string>()
/**
 * The same, by context object: callers pass the same manifest object on every request, and
 * an identity lookup skips building and hashing the string key. The fields are compared
 * too, so a context object mutated in place is not given its old id.
 */
const byObject = new WeakMap<CacheContext, { readonly fn: string; readonly version: string; readonly id: string }>()

function memoKey(context: CacheContext): string {
  return `${context.fn.length}:${context.fn}${context.version}`
}

/**
 * The memoised id of `context`, or `undefined` when it has not been computed yet (a
 * synchronous fast path for `entryRef`).
 */
export function memoizedContextId(context: CacheContext): string | undefined {
  const known = byObject.get(context)
  if (known !== undefined && known.fn === context.fn && known.version === context.version) return known.id
  if (typeof context?.fn !== 'string' || typeof context.version !== 'string') return undefined
  const id = memo.get(memoKey(context))
  if (id !== undefined) byObject.set(context, { fn: context.fn, version: context.version, id })
  return id
}

/**
 * `base64url(SHA-256(encodeFields(["mizan-context", "1", fn, version])))` cut to 22 chars.
 * Memoised (a small bounded map: there are as many contexts as data functions).
 *
 * @example
 * ```ts
 * await contextId({ fn: 'posts/[slug]#post', version: '3f9a1c' }) // 22 base64url chars
 * ```
 */
export async function contextId(context: CacheContext): Promise<string> {
  const known = memoizedContextId(context)
  if (known !== undefined) return known
  checkContext(context)
  const digest = await sha256(encodeFields(['mizan-context', '1', context.fn, context.version]))
  const id = base64urlEncode(digest).slice(0, CONTEXT_ID_LENGTH)
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!)
  memo.set(memoKey(context), id)
  byObject.set(context, { fn: context.fn, version: context.version, id })
  return id
}

/**
 * Throws a `MizanError` (`MIZAN_CONFIG`) unless `context` has a non-empty string `fn` and a
 * string `version`.
 *
 * @example
 * ```ts
 * checkContext({ fn: 'posts#list', version: '1' }) // ok
 * ```
 */
export function checkContext(context: CacheContext): void {
  const { fn, version } = (context ?? {}) as Partial<CacheContext>
  if (typeof fn !== 'string' || fn === '' || typeof version !== 'string') {
    throw new MizanError(
      'MIZAN_CONFIG',
      `A cache context must be { fn: string (non-empty), version: string }, got ${describeContext(context)}. Use the ids from the build manifest, e.g. { fn: 'posts/[slug]#post', version: '3f9a1c' }.`,
    )
  }
}

function describeContext(context: unknown): string {
  try {
    return JSON.stringify(context) ?? String(context)
  } catch {
    return String(context)
  }
}
