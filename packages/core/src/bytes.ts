/**
 * Byte/text conversions that run everywhere the core runs (Node, workerd, browsers):
 * UTF-8, base64url, base64 and hex, without `Buffer`. Decoders return `null` on malformed
 * input so each caller can raise the error that fits its context (a bad secret, a bad
 * signature header, a corrupt entry).
 *
 * @module
 */

const encoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const HEX = '0123456789abcdef'

/** Sextet value of each ASCII code for base64 (both alphabets), -1 when not in either. */
const SEXTETS = new Int8Array(128).fill(-1)
for (let i = 0; i < 64; i++) SEXTETS[URL_ALPHABET.charCodeAt(i)] = i
SEXTETS['+'.charCodeAt(0)] = 62
SEXTETS['/'.charCodeAt(0)] = 63

/** base64url text of every 12-bit value: two chars. */
const PAIRS: string[] = []
for (let i = 0; i < 4096; i++) PAIRS.push(URL_ALPHABET[i >> 6]! + URL_ALPHABET[i & 63]!)

const HEX_BYTE: string[] = []
for (let i = 0; i < 256; i++) HEX_BYTE.push(HEX[i >> 4]! + HEX[i & 15]!)

/**
 * UTF-8 bytes of a string. Lone surrogates become U+FFFD, as in every UTF-8 encoder; check
 * {@link isWellFormed} first where that would matter.
 *
 * @example
 * ```ts
 * utf8Encode('é') // Uint8Array [0xc3, 0xa9]
 * ```
 */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text)
}

/**
 * Decodes UTF-8 strictly: malformed bytes throw a `TypeError` (from `TextDecoder`), and a
 * leading byte-order mark is kept as U+FEFF rather than silently dropped.
 *
 * @example
 * ```ts
 * utf8Decode(new Uint8Array([0x68, 0x69])) // 'hi'
 * ```
 */
export function utf8Decode(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes)
}

type WellFormedCheck = (this: string) => boolean
const nativeIsWellFormed = (String.prototype as unknown as { isWellFormed?: WellFormedCheck }).isWellFormed

/**
 * True when the string has no lone surrogates, i.e. it round-trips through UTF-8 unchanged.
 *
 * @example
 * ```ts
 * isWellFormed('😀') // true
 * isWellFormed('\ud83d') // false
 * ```
 */
export function isWellFormed(text: string): boolean {
  if (nativeIsWellFormed !== undefined) return nativeIsWellFormed.call(text)
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xd800 || unit > 0xdfff) continue
    if (unit > 0xdbff) return false
    const next = text.charCodeAt(i + 1)
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false
    i++
  }
  return true
}

/**
 * base64url (RFC 4648 §5) without padding.
 *
 * @example
 * ```ts
 * base64urlEncode(new Uint8Array([0xfb, 0xff])) // '-_8'
 * ```
 */
export function base64urlEncode(bytes: Uint8Array): string {
  // Four chars per three bytes, written as two 12-bit table lookups: a cache key is
  // encoded on every request, and single-char concatenation was the slow part.
  let out = ''
  const full = bytes.length - (bytes.length % 3)
  let i = 0
  for (; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += PAIRS[n >> 12]! + PAIRS[n & 0xfff]!
  }
  const rest = bytes.length - full
  if (rest === 1) {
    out += PAIRS[bytes[i]! << 4]!
  } else if (rest === 2) {
    const n = (bytes[i]! << 8) | bytes[i + 1]!
    out += PAIRS[n >> 4]! + URL_ALPHABET[(n << 2) & 63]!
  }
  return out
}

/**
 * Strict base64url decoding: only the URL alphabet, no padding, no whitespace, and unused
 * trailing bits must be zero (so every byte string has exactly one accepted spelling).
 * Returns `null` for anything else.
 *
 * @example
 * ```ts
 * base64urlDecode('-_8') // Uint8Array [0xfb, 0xff]
 * base64urlDecode('-_8=') // null
 * ```
 */
export function base64urlDecode(text: string): Uint8Array | null {
  if (/[^A-Za-z0-9_-]/.test(text)) return null
  return decodeSextets(text)
}

/**
 * Lenient base64 decoding for values people paste (secrets): the standard or the URL
 * alphabet (not mixed), padding optional but correct when present. Trailing bits must be
 * zero. Returns `null` for anything else.
 *
 * @example
 * ```ts
 * base64Decode('+/8=') // Uint8Array [0xfb, 0xff]
 * base64Decode('-_8')  // Uint8Array [0xfb, 0xff]
 * ```
 */
export function base64Decode(text: string): Uint8Array | null {
  const unpadded = text.replace(/={1,2}$/, '')
  if (unpadded.length !== text.length && text.length % 4 !== 0) return null
  const standard = /^[A-Za-z0-9+/]*$/.test(unpadded)
  const url = /^[A-Za-z0-9_-]*$/.test(unpadded)
  if (!standard && !url) return null
  return decodeSextets(unpadded)
}

function decodeSextets(text: string): Uint8Array | null {
  const rest = text.length % 4
  if (rest === 1) return null
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (rest === 0 ? 0 : rest - 1))
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const v = SEXTETS[text.charCodeAt(i)]
    if (v === undefined || v < 0) return null
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return null
  return out
}

/**
 * Lowercase hex.
 *
 * @example
 * ```ts
 * hexEncode(new Uint8Array([0, 255])) // '00ff'
 * ```
 */
export function hexEncode(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i]!]!
  return out
}

/**
 * Hex of either case, even length; `null` for anything else.
 *
 * @example
 * ```ts
 * hexDecode('00FF') // Uint8Array [0, 255]
 * hexDecode('0f0')  // null
 * ```
 */
export function hexDecode(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || /[^0-9a-fA-F]/.test(text)) return null
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16)
  return out
}

/**
 * The chunks joined into one array of `length` bytes (their total); a single chunk is
 * returned as is. For reading a stream that was collected chunk by chunk.
 *
 * @example
 * ```ts
 * concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])], 3) // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === length) return chunks[0]!
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * A request's body, read no further than `limit` bytes: `null` when it is larger (announced by
 * `Content-Length` or found while reading; the rest is cancelled, never buffered).
 *
 * @example
 * ```ts
 * const body = await readBodyLimited(request, 16 * 1024)
 * if (body === null) return new Response('too large', { status: 413 })
 * ```
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > limit) return null
  if (request.body === null) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  return concatBytes(chunks, size)
}
