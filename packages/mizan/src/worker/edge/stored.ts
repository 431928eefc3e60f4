/**
 * How an entry sits in the Cache API: a synthetic URL, a `Cache-Tag` header for Cloudflare's
 * purge-by-tag, and a body that carries the entry's epoch, expiry and tags ahead of the
 * envelope bytes (response headers are not a reliable place for them: Cloudflare consumes
 * `Cache-Tag`, and header sizes are limited).
 * @module
 */
import { TAG_LIMITS, utf8Decode, utf8Encode } from '@mizan/core'
import type { EntryRef } from '@mizan/core'
import type { TierEntry } from './tier.ts'

const MAGIC = [0x4d, 0x5a, 0x45, 0x31] // "MZE1"
const PREFIX_BYTES = 8

/** The Cache API URL of an entry; entries of a non-default purge state live apart. */
export function entryUrl(ref: EntryRef, stateName: string, defaultStateName: string): string {
  const base = `https://mizan.internal/e/${ref.context}/${ref.key}`
  return stateName === defaultStateName ? base : `${base}?state=${encodeURIComponent(stateName)}`
}

/** The `Cache-Tag` value of `tags`, `''` for none, or `undefined` when they exceed Cloudflare's limits. */
export function cacheTagHeader(tags: readonly string[]): string | undefined {
  if (tags.length > TAG_LIMITS.maxTags) return undefined
  const value = tags.join(',')
  return value.length > TAG_LIMITS.maxTotalBytes ? undefined : value
}

/** The response `cache.put` stores for an entry. */
export function storedResponse(entry: TierEntry, tagHeader: string, ttlMs: number): Response {
  const meta = utf8Encode(JSON.stringify({ epoch: entry.epoch, expiresAt: entry.expiresAt, tags: entry.tags }))
  const body = new Uint8Array(PREFIX_BYTES + meta.length + entry.bytes.length)
  body.set(MAGIC, 0)
  new DataView(body.buffer).setUint32(4, meta.length)
  body.set(meta, PREFIX_BYTES)
  body.set(entry.bytes, PREFIX_BYTES + meta.length)
  const headers = new Headers({ 'content-type': 'application/octet-stream', 'cache-control': `public, max-age=${Math.max(1, Math.ceil(ttlMs / 1000))}` })
  if (tagHeader !== '') headers.set('cache-tag', tagHeader)
  return new Response(body, { headers })
}

/** The entry in a stored body, or `null` when the body is not one (corrupt or foreign). */
export function decodeStored(body: Uint8Array): TierEntry | null {
  if (body.length < PREFIX_BYTES || MAGIC.some((byte, i) => body[i] !== byte)) return null
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(4)
  if (PREFIX_BYTES + length > body.length) return null
  try {
    const meta: unknown = JSON.parse(utf8Decode(body.subarray(PREFIX_BYTES, PREFIX_BYTES + length)))
    if (typeof meta !== 'object' || meta === null) return null
    const { epoch, expiresAt, tags } = meta as Record<string, unknown>
    if (typeof epoch !== 'number' || typeof expiresAt !== 'number' || !Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) return null
    return { epoch, expiresAt, tags: tags as string[], bytes: body.slice(PREFIX_BYTES + length) }
  } catch {
    return null
  }
}
