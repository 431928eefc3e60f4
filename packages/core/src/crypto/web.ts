/**
 * `#crypto` for workerd and browsers: WebCrypto (`crypto.subtle`) only — no Node
 * built-ins, so it bundles into a Worker as is.
 *
 * @module
 */
import { checkLength } from './types.ts'
import type { HmacKey } from './types.ts'

interface WebHmacKey {
  readonly cryptoKey: CryptoKey
}

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const
/** crypto.getRandomValues refuses more than 65,536 bytes a call. */
const RANDOM_CHUNK = 65_536

/**
 * WebCrypto's `BufferSource` wants an `ArrayBuffer`-backed view; a `Uint8Array` typed over
 * `ArrayBufferLike` may be backed by a `SharedArrayBuffer`, which WebCrypto refuses, so
 * such input is copied.
 */
function source(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

/**
 * Prepares an HMAC-SHA256 key (a non-extractable WebCrypto `CryptoKey`).
 *
 * @example
 * ```ts
 * const key = await importHmacKey(new Uint8Array(32).fill(1))
 * ```
 */
export async function importHmacKey(raw: Uint8Array): Promise<HmacKey> {
  // WebCrypto refuses zero-length HMAC keys although RFC 2104 allows them (pads with zeros).
  const material = raw.byteLength === 0 ? new Uint8Array(64) : source(raw)
  const key: WebHmacKey = { cryptoKey: await crypto.subtle.importKey('raw', material, HMAC_SHA256, false, ['sign']) }
  return key as unknown as HmacKey
}

/**
 * HMAC-SHA256 with a key from {@link importHmacKey}.
 *
 * @example
 * ```ts
 * const mac = await hmacSha256(key, new TextEncoder().encode('hello'))
 * ```
 */
export async function hmacSha256(key: HmacKey, data: Uint8Array): Promise<Uint8Array> {
  const { cryptoKey } = key as unknown as WebHmacKey
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, source(data)))
}

/**
 * WebCrypto has no synchronous HMAC; callers fall back to {@link hmacSha256}.
 *
 * @example
 * ```ts
 * const mac = hmacSha256Sync?.(key, data) ?? (await hmacSha256(key, data))
 * ```
 */
export const hmacSha256Sync: ((key: HmacKey, data: Uint8Array) => Uint8Array) | undefined = undefined

/**
 * Not available with WebCrypto (asynchronous only): `undefined`.
 *
 * @example
 * ```ts
 * hmacFieldBase64urlSync === undefined // true in workerd and browsers
 * ```
 */
export const hmacFieldBase64urlSync: ((key: HmacKey, prefix: Uint8Array, tail: string) => string) | undefined = undefined

/**
 * HKDF-SHA256 (RFC 5869).
 *
 * @example
 * ```ts
 * const okm = await hkdfSha256(ikm, salt, new TextEncoder().encode('label'), 32)
 * ```
 */
export async function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  checkLength('hkdf', length)
  const key = await crypto.subtle.importKey('raw', source(ikm), 'HKDF', false, ['deriveBits'])
  const params = { name: 'HKDF', hash: 'SHA-256', salt: source(salt), info: source(info) }
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, length * 8))
}

/**
 * SHA-256.
 *
 * @example
 * ```ts
 * const digest = await sha256(new Uint8Array())
 * ```
 */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', source(data)))
}

/**
 * Cryptographically secure random bytes (`crypto.getRandomValues`, in 64 KiB chunks).
 *
 * @example
 * ```ts
 * const nonce = randomBytes(16)
 * ```
 */
export function randomBytes(n: number): Uint8Array {
  checkLength('random', n)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += RANDOM_CHUNK) crypto.getRandomValues(out.subarray(i, Math.min(n, i + RANDOM_CHUNK)))
  return out
}

/**
 * Constant-time comparison for equal lengths (no early exit, no data-dependent branch);
 * `false` for different lengths (the length of a MAC is public).
 *
 * @example
 * ```ts
 * timingSafeEqual(expectedMac, receivedMac)
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  let diff = 0
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
