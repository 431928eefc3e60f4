/**
 * Self-describing cache entries (docs/cache.md §Envelope format). Bytes: the magic `MZE2`, a
 * fixed 46-byte binary header (times, epoch, lengths), the key id, the key, the tags, then the
 * value's UTF-8 JSON to the end. A hit reads the metadata at fixed offsets and parses only the
 * value — the JSON of the earlier `MZE1` format cost a hit about twice the parse of the value
 * alone. An entry names the key it was written under, so bytes found under another key (a bug,
 * a collision of prefixes, an attack) are refused.
 *
 * @module
 */
import { utf8Decode, utf8Encode } from './bytes.ts'
import { MizanError, invariant } from './errors.ts'

/**
 * One stored entry. Times are ms since the epoch with
 * `createdAt ≤ freshUntil ≤ staleUntil ≤ errorUntil`; `epoch` is the purge-epoch ticket
 * the computation started under; `version` is the protocol version (`mizan/1`).
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

/** `MZE2`: the format's version is its magic; `MZE1` (JSON) and anything else is another version. */
const MAGIC = [0x4d, 0x5a, 0x45, 0x32] as const
/** Magic, five 8-byte integers, two 1-byte and one 4-byte length. */
const HEADER_BYTES = 50
const TIMES = ['createdAt', 'freshUntil', 'staleUntil', 'errorUntil'] as const
const TWO_32 = 2 ** 32
/** Bound of the high 32 bits of a safe integer (2^53 − 1). */
const MAX_HIGH = 0x1f_ffff

type NodeBufferToString = (this: Uint8Array, encoding: 'utf8' | 'latin1', start: number, end: number) => string
const isNodeBuffer = (globalThis as { Buffer?: { isBuffer(value: unknown): boolean } }).Buffer?.isBuffer

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
  if (!isId(e.keyId) || !isId(e.key) || !e.tags.every(isTag)) {
    throw new MizanError('MIZAN_CONFIG', `encodeEnvelope: key id ${JSON.stringify(e.keyId)} and key ${JSON.stringify(e.key)} must be 1-255 printable ASCII characters and tags ${JSON.stringify(e.tags)} normalised by normalizeTags(); derive them with the core's key and tag functions.`)
  }
  const tags = e.tags.join(',')
  let value: string | undefined
  try {
    value = JSON.stringify(e.value)
  } catch (error) {
    throw new MizanError('MIZAN_CONFIG', `The value to cache under ${e.key} cannot be serialised as JSON (${(error as Error).message}); return plain JSON from cached functions.`, { cause: error })
  }
  if (value === undefined) {
    throw new MizanError('MIZAN_CONFIG', `The value to cache under ${e.key} is ${typeof e.value}, which has no JSON form; return null or plain JSON from cached functions.`)
  }
  const json = utf8Encode(value)
  const start = HEADER_BYTES + e.keyId.length + e.key.length + tags.length
  const out = new Uint8Array(start + json.length)
  out.set(MAGIC, 0)
  const view = new DataView(out.buffer)
  let at = 4
  for (const n of [e.createdAt, e.freshUntil, e.staleUntil, e.errorUntil, e.epoch]) {
    view.setUint32(at, Math.floor(n / TWO_32))
    view.setUint32(at + 4, n % TWO_32)
    at += 8
  }
  out[44] = e.keyId.length
  out[45] = e.key.length
  view.setUint32(46, tags.length)
  at = writeAscii(out, writeAscii(out, writeAscii(out, HEADER_BYTES, e.keyId), e.key), tags)
  out.set(json, at)
  return out
}

/**
 * The envelope in `bytes`, or `null` — never a throw — when they are corrupt (short, lengths
 * past the end, integers above 2^53 − 1, times out of order, bad tag bytes, invalid UTF-8 or
 * JSON in the value), foreign (`keyId`/`key` differ from `expect`) or of another format
 * version (any magic but `MZE2`, including the JSON `MZE1` of earlier releases). Callers
 * delete such entries and treat them as a miss.
 *
 * @example
 * ```ts
 * const e = decodeEnvelope(bytes, { keyId: secret.keyId, key: ref.key })
 * if (e === null) await backend.delete(ref)
 * ```
 */
export function decodeEnvelope(bytes: Uint8Array, expect: { keyId: string; key: string }): Envelope | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < HEADER_BYTES) return null
  if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2] || bytes[3] !== MAGIC[3]) return null
  // The identity check first: it is the cheapest and rejects foreign entries at once.
  const idAt = HEADER_BYTES
  const keyAt = idAt + bytes[44]!
  const tagsAt = keyAt + bytes[45]!
  const valueAt = tagsAt + readUint32(bytes, 46)
  if (valueAt >= bytes.length || !sameAscii(bytes, idAt, keyAt, expect.keyId) || !sameAscii(bytes, keyAt, tagsAt, expect.key)) return null
  const createdAt = readTime(bytes, 4)
  const freshUntil = readTime(bytes, 12)
  const staleUntil = readTime(bytes, 20)
  const errorUntil = readTime(bytes, 28)
  const epoch = readTime(bytes, 36)
  if (createdAt < 0 || createdAt > freshUntil || freshUntil > staleUntil || staleUntil > errorUntil || epoch < 0) return null
  if (!isTagsBytes(bytes, tagsAt, valueAt)) return null
  const tags = valueAt === tagsAt ? [] : text(bytes, 'latin1', tagsAt, valueAt).split(',')
  let value: unknown
  try {
    value = JSON.parse(utf8Text(bytes, valueAt))
  } catch {
    return null
  }
  return { version: 1, keyId: expect.keyId, key: expect.key, createdAt, freshUntil, staleUntil, errorUntil, tags, epoch, value }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
}

/** The 8-byte big-endian integer at `at`, or -1 above 2^53 − 1. */
function readTime(bytes: Uint8Array, at: number): number {
  const high = readUint32(bytes, at)
  return high > MAX_HIGH ? -1 : high * TWO_32 + readUint32(bytes, at + 4)
}

/** Whether bytes `[from, to)` are exactly the ASCII string `expected`. */
function sameAscii(bytes: Uint8Array, from: number, to: number, expected: string): boolean {
  if (to - from !== expected.length) return false
  for (let i = 0; i < expected.length; i++) if (bytes[from + i] !== expected.charCodeAt(i)) return false
  return true
}

/** Tags text: empty, or tags of printable ASCII without a comma (0x21–0x7E) joined by single commas. */
function isTagsBytes(bytes: Uint8Array, from: number, to: number): boolean {
  let previous = 0x2c
  for (let i = from; i < to; i++) {
    const b = bytes[i]!
    if (b < 0x21 || b > 0x7e || (b === 0x2c && previous === 0x2c)) return false
    previous = b
  }
  return from === to || previous !== 0x2c
}

/** A tag the tags text can carry: 1+ characters of printable ASCII without a comma. */
function isTag(tag: string): boolean {
  return tag.length > 0 && isPrintableAscii(tag) && !tag.includes(',')
}

/** An id the header can carry: 1–255 printable ASCII characters. */
function isId(id: string): boolean {
  return id.length > 0 && id.length <= 0xff && isPrintableAscii(id)
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x21 || c > 0x7e) return false
  }
  return true
}

function writeAscii(out: Uint8Array, at: number, ascii: string): number {
  for (let i = 0; i < ascii.length; i++) out[at + i] = ascii.charCodeAt(i)
  return at + ascii.length
}

function text(bytes: Uint8Array, encoding: 'latin1', from: number, to: number): string {
  if (isNodeBuffer?.(bytes)) return (bytes.toString as unknown as NodeBufferToString).call(bytes, encoding, from, to)
  return utf8Decode(bytes.subarray(from, to))
}

/**
 * The value's JSON text. Node's `Buffer#toString` decodes ~2× faster than a fatal
 * `TextDecoder` but replaces malformed bytes with U+FFFD instead of failing; only when that
 * character appears is the strict decoder asked (it throws on malformed bytes).
 */
function utf8Text(bytes: Uint8Array, from: number): string {
  if (isNodeBuffer?.(bytes)) {
    const decoded = (bytes.toString as unknown as NodeBufferToString).call(bytes, 'utf8', from, bytes.length)
    if (!decoded.includes('\uFFFD')) return decoded
  }
  return utf8Decode(bytes.subarray(from))
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
