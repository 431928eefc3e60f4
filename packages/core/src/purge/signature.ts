/**
 * The `mizan-signature` header shared by the signer and the verifier: its grammar, the
 * signed message, and which keys a secret or keyring contributes. See docs/cache.md
 * §Purge wire protocol.
 * @module
 */
import { base64urlDecode, base64urlEncode } from '../bytes.ts'
import { encodeFields } from '../encoding.ts'
import { MizanError } from '../errors.ts'
import type { CacheKeyring, CacheSecret } from '../secret.ts'
import { sha256 } from '#crypto'

/**
 * The header that carries purge signatures.
 *
 * @example
 * ```ts
 * fetch(url, { method: 'POST', headers: { [PURGE_SIGNATURE_HEADER]: header }, body })
 * ```
 */
export const PURGE_SIGNATURE_HEADER = 'mizan-signature'

/**
 * The path the render Worker serves purges on.
 *
 * @example
 * ```ts
 * if (url.pathname === PURGE_PATH) return handlePurgeRequest(request, options)
 * ```
 */
export const PURGE_PATH = '/_mizan/purge'

/**
 * One secret or a keyring (`createKeyring(current, ...previous)`): signers sign with every
 * key of a keyring, verifiers accept any of them.
 *
 * @example
 * ```ts
 * const keys: PurgeKeys = createKeyring(await createSecret(NEW), await createSecret(OLD))
 * ```
 */
export type PurgeKeys = CacheSecret | CacheKeyring

/** A parsed `v1` signature element. */
export interface SignatureElement {
  readonly kid: string
  /** Unix seconds, as sent. */
  readonly ts: string
  /** The 32-byte MAC. */
  readonly mac: Uint8Array
}

export const SIGNATURE_VERSION = 'v1'
export const MAX_SIGNATURES = 8
export const MAX_HEADER_LENGTH = 2048
const V1_ELEMENT = /^v1;kid=([A-Za-z0-9_-]{1,64});ts=(0|[1-9][0-9]{0,11});sig=([A-Za-z0-9_-]{43})$/
const OTHER_VERSION = /^v(?:0|[1-9][0-9]{0,3});/

/** The distinct keys of a secret or keyring, the current one first. */
export function keysOf(keys: PurgeKeys): CacheSecret[] {
  const all = 'all' in keys ? [keys.current, ...keys.all] : [keys]
  const byId = new Map<string, CacheSecret>()
  for (const key of all) if (!byId.has(key.keyId)) byId.set(key.keyId, key)
  return [...byId.values()]
}

/** base64url(SHA-256(raw body bytes)): how the body enters the signed message. */
export async function bodyDigest(body: Uint8Array): Promise<string> {
  return base64urlEncode(await sha256(body))
}

/** The bytes a purge MAC covers. Length-prefixed fields, so no field can bleed into another. */
export function signedMessage(ts: string, kid: string, method: string, path: string, digest: string): Uint8Array {
  return encodeFields(['mizan-purge', SIGNATURE_VERSION, ts, kid, method.toUpperCase(), path, digest])
}

/**
 * Splits a header into its `v1` elements. Elements of other versions are skipped, so a
 * signer may add a future version alongside v1; anything else makes the whole header
 * malformed (`null`).
 */
export function parseSignatureHeader(header: string): SignatureElement[] | null {
  if (header.length > MAX_HEADER_LENGTH) return null
  const parts = header.split(',')
  if (parts.length > MAX_SIGNATURES) return null
  const elements: SignatureElement[] = []
  for (const part of parts) {
    const text = part.trim()
    const match = V1_ELEMENT.exec(text)
    if (match) {
      const mac = base64urlDecode(match[3]!)
      if (mac === null) return null
      elements.push({ kid: match[1]!, ts: match[2]!, mac })
    } else if (!OTHER_VERSION.test(text) || text.startsWith(`${SIGNATURE_VERSION};`)) return null
  }
  return elements.length > 0 ? elements : null
}

/** `v1;kid=…;ts=…;sig=…`. */
export function formatSignature(kid: string, ts: string, mac: Uint8Array): string {
  return `${SIGNATURE_VERSION};kid=${kid};ts=${ts};sig=${base64urlEncode(mac)}`
}

/** Uppercase HTTP method token, or a config error naming it. */
export function checkMethod(method: string): string {
  if (!/^[A-Za-z]{1,16}$/.test(method)) {
    throw new MizanError('MIZAN_CONFIG', `Purge signing: method ${JSON.stringify(method)} is not an HTTP method; use 'POST'.`)
  }
  return method.toUpperCase()
}

/** An absolute path without query or fragment, or a config error naming it. */
export function checkPath(path: string): string {
  if (!/^\/[\x21-\x7e]*$/.test(path) || path.includes('?') || path.includes('#')) {
    throw new MizanError('MIZAN_CONFIG', `Purge signing: path ${JSON.stringify(path)} must start with '/' and hold no query, fragment or spaces (the signature covers the exact path, e.g. '${PURGE_PATH}').`)
  }
  return path
}

