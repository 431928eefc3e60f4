import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8Encode } from './bytes.ts'
import type { Envelope } from './envelope.ts'
import { decodeEnvelope, encodeEnvelope } from './envelope.ts'
import { MizanError } from './errors.ts'

const expectRef = { keyId: '0123456789abcdef', key: 'k'.repeat(43) }
const base: Envelope = {
  version: 1,
  ...expectRef,
  createdAt: 1_700_000_000_000,
  freshUntil: 1_700_000_300_000,
  staleUntil: 1_700_003_900_000,
  errorUntil: 1_700_003_900_000,
  tags: ['post:hello', 'posts'],
  epoch: 42,
  value: { title: 'Héllo 😀', n: [1, null, true], lone: '\ud800' },
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const u64 = (n: number): string => n.toString(16).padStart(16, '0')
/** `bytes` with `patch` written at `at`. */
const patched = (bytes: Uint8Array, at: number, patch: readonly number[]): Uint8Array => {
  const copy = bytes.slice()
  copy.set(patch, at)
  return copy
}
const beU64 = (n: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(56 - 8 * i)) & 0xffn))

// The published vector of docs/cache.md §Envelope format.
const vector: Envelope = {
  version: 1,
  keyId: '6ea4367dfcb4688b',
  key: 'qiorTwVHbQisUUHO1QwvF9DIOlkkLgzAXknK7mRgkHU',
  createdAt: 1_700_000_000_000,
  freshUntil: 1_700_000_300_000,
  staleUntil: 1_700_003_900_000,
  errorUntil: 1_700_003_900_000,
  tags: ['post:hello', 'posts'],
  epoch: 42,
  value: { title: 'Héllo' },
}

describe('envelope', () => {
  it('writes MZE2, the fixed header, key id, key, tags joined by commas, then the value JSON', () => {
    const bytes = encodeEnvelope({ ...base, value: 1 })
    const tags = 'post:hello,posts'
    expect(hex(bytes)).toBe(
      hex(utf8Encode('MZE2')) + u64(base.createdAt) + u64(base.freshUntil) + u64(base.staleUntil) + u64(base.errorUntil) + u64(base.epoch) +
        '10' + '2b' + tags.length.toString(16).padStart(8, '0') + hex(utf8Encode(base.keyId + base.key + tags + '1')),
    )
  })

  it('matches the byte vector published in docs/cache.md', async () => {
    const docs = readFileSync(new URL('../../../docs/cache.md', import.meta.url), 'utf8')
    const published = /<!-- envelope-vector -->\n```\n([\s\S]*?)```/.exec(docs)?.[1]?.replace(/\s+/g, '')
    expect(published).toBe(hex(encodeEnvelope(vector)))
    expect(decodeEnvelope(encodeEnvelope(vector), vector)).toEqual(vector)
  })

  it('round-trips', () => {
    expect(decodeEnvelope(encodeEnvelope(base), expectRef)).toEqual(base)
    expect(decodeEnvelope(encodeEnvelope({ ...base, value: null }), expectRef)?.value).toBeNull()
    expect(decodeEnvelope(encodeEnvelope({ ...base, tags: [] }), expectRef)?.tags).toEqual([])
    const big = { ...base, createdAt: 0, freshUntil: 2 ** 32, staleUntil: Number.MAX_SAFE_INTEGER, errorUntil: Number.MAX_SAFE_INTEGER, epoch: 1_734_567_890_123_456 }
    expect(decodeEnvelope(encodeEnvelope(big), expectRef)).toEqual(big)
  })

  it('round-trips arbitrary values, tags and times', () => {
    const tag = fc.stringMatching(/^[!-+\--~]{1,12}$/)
    fc.assert(
      fc.property(fc.jsonValue(), fc.uniqueArray(tag, { maxLength: 5 }), fc.array(fc.maxSafeNat(), { minLength: 5, maxLength: 5 }), (value, tags, times) => {
        const [createdAt, freshUntil, staleUntil, errorUntil] = times.slice(0, 4).sort((a, b) => a - b) as [number, number, number, number]
        const e: Envelope = { ...base, createdAt, freshUntil, staleUntil, errorUntil, epoch: times[4]!, tags, value: JSON.parse(JSON.stringify(value)) }
        expect(decodeEnvelope(encodeEnvelope(e), expectRef)).toEqual(e)
      }),
    )
  })

  it('never throws on corrupted bytes: each is a miss or decodes to consistent metadata', () => {
    const good = encodeEnvelope(base)
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(good.length), (at, byte, cut) => {
        for (const bytes of [patched(good, at, [byte]), good.subarray(0, cut)]) {
          const e = decodeEnvelope(bytes, expectRef)
          if (e !== null) expect(e.createdAt <= e.freshUntil && e.freshUntil <= e.staleUntil && e.staleUntil <= e.errorUntil).toBe(true)
        }
      }),
    )
  })

  it('decodes Node Buffers (what RedisCache reads) exactly like Uint8Arrays, and still rejects malformed UTF-8', () => {
    const bytes = encodeEnvelope({ ...base, value: { replacement: 'a\uFFFDb' } })
    expect(decodeEnvelope(Buffer.from(bytes), expectRef)).toEqual(decodeEnvelope(bytes, expectRef))
    expect(decodeEnvelope(Buffer.from(bytes), expectRef)?.value).toEqual({ replacement: 'a\uFFFDb' })
    // A Buffer that is a view into a larger pool (as ioredis returns them).
    const pooled = Buffer.concat([Buffer.from('junk'), Buffer.from(bytes)]).subarray(4)
    expect(decodeEnvelope(pooled, expectRef)).toEqual(decodeEnvelope(bytes, expectRef))
    const good = Buffer.from(encodeEnvelope({ ...base, value: 'xx' }))
    const at = good.lastIndexOf(0x78)
    good[at] = 0xff // not UTF-8 anywhere
    expect(decodeEnvelope(good, expectRef)).toBeNull()
    expect(decodeEnvelope(new Uint8Array(good), expectRef)).toBeNull()
  })

  it('returns null for foreign entries', () => {
    const bytes = encodeEnvelope(base)
    expect(decodeEnvelope(bytes, { ...expectRef, key: 'other' })).toBeNull()
    expect(decodeEnvelope(bytes, { ...expectRef, key: 'k'.repeat(42) + 'K' })).toBeNull()
    expect(decodeEnvelope(bytes, { ...expectRef, keyId: 'fedcba9876543210' })).toBeNull()
  })

  it('returns null, never throws, for corrupt or other-version bytes', () => {
    const good = encodeEnvelope(base)
    const valueAt = 50 + 16 + 43 + 'post:hello,posts'.length
    const corrupt: Uint8Array[] = [
      new Uint8Array(),
      utf8Encode('MZE2'),
      good.subarray(0, 49),
      good.subarray(0, valueAt), // no value
      good.subarray(0, -1), // value JSON cut short
      patched(good, 0, [...utf8Encode('MZE1')]), // the JSON format of earlier releases
      patched(good, 0, [...utf8Encode('MZE3')]),
      patched(good, 0, [...utf8Encode('mze2')]),
      utf8Encode('MZE1\n{"version":1,"keyId":"0123456789abcdef","key":"' + 'k'.repeat(43) + '","createdAt":1,"freshUntil":1,"staleUntil":1,"errorUntil":1,"tags":[],"epoch":0,"value":1}'),
      patched(good, 4, beU64(2n ** 53n)), // createdAt above 2^53 - 1
      patched(good, 36, beU64(2n ** 63n)), // epoch above 2^53 - 1
      patched(good, 12, beU64(BigInt(base.createdAt - 1))), // freshUntil < createdAt
      patched(good, 28, beU64(BigInt(base.staleUntil - 1))), // errorUntil < staleUntil
      patched(good, 44, [17]), // key id length past its bytes
      patched(good, 46, [0xff, 0xff, 0xff, 0xff]), // tags length past the end
      patched(good, 46, [0, 0, 0, 'post:hello,posts'.length + 1]), // tags swallow the value's first byte
      patched(good, 50 + 16 + 43 + 4, [0x20]), // a space in a tag
      patched(good, 50 + 16 + 43 + 10, [0x2c, 0x2c]), // an empty tag
      patched(good, 50 + 16 + 43, [0x2c]), // a leading comma
      patched(good, valueAt, [0x7b, 0x7b]), // JSON
      new Uint8Array([...good.subarray(0, valueAt), 0xff, 0xfe]), // UTF-8
    ]
    for (const [i, bytes] of corrupt.entries()) expect([i, decodeEnvelope(bytes, expectRef)]).toEqual([i, null])
    expect(decodeEnvelope('MZE2' as never, expectRef)).toBeNull()
  })

  it('refuses ids and tags the format cannot carry with a typed error', () => {
    for (const bad of [{ keyId: '' }, { key: 'k'.repeat(256) }, { key: 'k é' }, { tags: ['a,b'] }, { tags: [''] }, { tags: ['caf\u00e9'] }]) {
      expect(() => encodeEnvelope({ ...base, ...bad })).toThrow(MizanError)
    }
  })

  it('refuses values without a JSON form with a typed error', () => {
    for (const value of [undefined, () => 1, 1n]) {
      expect(() => encodeEnvelope({ ...base, value })).toThrow(MizanError)
    }
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => encodeEnvelope({ ...base, value: cyclic })).toThrow(/cannot be serialised as JSON/)
  })

  it('treats inconsistent metadata as a bug in Mizan', () => {
    expect(() => encodeEnvelope({ ...base, staleUntil: base.freshUntil - 1 })).toThrow(/bug in Mizan/)
  })
})
