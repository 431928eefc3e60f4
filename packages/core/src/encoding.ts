/**
 * The unambiguous field encoding under every MAC and hash of the protocol: each field is
 * its byte length as a 4-byte big-endian integer followed by its bytes (strings as UTF-8).
 * Because every field announces its length, no choice of field contents can make two
 * different field lists encode alike — `("getPost", "23")` and `("getPost2", "3")` differ.
 *
 * @module
 */
import { isWellFormed } from './bytes.ts'
import { MizanError } from './errors.ts'

const encoder = new TextEncoder()
const MAX_FIELD_BYTES = 0xffff_ffff

/**
 * Length-prefixed concatenation of `fields` (4-byte big-endian byte length ‖ bytes each).
 * Strings must be well-formed UTF-16: a lone surrogate would be encoded as U+FFFD and
 * collide with a real U+FFFD, so it is refused with a `MizanError` (`MIZAN_CONFIG`).
 *
 * @example
 * ```ts
 * encodeFields(['ab', new Uint8Array([1])])
 * // Uint8Array [0,0,0,2, 0x61,0x62, 0,0,0,1, 1]
 * ```
 */
export function encodeFields(fields: readonly (string | Uint8Array)[]): Uint8Array {
  const out = new Uint8Array(capacityOf(fields))
  return out.subarray(0, writeFields(fields, out))
}

/** Scratch space for {@link encodeFieldsTransient}; kept while small, replaced when outgrown. */
let scratch = new Uint8Array(1024)
const MAX_KEPT_SCRATCH = 256 * 1024

/**
 * Like {@link encodeFields}, but the result is a view of a shared scratch buffer, valid only
 * until the next call. For the per-request cache key: typed arrays over 64 bytes are
 * allocated outside V8's heap and cost more than the HMAC around them. Safe to hand
 * straight to `hmacSha256`: node:crypto reads it synchronously and WebCrypto copies its
 * input before `sign()` returns (WebCrypto §14.3.4 step 3).
 */
export function encodeFieldsTransient(fields: readonly (string | Uint8Array)[]): Uint8Array {
  const capacity = capacityOf(fields)
  if (capacity > scratch.length) {
    const bigger = new Uint8Array(Math.max(capacity, scratch.length * 2))
    if (bigger.length > MAX_KEPT_SCRATCH) return bigger.subarray(0, writeFields(fields, bigger))
    scratch = bigger
  }
  return scratch.subarray(0, writeFields(fields, scratch))
}

/** Worst case: 3 UTF-8 bytes per UTF-16 unit. */
function capacityOf(fields: readonly (string | Uint8Array)[]): number {
  let capacity = 0
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    capacity += 4 + (typeof field === 'string' ? field.length * 3 : field.byteLength)
  }
  return capacity
}

function writeFields(fields: readonly (string | Uint8Array)[], out: Uint8Array): number {
  let offset = 0
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    const start = offset + 4
    let length: number
    if (typeof field === 'string') {
      length = writeAscii(field, out, start)
      if (length < 0) {
        if (!isWellFormed(field)) {
          throw new MizanError('MIZAN_CONFIG', `Field ${i} (${JSON.stringify(field.slice(0, 40))}) contains a lone surrogate, which has no UTF-8 encoding; ids, versions and params must be well-formed Unicode text.`)
        }
        length = encoder.encodeInto(field, out.subarray(start)).written
      }
    } else {
      out.set(field, start)
      length = field.byteLength
    }
    if (length > MAX_FIELD_BYTES) throw new MizanError('MIZAN_CONFIG', `Field ${i} is ${length} bytes; a field holds at most ${MAX_FIELD_BYTES} bytes.`)
    out[offset] = length >>> 24
    out[offset + 1] = (length >>> 16) & 0xff
    out[offset + 2] = (length >>> 8) & 0xff
    out[offset + 3] = length & 0xff
    offset = start + length
  }
  return offset
}

/** Copies an all-ASCII string byte for byte; -1 (having written garbage) at the first non-ASCII unit. */
function writeAscii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit > 0x7f) return -1
    out[at + i] = unit
  }
  return text.length
}
