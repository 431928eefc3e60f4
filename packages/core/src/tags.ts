/**
 * Cache tags: the names a purge uses to find entries. The rules follow Cloudflare's
 * `Cache-Tag` limits so every tag can travel to every layer — an entry that could not carry
 * all its tags would survive a purge of the missing ones.
 *
 * @module
 */
import { TagError } from './errors.ts'

/**
 * Per-tag and per-entry limits (Cloudflare's): 1,024 chars a tag, 1,000 tags and 16 KiB
 * (tags joined by commas, as in the `Cache-Tag` header) an entry.
 *
 * @example
 * ```ts
 * if (tags.length > TAG_LIMITS.maxTags) split()
 * ```
 */
export const TAG_LIMITS = Object.freeze({
  maxTagLength: 1024,
  maxTags: 1000,
  maxTotalBytes: 16 * 1024,
})

/**
 * Printable ASCII without the comma: `Cache-Tag` is a comma-separated list, so a tag
 * `a,b` would become the two tags `a` and `b` at the edge and a purge of `a,b` would miss.
 */
const TAG_CHARS = /^[\x21-\x2b\x2d-\x7e]+$/

function show(tag: string): string {
  return JSON.stringify(tag.length > 60 ? `${tag.slice(0, 60)}…` : tag)
}

/**
 * Trims, lowercases (ASCII only), dedupes and sorts tags, enforcing `TAG_LIMITS`. Each tag
 * must be printable ASCII (0x21–0x7E) except the comma; non-ASCII input is refused rather
 * than folded (the Kelvin sign `K` would otherwise lowercase to `k`). Throws `TagError`
 * naming the offending tag and the limit.
 *
 * @example
 * ```ts
 * normalizeTags([' Posts', 'post:Hello', 'posts']) // ['post:hello', 'posts']
 * normalizeTags(['has space'])                      // throws TagError
 * ```
 */
export function normalizeTags(tags: readonly string[]): string[] {
  if (!Array.isArray(tags)) throw new TagError(`Tags must be an array of strings, got ${typeof tags}.`)
  const unique = new Set<string>()
  for (const raw of tags) {
    if (typeof raw !== 'string') throw new TagError(`Tags must be strings; got ${typeof raw} (${String(raw)}).`)
    const trimmed = raw.trim()
    if (trimmed === '') throw new TagError(`Empty tag ${show(raw)}; remove it or give it a name like 'posts'.`)
    if (trimmed.length > TAG_LIMITS.maxTagLength) {
      throw new TagError(`Tag ${show(trimmed)} is ${trimmed.length} characters; the limit is ${TAG_LIMITS.maxTagLength}.`)
    }
    if (!TAG_CHARS.test(trimmed)) {
      throw new TagError(`Tag ${show(trimmed)} has a character outside printable ASCII (0x21–0x7E, no spaces, no commas); use e.g. 'post:hello-world'.`)
    }
    unique.add(trimmed.toLowerCase())
  }
  const sorted = [...unique].sort()
  if (sorted.length > TAG_LIMITS.maxTags) {
    throw new TagError(`${sorted.length} distinct tags (from ${show(sorted[0]!)} to ${show(sorted.at(-1)!)}); the limit is ${TAG_LIMITS.maxTags} per entry. Use broader tags.`)
  }
  let total = -1
  for (const tag of sorted) {
    total += 1 + tag.length
    if (total > TAG_LIMITS.maxTotalBytes) {
      throw new TagError(`Tags exceed ${TAG_LIMITS.maxTotalBytes} bytes in total (joined by commas) at ${show(tag)}; use fewer or shorter tags.`)
    }
  }
  return sorted
}

/**
 * Fills `{name}` placeholders from params: strings as is, finite numbers and booleans via
 * `String()`. A missing param, another value type, or a stray brace is a `TagError`.
 *
 * @example
 * ```ts
 * fillTagTemplate('post:{slug}', { slug: 'hello' }) // 'post:hello'
 * fillTagTemplate('user:{id}', {})                  // throws TagError: missing param "id"
 * ```
 */
export function fillTagTemplate(template: string, params: Record<string, unknown>): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    const close = template.indexOf('}', i)
    if (close !== -1 && (open === -1 || close < open)) throw new TagError(`Tag template ${show(template)} has a '}' without '{' at ${close}.`)
    if (open === -1) {
      out += template.slice(i)
      break
    }
    if (close === -1) throw new TagError(`Tag template ${show(template)} has a '{' without '}' at ${open}.`)
    const name = template.slice(open + 1, close)
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new TagError(`Tag template ${show(template)} has the placeholder {${name}}; a placeholder names one param, like {slug}.`)
    }
    out += template.slice(i, open) + paramText(template, params, name)
    i = close + 1
  }
  return out
}

function paramText(template: string, params: Record<string, unknown>, name: string): string {
  if (params === null || typeof params !== 'object' || !Object.hasOwn(params, name) || params[name] === undefined) {
    throw new TagError(`Tag template ${show(template)} needs the param "${name}", which is missing from the params.`)
  }
  const value = params[name]
  if (typeof value === 'string') return value
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value)
  throw new TagError(`Tag template ${show(template)}: param "${name}" is ${value === null ? 'null' : typeof value}; only strings, finite numbers and booleans fill a tag.`)
}
