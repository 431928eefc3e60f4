/**
 * What a purger is asked to purge, and how that becomes a purge body: tags normalised,
 * data function ids resolved to their versions through the build manifest.
 * @module
 */
import { base64urlEncode } from '../bytes.ts'
import { canonicalParams } from '../canonical.ts'
import { MizanError } from '../errors.ts'
import { normalizeTags } from '../tags.ts'
import type { CacheContext, JsonValue } from '../types.ts'
import { resolveFunction } from './manifest.ts'
import type { PurgeManifest } from './manifest.ts'
import type { PurgeBody, PurgeEntry } from './wire.ts'
import { randomBytes } from '#crypto'

/**
 * What to purge: tags, and data functions by id — with `params`, exactly that entry;
 * without, every entry of the function's current version.
 *
 * @example
 * ```ts
 * const input: PurgeInput = { tags: ['posts'], fns: [{ fn: 'posts/[slug]#post', params: { slug: 'hello' } }] }
 * ```
 */
export interface PurgeInput {
  readonly tags?: readonly string[]
  readonly fns?: readonly { readonly fn: string; readonly params?: unknown }[]
}

/**
 * The purge body for `input` with a fresh random id. Throws `TagError`, `ParamsError`,
 * `UnknownFunctionError`, or a config error for malformed input or `fns` without a manifest.
 */
export function buildPurgeBody(input: PurgeInput, manifest: PurgeManifest | undefined): PurgeBody {
  if (!Array.isArray(input.tags ?? []) || !Array.isArray(input.fns ?? [])) {
    throw new MizanError('MIZAN_CONFIG', "purge() takes { tags?: string[], fns?: { fn, params? }[] }, e.g. purge({ tags: ['post:hello'] }).")
  }
  // One tag at a time: the count and size limits of normalizeTags are per entry, not per purge.
  const tags = [...new Set((input.tags ?? []).flatMap((tag) => normalizeTags([tag])))].sort()
  const contexts: CacheContext[] = []
  const entries: PurgeEntry[] = []
  for (const { fn, ...rest } of input.fns ?? []) {
    if (typeof fn !== 'string') {
      throw new MizanError('MIZAN_CONFIG', `purge(): fns[].fn must be a data function id string like 'posts/[slug]#post', got ${typeof fn}.`)
    }
    if (manifest === undefined) {
      throw new MizanError('MIZAN_CONFIG', `Purging data function ${JSON.stringify(fn)} needs the build manifest: createPurger({ …, manifest }) with the manifest.json that \`vite build\` emits.`)
    }
    const context = resolveFunction(manifest, fn)
    if ('params' in rest) entries.push({ ...context, params: JSON.parse(canonicalParams(rest.params)) as JsonValue })
    else contexts.push(context)
  }
  return {
    id: base64urlEncode(randomBytes(16)),
    ...(tags.length > 0 && { tags }),
    ...(contexts.length > 0 && { contexts }),
    ...(entries.length > 0 && { entries }),
  }
}
