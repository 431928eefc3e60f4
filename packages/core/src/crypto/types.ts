/**
 * The crypto primitives the core needs, as one interface with two implementations chosen
 * by export condition (`#crypto` in package.json): `node.ts` (node:crypto, ~27× faster for
 * a one-at-a-time HMAC in Node, DESIGN §8) and `web.ts` (WebCrypto, for workerd and
 * browsers). Both must produce identical bytes; `crypto.test.ts` runs both against the
 * same RFC vectors.
 *
 * @module
 */

/**
 * An HMAC-SHA256 key prepared once for repeated signing. Opaque: only the implementation
 * that imported it can use it.
 *
 * @example
 * ```ts
 * const key: HmacKey = await importHmacKey(randomBytes(32))
 * ```
 */
export interface HmacKey {
  readonly __brand: 'HmacKey'
}

/**
 * What `#crypto` provides. Each implementation module exports these as named functions.
 *
 * @example
 * ```ts
 * import * as nodeCrypto from './node.ts'
 * const impl: CryptoImpl = nodeCrypto
 * ```
 */
export interface CryptoImpl {
  /** Prepares a raw HMAC-SHA256 key (any length; RFC 2104 hashes keys over 64 bytes). */
  importHmacKey(raw: Uint8Array): Promise<HmacKey>
  /** HMAC-SHA256 of `data`: 32 bytes. */
  hmacSha256(key: HmacKey, data: Uint8Array): Promise<Uint8Array>
  /**
   * The same, synchronously, where the platform has a synchronous HMAC (node:crypto);
   * `undefined` elsewhere. Entry keys are derived on every request, and skipping a promise
   * there is a measurable share of the cost.
   */
  readonly hmacSha256Sync: ((key: HmacKey, data: Uint8Array) => Uint8Array) | undefined
  /**
   * `base64url(HMAC-SHA256(key, prefix ‖ u32be(utf8 length of tail) ‖ utf8(tail)))`, i.e. the MAC
   * of `prefix` followed by one more `encodeFields` field, synchronously where the platform can
   * (node:crypto encodes and base64url-encodes natively: ~1.6× faster than the generic path);
   * `undefined` elsewhere. This is the entry-key hot path.
   */
  readonly hmacFieldBase64urlSync: ((key: HmacKey, prefix: Uint8Array, tail: string) => string) | undefined
  /** HKDF-SHA256 (RFC 5869, extract then expand): `length` bytes, 1 ≤ length ≤ 8160. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>
  /** SHA-256 of `data`: 32 bytes. */
  sha256(data: Uint8Array): Promise<Uint8Array>
  /** `n` bytes from a cryptographically secure generator. */
  randomBytes(n: number): Uint8Array
  /** Constant time for equal lengths; `false` at once for different lengths. */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean
}

/** RFC 5869: L ≤ 255 · HashLen. */
export const HKDF_MAX_LENGTH = 255 * 32

/**
 * Rejects HKDF lengths outside RFC 5869's range, and random sizes that are not
 * non-negative safe integers — mistakes in our own code, hence `invariant`-style errors.
 */
export function checkLength(what: 'hkdf' | 'random', n: number): void {
  const max = what === 'hkdf' ? HKDF_MAX_LENGTH : Number.MAX_SAFE_INTEGER
  const min = what === 'hkdf' ? 1 : 0
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new RangeError(`${what === 'hkdf' ? 'hkdfSha256 length' : 'randomBytes size'} must be an integer in [${min}, ${max}], got ${String(n)}`)
  }
}
