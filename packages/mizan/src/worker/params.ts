/**
 * Reading `?p=<canonical JSON>` on the data endpoint: size and depth are checked on the raw
 * text before it is parsed, then the params must already be in canonical form (one URL per
 * result, so caches cannot be split or poisoned by respellings).
 * @module
 */
import { canonicalParams, DEFAULT_CANONICAL_LIMITS, ParamsError } from '@mizan/core'

/**
 * Largest `p`, in UTF-8 bytes; longer params are refused (400 `params-too-large`).
 *
 * @example
 * ```ts
 * if (canonical.length > MAX_PARAMS_BYTES) throw new Error('params too large for a data URL')
 * ```
 */
export const MAX_PARAMS_BYTES = 16 * 1024

/**
 * Deepest nesting of arrays/objects in `p` (a scalar is depth 0, `{}` depth 1), checked on
 * the raw text before parsing (400 `params-too-deep`).
 *
 * @example
 * ```ts
 * MAX_PARAMS_DEPTH // 32
 * ```
 */
export const MAX_PARAMS_DEPTH = DEFAULT_CANONICAL_LIMITS.maxDepth

const LIMITS = { ...DEFAULT_CANONICAL_LIMITS, maxBytes: MAX_PARAMS_BYTES }

/** Params that can be passed to a data function, or why not (a 400 code and message). */
export type ParamsResult =
  | { readonly ok: true; readonly params: object; readonly canonical: string }
  | { readonly ok: false; readonly code: string; readonly message: string }

/**
 * Reads the params from a data URL's raw query string (`url.search`).
 *
 * @example
 * ```ts
 * readParams('?p=%7B%22slug%22%3A%22a%22%7D') // { ok: true, params: { slug: 'a' }, canonical: '{"slug":"a"}' }
 * readParams('?p=%7B%22b%22%3A1%2C%22a%22%3A1%7D') // { ok: false, code: 'non-canonical', … }
 * ```
 */
export function readParams(search: string): ParamsResult {
  // Every byte of p is at most 3 characters once percent-encoded.
  if (search.length > 3 + 3 * MAX_PARAMS_BYTES) return tooLarge()
  if (!search.startsWith('?p=') || search.includes('&')) {
    return fail('invalid-query', 'the data endpoint takes exactly one query parameter: ?p=<canonical JSON of the params>.')
  }
  let text: string
  try {
    text = decodeURIComponent(search.slice(3))
  } catch {
    return fail('invalid-params', 'p is not valid percent-encoded UTF-8.')
  }
  const read = readJsonObject(text, 'p', 'params')
  if (!read.ok) return read
  const { canonical } = read
  if (canonical !== text) {
    return fail('non-canonical', `p is not in canonical form (keys sorted, no whitespace, numbers as JSON writes them); send ${JSON.stringify(canonical)}.`)
  }
  return read
}

/**
 * Checks and parses JSON text that must hold an object of JSON values (the data endpoint's `p`,
 * an action's body): size and depth on the raw text first, then the core's canonical-params
 * rules (no `__proto__` keys, no lone surrogates, …). Errors are `<what>-too-large`,
 * `<what>-too-deep` and `invalid-<what>`.
 *
 * @example
 * ```ts
 * readJsonObject('{"slug":"a"}', 'the body', 'input') // { ok: true, params: { slug: 'a' }, canonical: '{"slug":"a"}' }
 * ```
 */
export function readJsonObject(text: string, name: string, what: string): ParamsResult {
  if (text.length > MAX_PARAMS_BYTES || (text.length * 3 > MAX_PARAMS_BYTES && utf8Length(text) > MAX_PARAMS_BYTES)) return tooLarge(name, what)
  if (text.length > 2 * MAX_PARAMS_DEPTH && nestingDepth(text) > MAX_PARAMS_DEPTH) {
    return fail(`${what}-too-deep`, `${name} nests arrays/objects deeper than ${MAX_PARAMS_DEPTH} levels.`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return fail(`invalid-${what}`, `${name} is not valid JSON.`)
  }
  if (typeof value !== 'object' || value === null) return fail(`invalid-${what}`, `${name} must be a JSON object (the ${what} of the ${what === 'params' ? 'data function' : 'action'}).`)
  try {
    return { ok: true, params: value, canonical: canonicalParams(value, LIMITS) }
  } catch (error) {
    if (error instanceof ParamsError) return fail(`invalid-${what}`, error.message)
    throw error
  }
}

function tooLarge(name = 'p', what = 'params'): ParamsResult {
  return fail(`${what}-too-large`, `${name} is larger than ${MAX_PARAMS_BYTES} bytes.`)
}

function fail(code: string, message: string): ParamsResult {
  return { ok: false, code, message }
}

/** Container nesting of JSON text, counted outside strings (the text need not be valid). */
function nestingDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return max
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}
