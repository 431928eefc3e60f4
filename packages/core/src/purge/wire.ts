/**
 * The body of a signed purge request (`POST /_mizan/purge`), its limits and its strict
 * parser. The signer and the verifier both run every body through `parsePurgeBody`, so a
 * body the purger sends is exactly a body the edge accepts. See docs/cache.md
 * §Purge wire protocol.
 * @module
 */
import { isWellFormed, utf8Decode, utf8Encode } from '../bytes.ts'
import { canonicalParams } from '../canonical.ts'
import { MizanError, PurgeError } from '../errors.ts'
import { normalizeTags } from '../tags.ts'
import type { CacheContext, JsonValue } from '../types.ts'

/**
 * One exact cache entry to purge: a data function version and its params.
 *
 * @example
 * ```ts
 * const entry: PurgeEntry = { fn: 'posts/[slug]#post', version: '3f9a1c', params: { slug: 'hello' } }
 * ```
 */
export interface PurgeEntry extends CacheContext {
  readonly params: JsonValue
}

/**
 * What a purge request names. `id` is unique per purge (retries of one purge reuse it), so a
 * receiver can recognise a purge it already applied. At least one list is non-empty.
 *
 * @example
 * ```ts
 * const body: PurgeBody = { id: 'kq3v6Zb1RkS1pYzO0m3xhA', tags: ['post:hello'] }
 * ```
 */
export interface PurgeBody {
  readonly id: string
  readonly tags?: readonly string[]
  readonly contexts?: readonly CacheContext[]
  readonly entries?: readonly PurgeEntry[]
}

/**
 * Limits a purge body must respect, checked before anything is applied.
 *
 * @example
 * ```ts
 * if (bytes.length > PURGE_LIMITS.maxBodyBytes) split(purge)
 * ```
 */
export const PURGE_LIMITS = Object.freeze({
  maxBodyBytes: 64 * 1024,
  maxTags: 1000,
  maxContexts: 100,
  maxEntries: 100,
  maxIdLength: 128,
  maxFnLength: 512,
  maxVersionLength: 128,
})

/**
 * A purge body that breaks the wire format: `path` names the offending field (`$.tags[3]`),
 * `status` is the HTTP status a receiver answers (413 for an oversized body, else 400).
 * Never retried: the same body would fail again.
 *
 * @example
 * ```ts
 * try { parsePurgeBody(bytes) } catch (e) { if (e instanceof PurgeBodyError) return new Response(e.message, { status: e.status }) }
 * ```
 */
export class PurgeBodyError extends PurgeError {
  readonly path: string
  readonly status: 400 | 413
  constructor(path: string, problem: string, options?: { status?: 413; cause?: unknown }) {
    super(`Invalid purge body at ${path}: ${problem}. See docs/cache.md §Purge wire protocol.`, options)
    this.path = path
    this.status = options?.status ?? 400
  }
}

const ID_PATTERN = /^[A-Za-z0-9._:-]+$/
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/
const BODY_KEYS = new Set(['id', 'tags', 'contexts', 'entries'])
const CONTEXT_KEYS = new Set(['fn', 'version'])
const ENTRY_KEYS = new Set(['fn', 'version', 'params'])

/**
 * Parses and validates the raw bytes of a purge body. Tags come back normalised (lowercase,
 * deduplicated, sorted); unknown fields, wrong types and exceeded limits throw `PurgeBodyError`.
 *
 * @example
 * ```ts
 * const body = parsePurgeBody(new TextEncoder().encode('{"id":"p1","tags":["post:hello"]}'))
 * body.tags // ['post:hello']
 * ```
 */
export function parsePurgeBody(bytes: Uint8Array): PurgeBody {
  if (bytes.length > PURGE_LIMITS.maxBodyBytes) {
    throw new PurgeBodyError('$', `${bytes.length} bytes exceed the limit of ${PURGE_LIMITS.maxBodyBytes}; split the purge into several requests`, { status: 413 })
  }
  let raw: unknown
  try {
    raw = JSON.parse(utf8Decode(bytes))
  } catch (cause) {
    throw new PurgeBodyError('$', 'not UTF-8 JSON', { cause })
  }
  const body = record(raw, '$', BODY_KEYS)
  const id = body.id
  if (typeof id !== 'string' || id.length === 0 || id.length > PURGE_LIMITS.maxIdLength || !ID_PATTERN.test(id)) {
    throw new PurgeBodyError('$.id', `must be 1–${PURGE_LIMITS.maxIdLength} characters of [A-Za-z0-9._:-]`)
  }
  const tags = body.tags === undefined ? undefined : parseTags(body.tags)
  const contexts = body.contexts === undefined ? undefined
    : list(body.contexts, '$.contexts', PURGE_LIMITS.maxContexts).map((c, i) => parseContext(c, `$.contexts[${i}]`))
  const entries = body.entries === undefined ? undefined
    : list(body.entries, '$.entries', PURGE_LIMITS.maxEntries).map((e, i) => parseEntry(e, `$.entries[${i}]`))
  if (!tags?.length && !contexts?.length && !entries?.length) {
    throw new PurgeBodyError('$', 'names nothing to purge; give at least one of tags, contexts or entries')
  }
  return { id, ...(tags && { tags }), ...(contexts && { contexts }), ...(entries && { entries }) }
}

/**
 * Serialises a purge body to the bytes that get signed and sent, validating it with the
 * same rules as `parsePurgeBody` (so a body that encodes is a body the edge accepts).
 *
 * @example
 * ```ts
 * const bytes = encodePurgeBody({ id: 'p1', tags: ['posts'] })
 * ```
 */
export function encodePurgeBody(body: PurgeBody): Uint8Array {
  const bytes = utf8Encode(JSON.stringify(body))
  parsePurgeBody(bytes)
  return bytes
}

function record(value: unknown, path: string, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PurgeBodyError(path, 'must be a JSON object')
  }
  const unknown = Object.keys(value).filter((key) => !allowed.has(key))
  if (unknown.length > 0) {
    throw new PurgeBodyError(path, `unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${[...allowed].join(', ')}`)
  }
  return value as Record<string, unknown>
}

function list(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new PurgeBodyError(path, 'must be an array')
  if (value.length > max) throw new PurgeBodyError(path, `${value.length} items exceed the limit of ${max}; split the purge`)
  return value
}

function parseTags(value: unknown): string[] {
  const tags = list(value, '$.tags', PURGE_LIMITS.maxTags)
  const normalised = tags.map((tag, i) => {
    if (typeof tag !== 'string') throw new PurgeBodyError(`$.tags[${i}]`, 'must be a string')
    try {
      const [one] = normalizeTags([tag])
      if (one === undefined) throw new PurgeBodyError(`$.tags[${i}]`, 'is empty')
      return one
    } catch (cause) {
      if (cause instanceof PurgeBodyError) throw cause
      throw new PurgeBodyError(`$.tags[${i}]`, cause instanceof MizanError ? cause.message : String(cause), { cause })
    }
  })
  return [...new Set(normalised)].sort()
}

function parseContext(value: unknown, path: string): CacheContext {
  const context = record(value, path, CONTEXT_KEYS)
  return { fn: name(context.fn, `${path}.fn`, PURGE_LIMITS.maxFnLength), version: name(context.version, `${path}.version`, PURGE_LIMITS.maxVersionLength) }
}

function parseEntry(value: unknown, path: string): PurgeEntry {
  const entry = record(value, path, ENTRY_KEYS)
  const fn = name(entry.fn, `${path}.fn`, PURGE_LIMITS.maxFnLength)
  const version = name(entry.version, `${path}.version`, PURGE_LIMITS.maxVersionLength)
  if (!('params' in entry)) throw new PurgeBodyError(`${path}.params`, 'is required (use a context purge to purge every entry of a function)')
  try {
    canonicalParams(entry.params)
  } catch (cause) {
    throw new PurgeBodyError(`${path}.params`, cause instanceof MizanError ? cause.message : String(cause), { cause })
  }
  return { fn, version, params: entry.params as JsonValue }
}

// Lone surrogates become U+FFFD in UTF-8, so two distinct names could sign and hash alike.
function name(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || CONTROL_CHARS.test(value) || !isWellFormed(value)) {
    throw new PurgeBodyError(path, `must be a string of 1–${max} characters, without control characters or lone surrogates`)
  }
  return value
}
