/**
 * Signs a purge request. See docs/cache.md §Purge wire protocol.
 * @module
 */
import { bodyDigest, checkMethod, checkPath, formatSignature, keysOf, signedMessage } from './signature.ts'
import type { PurgeKeys } from './signature.ts'

/**
 * What a purge signature covers.
 *
 * @example
 * ```ts
 * const request: PurgeRequestToSign = { method: 'POST', path: '/_mizan/purge', body }
 * ```
 */
export interface PurgeRequestToSign {
  readonly method: string
  /** The exact request path, without query. */
  readonly path: string
  /** The raw body bytes, exactly as sent. */
  readonly body: Uint8Array
  /** Signing time in ms since the epoch (default `Date.now()`); the header carries whole seconds. */
  readonly now?: number
}

/**
 * The value of the `mizan-signature` header for a request: one `v1` signature per key —
 * a keyring signs with every key, so verifiers that hold only the old or only the new key
 * both accept it during a rotation.
 *
 * @example
 * ```ts
 * const body = encodePurgeBody({ id: 'p1', tags: ['post:hello'] })
 * const signature = await signPurgeRequest(secret, { method: 'POST', path: '/_mizan/purge', body })
 * await fetch('https://app.example.com/_mizan/purge', {
 *   method: 'POST', body, headers: { 'content-type': 'application/json', 'mizan-signature': signature },
 * })
 * ```
 */
export async function signPurgeRequest(keys: PurgeKeys, request: PurgeRequestToSign): Promise<string> {
  const method = checkMethod(request.method)
  const path = checkPath(request.path)
  const ts = String(Math.floor((request.now ?? Date.now()) / 1000))
  const digest = await bodyDigest(request.body)
  const signatures = await Promise.all(keysOf(keys).map(async (key) => {
    const mac = await key.signPurge(signedMessage(ts, key.keyId, method, path, digest))
    return formatSignature(key.keyId, ts, mac)
  }))
  return signatures.join(', ')
}
