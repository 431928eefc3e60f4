/**
 * Self-describing cache entries. Bytes: ASCII `MZE1`, a newline, then UTF-8 JSON with the
 * fields in a fixed order, `value` last. An entry names the key it was written under, so
 * bytes found under another key (a bug, a collision of prefixes, an attack) are refused.
 *
 * @module
 */
import { utf8Decode, utf8Encode } from './bytes.ts'
import { MizanError, invariant } from './errors.ts'

/**
 * One stored entry. Times are ms since the epoch with
 * `createdAt ≤ freshUntil ≤ staleUntil ≤ errorUntil`; `epoch` is the purge-epoch ticket
 * the computation started under.
 *
 * @example
 * ```ts
 * const e: Envelope<Post> = { version: 1, keyId, key: ref.key, createdAt: now, freshUntil: now + 300_000,
 *   staleUntil: now + 3_900_000, errorUntil: now + 3_900_000, tags: ['post:hello'], epoch: ticket.epoch, value: post }
 * ```
 */
export interface Envelope<T = unknown> {
  version: 1
  keyId: string
  key: string
  createdAt: number
  freshUntil: number
  staleUntil: number
  errorUntil: number
  tags: readonly string[]
  epoch: number
  value: T
}

const MAGIC = 'MZE1\n'
const MAGIC_BYTES = utf8Encode(MAGIC)
const FIELDS = ['version', 'keyId', 'key', 'createdAt', 'freshUntil', 'staleUntil', 'errorUntil', 'tags', 'epoch', 'value'] as const
const FIELD_SET: ReadonlySet<string> = new Set(FIELDS)
const TIMES = ['createdAt', 'freshUntil', 'staleUntil', 'errorUntil'] as const

type NodeBufferToString = (this: Uint8Array, encoding: 'utf8', start: number) => string
const isNodeBuffer = (globalThis as { Buffer?: { isBuffer(value: unknown): boolean } }).Buffer?.isBuffer

/**
 * The JSON text after the magic. Node's `Buffer#toString` decodes ~2× faster than a fatal
 * `TextDecoder` but replaces malformed bytes with U+FFFD instead of failing; only when that
 * character appears is the strict decoder asked, so malformed bytes are still rejected.
 */
function decodeBody(bytes: Uint8Array): string {
  if (isNodeBuffer?.(bytes)) {
    const text = (bytes.toString as unknown as NodeBufferToString).call(bytes, 'utf8', MAGIC_BYTES.length)
    if (!text.includes('\uFFFD')) return text
  }
  return utf8Decode(bytes.subarray(MAGIC_BYTES.length))
}

/**
 * The bytes of `e`. Throws `MizanError` (`MIZAN_CONFIG`) when `e.value` has no JSON form
 * (`undefined`, a function, a BigInt, a cycle) — such a value cannot be cached.
 *
 * @example
 * ```ts
 * await backend.put({ ref, bytes: encodeEnvelope(envelope), tags: envelope.tags, ttlMs, ticket })
 * ```
 */
export function encodeEnvelope(e: Envelope): Uint8Array {
  if (!isValidMeta(e as unknown as Record<string, unknown>)) invariant(false, `encodeEnvelope got an inconsistent envelope (${describeMeta(e)})`)
  let value: string | undefined
  try {
    value = JSON.stringify(e.value)
  } catch (error) {
    throw new MizanError('MIZAN_CONFIG', `The value to cache under ${e.key} cannot be serialised as JSON (${(error as Error).message}); return plain JSON from cached functions.`, { cause: error })
  }
  if (value === undefined) {
    throw new MizanError('MIZAN_CONFIG', `The value to cache under ${e.key} is ${typeof e.value}, which has no JSON form; return null or plain JSON from cached functions.`)
  }
  const head = `${MAGIC}{"version":1,"keyId":${JSON.stringify(e.keyId)},"key":${JSON.stringify(e.key)},"createdAt":${e.createdAt},"freshUntil":${e.freshUntil},"staleUntil":${e.staleUntil},"errorUntil":${e.errorUntil},"tags":${JSON.stringify(e.tags)},"epoch":${e.epoch},"value":`
  return utf8Encode(`${head}${value}}`)
}

/**
 * The envelope in `bytes`, or `null` — never a throw — when they are corrupt (magic, UTF-8,
 * JSON, field set or types, times out of order), foreign (`keyId`/`key` differ from
 * `expect`) or of another protocol version. Callers delete such entries and treat them
 * as a miss.
 *
 * @example
 * ```ts
 * const e = decodeEnvelope(bytes, { keyId: secret.keyId, key: ref.key })
 * if (e === null) await backend.delete(ref)
 * ```
 */
export function decodeEnvelope(bytes: Uint8Array, expect: { keyId: string; key: string }): Envelope | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < MAGIC_BYTES.length) return null
  for (let i = 0; i < MAGIC_BYTES.length; i++) if (bytes[i] !== MAGIC_BYTES[i]) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(decodeBody(bytes))
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null
  const record = parsed as Record<string, unknown>
  // The identity check first: it is the cheapest and rejects foreign entries at once.
  if (record.keyId !== expect.keyId || record.key !== expect.key) return null
  let count = 0
  for (const field in record) {
    if (!FIELD_SET.has(field)) return null
    count++
  }
  if (count !== FIELDS.length || !('value' in record)) return null
  if (!isValidMeta(record)) return null
  return record as unknown as Envelope
}

function isValidMeta(e: Record<string, unknown>): boolean {
  if (e.version !== 1 || typeof e.keyId !== 'string' || typeof e.key !== 'string') return false
  for (const t of TIMES) if (!isTime(e[t])) return false
  if (!((e.createdAt as number) <= (e.freshUntil as number) && (e.freshUntil as number) <= (e.staleUntil as number) && (e.staleUntil as number) <= (e.errorUntil as number))) return false
  if (!isTime(e.epoch)) return false
  return Array.isArray(e.tags) && e.tags.every((t) => typeof t === 'string')
}

function isTime(n: unknown): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
}

function describeMeta(e: Envelope): string {
  return TIMES.map((t) => `${t}=${String(e[t])}`).join(' ') + ` epoch=${String(e.epoch)} version=${String(e.version)}`
}
