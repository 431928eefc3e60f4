/**
 * Calling a data function through the cache: public functions go through `cacheFetch` under
 * `{ fn: <id>, version }` with their policy (tags filled from the params, plus `ctx.addTags`);
 * `false` and `scope: 'user'` functions, and every function while caching is off, are called
 * directly and nothing is stored.
 * @module
 */
import { cacheFetch, fillTagTemplate, normalizeTags, TagError } from '@mizan/core'
import { CallContext, type RequestContext } from './context.ts'
import { survivesJson } from './json.ts'
import type { CompiledFunction } from './options.ts'
import type { RequestCache } from './runtime.ts'

/** `x-mizan-cache` values. */
export type CacheState = 'HIT' | 'STALE' | 'MISS' | 'BYPASS'

/**
 * A data function's result and what the cache did.
 *
 * @example
 * ```ts
 * const { value, state, tags, cacheable } = await callFunction(fn, params, ctx, cache)
 * ```
 */
export interface CallResult {
  readonly value: unknown
  readonly state: CacheState
  /**
   * The `Cache-Tag` value (normalised, within the limits; `''` for none), or `null` when the
   * result must never be shared: the function is `false` or per-user, or its tags break the limits.
   */
  readonly cacheTag: string | null
  /** Normalised tags of the entry (empty when not cacheable). */
  readonly tags: readonly string[]
}

/**
 * Runs `fn` for `params` (parsed, canonical), through the cache when its policy allows.
 *
 * @example
 * ```ts
 * const result = await callFunction(fn, { slug: 'a' }, requestContext, await runtime.cacheFor(request, env, ctx))
 * ```
 */
export async function callFunction(fn: CompiledFunction, params: object, ctx: RequestContext, cache: RequestCache | null): Promise<CallResult> {
  const policy = fn.cachePolicy
  const filled = policy === null ? null : fillTags(fn.tagTemplates, params)
  if (policy === null || filled === null || cache === null) {
    const added: string[] = []
    const value = await fn.call(params, new CallContext(ctx, (...tags) => void added.push(...tags)))
    const cacheTag = filled === null ? null : cacheTagOf([...filled, ...added])
    return { value, state: 'BYPASS', cacheTag, tags: tagList(cacheTag) }
  }
  const result = await cacheFetch<unknown>({
    secret: cache.secret,
    backend: cache.backend,
    context: fn.context,
    params,
    policy: { ...policy, tags: filled },
    compute: async ({ addTags }) => jsonValue(await fn.call(params, new CallContext(ctx, addTags))),
    waitUntil: cache.waitUntil,
  })
  const cacheTag = cacheTagOf(result.tags)
  return { value: result.value, state: cacheTag === null ? 'BYPASS' : result.state, cacheTag, tags: tagList(cacheTag) }
}

/**
 * The `Cache-Tag` header of normalised `tags`, `''` for none, or `null` when they break the
 * limits (then the response must not be stored by any shared cache: it could not be purged).
 *
 * @example
 * ```ts
 * cacheTagOf(['posts', 'Post:A']) // 'post:a,posts'
 * ```
 */
export function cacheTagOf(tags: readonly string[]): string | null {
  try {
    return normalizeTags(tags).join(',')
  } catch (error) {
    if (error instanceof TagError) return null
    throw error
  }
}

const NO_TAGS: readonly string[] = Object.freeze([])

function tagList(cacheTag: string | null): readonly string[] {
  return cacheTag === null || cacheTag === '' ? NO_TAGS : cacheTag.split(',')
}

/** Filled tag templates, or `null` when the params cannot fill them (then nothing is cached). */
function fillTags(templates: readonly string[], params: object): string[] | null {
  try {
    return templates.map((template) => fillTagTemplate(template, params as Record<string, unknown>))
  } catch (error) {
    if (error instanceof TagError) return null
    throw error
  }
}

/** What the cache can keep and give back unchanged: the value's JSON form (`undefined` is `null`). */
function jsonValue(value: unknown): unknown {
  if (survivesJson(value)) return value
  const json = JSON.stringify(value)
  return json === undefined ? null : JSON.parse(json)
}
