/**
 * Verifies a signed purge request before anything is parsed or applied. See docs/cache.md
 * §Purge wire protocol.
 * @module
 */
import { base64urlEncode } from '../bytes.ts'
import { encodeFields } from '../encoding.ts'
import { MizanError, SignatureError } from '../errors.ts'
import type { CacheSecret } from '../secret.ts'
import type { ReplayStore } from './replay.ts'
import { PURGE_SIGNATURE_HEADER, SIGNATURE_VERSION, bodyDigest, keysOf, parseSignatureHeader, signedMessage } from './signature.ts'
import type { PurgeKeys, SignatureElement } from './signature.ts'
import { PURGE_LIMITS, PurgeBodyError, parsePurgeBody } from './wire.ts'
import type { PurgeBody } from './wire.ts'
import { sha256, timingSafeEqual } from '#crypto'

/**
 * The parts of an HTTP request a purge signature covers.
 *
 * @example
 * ```ts
 * const body = new Uint8Array(await request.arrayBuffer())
 * const toVerify: PurgeRequestToVerify = { method: request.method, path: new URL(request.url).pathname, headers: request.headers, body }
 * ```
 */
export interface PurgeRequestToVerify {
  readonly method: string
  /** The request path exactly as received, without query. */
  readonly path: string
  readonly headers: Headers
  /** The raw body bytes, exactly as received. */
  readonly body: Uint8Array
}

/**
 * Options of {@link verifyPurgeRequest}.
 *
 * @example
 * ```ts
 * const options: VerifyPurgeOptions = { replay: new MemoryReplayStore(), windowSec: 300 }
 * ```
 */
export interface VerifyPurgeOptions {
  readonly replay: ReplayStore
  /** Current time in ms since the epoch (default `Date.now()`). */
  readonly now?: number
  /** Accepted clock difference in seconds, either way (default 300). */
  readonly windowSec?: number
}

/**
 * Checks the `mizan-signature` header of a purge request and returns its parsed body.
 * Accepts when any signature verifies with any key of `keys`; throws `SignatureError` with
 * `reason` `missing`, `malformed`, `unknown-key`, `expired`, `mismatch` or `replayed`, and
 * `PurgeBodyError` for a body that is signed but invalid (or too large to hash).
 *
 * @example
 * ```ts
 * const replay = new MemoryReplayStore()
 * try {
 *   const body = await verifyPurgeRequest(keyring, { method, path, headers, body: bytes }, { replay })
 *   await applyPurge(body, { backend, secret: keyring.current })
 * } catch (e) {
 *   if (e instanceof SignatureError) return new Response(e.reason, { status: 401 })
 *   throw e
 * }
 * ```
 */
export async function verifyPurgeRequest(keys: PurgeKeys, request: PurgeRequestToVerify, options: VerifyPurgeOptions): Promise<PurgeBody> {
  const windowSec = options.windowSec ?? 300
  if (!Number.isSafeInteger(windowSec) || windowSec < 1) {
    throw new MizanError('MIZAN_CONFIG', `verifyPurgeRequest: windowSec must be a positive integer number of seconds, got ${String(windowSec)}.`)
  }
  if (request.body.length > PURGE_LIMITS.maxBodyBytes) {
    throw new PurgeBodyError('$', `${request.body.length} bytes exceed the limit of ${PURGE_LIMITS.maxBodyBytes}`, { status: 413 })
  }
  const header = request.headers.get(PURGE_SIGNATURE_HEADER)
  if (header === null || header.trim() === '') {
    throw new SignatureError('missing', `Purge request has no ${PURGE_SIGNATURE_HEADER} header; sign it with signPurgeRequest (or use createPurger).`)
  }
  const elements = parseSignatureHeader(header)
  if (elements === null) {
    throw new SignatureError('malformed', `The ${PURGE_SIGNATURE_HEADER} header is not a list of '${SIGNATURE_VERSION};kid=<key id>;ts=<unix seconds>;sig=<base64url>' signatures.`)
  }
  const known = new Map(keysOf(keys).map((key) => [key.keyId, key]))
  const candidates = elements.filter((element) => known.has(element.kid))
  if (candidates.length === 0) {
    throw new SignatureError('unknown-key', `No purge signature uses a key this receiver holds (signed with ${elements.map((e) => e.kid).join(', ')}; accepted ${[...known.keys()].join(', ')}). Check that the purger and the render Worker share the same secret, or keep the old secret in the keyring during a rotation.`)
  }
  const nowSec = Math.floor((options.now ?? Date.now()) / 1000)
  const digest = await bodyDigest(request.body)
  let valid: SignatureElement | undefined
  let inWindow = false
  for (const element of candidates) {
    if (Math.abs(nowSec - Number(element.ts)) > windowSec) continue
    inWindow = true
    if (await macMatches(known.get(element.kid)!, element, request, digest)) {
      valid = element
      break
    }
  }
  if (valid === undefined) {
    if (!inWindow) {
      throw new SignatureError('expired', `Purge signature timestamp is more than ${windowSec} s away from this receiver's clock (now ${nowSec}, signed ${candidates.map((c) => c.ts).join(', ')}). Sync the clocks (NTP); a retried purge must be signed again.`)
    }
    throw new SignatureError('mismatch', 'Purge signature does not match the request (method, path, body, timestamp or key id changed, or a different secret signed it).')
  }
  const body = parsePurgeBody(request.body)
  const expiresAt = (Number(valid.ts) + windowSec + 1) * 1000
  if (!(await options.replay.seen(await replayId(valid.ts, request, digest), expiresAt))) {
    throw new SignatureError('replayed', `This signed purge request (id ${body.id}) was already accepted; a retry must be signed again with a fresh timestamp.`)
  }
  return body
}

// Both MACs are 32 bytes (the header grammar fixes the length), so the comparison time
// does not depend on where they differ.
async function macMatches(key: CacheSecret, element: SignatureElement, request: PurgeRequestToVerify, digest: string): Promise<boolean> {
  const expected = await key.signPurge(signedMessage(element.ts, element.kid, request.method, request.path, digest))
  return timingSafeEqual(expected, element.mac)
}

// Keyed on what was signed minus the key id: during a rotation the signer sends one MAC per
// key, and deduplicating by one MAC would let the same request through again with another.
async function replayId(ts: string, request: PurgeRequestToVerify, digest: string): Promise<string> {
  return base64urlEncode(await sha256(encodeFields(['mizan-purge-replay', SIGNATURE_VERSION, ts, request.method.toUpperCase(), request.path, digest])))
}
