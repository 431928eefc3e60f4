import { describe, expect, it } from 'vitest'
import { utf8Decode, utf8Encode } from './bytes.ts'
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

const text = (e: Envelope): string => utf8Decode(encodeEnvelope(e))
const withJson = (json: string): Uint8Array => utf8Encode(`MZE1\n${json}`)

describe('envelope', () => {
  it('writes MZE1, a newline, then JSON fields in a fixed order with value last', () => {
    expect(text({ ...base, value: 1 })).toBe(
      'MZE1\n{"version":1,"keyId":"0123456789abcdef","key":"' + 'k'.repeat(43) +
        '","createdAt":1700000000000,"freshUntil":1700000300000,"staleUntil":1700003900000,"errorUntil":1700003900000,"tags":["post:hello","posts"],"epoch":42,"value":1}',
    )
  })

  it('round-trips', () => {
    expect(decodeEnvelope(encodeEnvelope(base), expectRef)).toEqual(base)
    expect(decodeEnvelope(encodeEnvelope({ ...base, value: null }), expectRef)?.value).toBeNull()
  })

  it('decodes Node Buffers (what RedisCache reads) exactly like Uint8Arrays, and still rejects malformed UTF-8', () => {
    const bytes = encodeEnvelope({ ...base, value: { replacement: 'a\uFFFDb' } })
    expect(decodeEnvelope(Buffer.from(bytes), expectRef)).toEqual(decodeEnvelope(bytes, expectRef))
    expect(decodeEnvelope(Buffer.from(bytes), expectRef)?.value).toEqual({ replacement: 'a\uFFFDb' })
    const good = Buffer.from(encodeEnvelope({ ...base, value: 'xx' }))
    const at = good.lastIndexOf(0x78)
    good[at] = 0xff // not UTF-8 anywhere
    expect(decodeEnvelope(good, expectRef)).toBeNull()
    expect(decodeEnvelope(new Uint8Array(good), expectRef)).toBeNull()
  })

  it('returns null for foreign entries', () => {
    const bytes = encodeEnvelope(base)
    expect(decodeEnvelope(bytes, { ...expectRef, key: 'other' })).toBeNull()
    expect(decodeEnvelope(bytes, { ...expectRef, keyId: 'fedcba9876543210' })).toBeNull()
  })

  it('returns null, never throws, for corrupt or other-version bytes', () => {
    const good = text(base).slice(5)
    const corrupt: Uint8Array[] = [
      new Uint8Array(),
      utf8Encode('MZE1'),
      utf8Encode('MZE2\n' + good),
      utf8Encode('mze1\n' + good),
      withJson(good.slice(0, -1)),
      withJson('null'),
      withJson('[]'),
      withJson(good.replace('"version":1', '"version":2')),
      withJson(good.replace('"epoch":42', '"epoch":"42"')),
      withJson(good.replace('"epoch":42', '"epoch":-1')),
      withJson(good.replace('"createdAt":1700000000000', '"createdAt":1.5')),
      withJson(good.replace('"tags":["post:hello","posts"]', '"tags":"posts"')),
      withJson(good.replace('"tags":["post:hello","posts"]', '"tags":[1]')),
      withJson(good.replace('"freshUntil":1700000300000', '"freshUntil":1700009999999')),
      withJson(good.replace('"createdAt":1700000000000', '"createdAt":1700000300001')),
      withJson(good.replace('"errorUntil":1700003900000', '"errorUntil":1700003899999')),
      withJson(good.replace(',"value":', ',"extra":1,"value":')),
      withJson(good.replace(/,"value":.*\}$/, '}')),
      new Uint8Array([...utf8Encode('MZE1\n'), 0xff, 0xfe]),
    ]
    for (const bytes of corrupt) expect(decodeEnvelope(bytes, expectRef)).toBeNull()
    expect(decodeEnvelope('MZE1\n{}' as never, expectRef)).toBeNull()
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
