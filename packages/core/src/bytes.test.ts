import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64Decode, base64urlDecode, base64urlEncode, hexDecode, hexEncode, isWellFormed, utf8Decode, utf8Encode, concatBytes } from './bytes.ts'

// node:buffer serves only as an independent reference implementation here.
describe('bytes', () => {
  it('encodes and decodes UTF-8 like the platform, strictly', () => {
    expect([...utf8Encode('é€😀')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80])
    expect(utf8Decode(utf8Encode('\ufeffhi'))).toBe('\ufeffhi')
    expect(() => utf8Decode(new Uint8Array([0xc3]))).toThrow(TypeError)
    expect(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80]))).toThrow(TypeError)
  })

  it('tells well-formed strings from ones with lone surrogates', () => {
    expect(isWellFormed('a😀b')).toBe(true)
    expect(isWellFormed('')).toBe(true)
    expect(isWellFormed('\ud83d')).toBe(false)
    expect(isWellFormed('\ude00x')).toBe(false)
    expect(isWellFormed('x\ud83d\ud83d\ude00')).toBe(false)
  })

  it('round-trips base64url and matches a reference encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const text = base64urlEncode(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64url'))
        expect(base64urlDecode(text)).toEqual(bytes)
        expect(base64Decode(text)).toEqual(bytes)
        expect(base64Decode(Buffer.from(bytes).toString('base64'))).toEqual(bytes)
      }),
    )
  })

  it('rejects non-canonical or foreign base64url', () => {
    expect(base64urlDecode('-_8')).toEqual(new Uint8Array([0xfb, 0xff]))
    expect(base64urlDecode('-_8=')).toBeNull()
    expect(base64urlDecode('+/8')).toBeNull()
    expect(base64urlDecode('A')).toBeNull()
    expect(base64urlDecode('AB')).toBeNull() // 'B' leaves non-zero trailing bits
    expect(base64urlDecode('AA')).toEqual(new Uint8Array([0]))
    expect(base64urlDecode('AA AA')).toBeNull()
  })

  it('accepts either base64 alphabet with optional correct padding', () => {
    expect(base64Decode('+/8=')).toEqual(new Uint8Array([0xfb, 0xff]))
    expect(base64Decode('+/8')).toEqual(new Uint8Array([0xfb, 0xff]))
    expect(base64Decode('-_8')).toEqual(new Uint8Array([0xfb, 0xff]))
    expect(base64Decode('+_8')).toBeNull()
    expect(base64Decode('+/8==')).toBeNull()
    expect(base64Decode('AA=')).toBeNull()
    expect(base64Decode('AA==')).toEqual(new Uint8Array([0]))
    expect(base64Decode('A===')).toBeNull()
    expect(base64Decode('not base64!')).toBeNull()
  })

  it('round-trips hex, decoding either case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const text = hexEncode(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('hex'))
        expect(hexDecode(text)).toEqual(bytes)
        expect(hexDecode(text.toUpperCase())).toEqual(bytes)
      }),
    )
    expect(hexDecode('0f0')).toBeNull()
    expect(hexDecode('0g')).toBeNull()
    expect(hexDecode('+1')).toBeNull()
  })
})

describe('concatBytes', () => {
  it('joins chunks in order, and returns a lone chunk as is', () => {
    expect(concatBytes([new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])], 3)).toEqual(new Uint8Array([1, 2, 3]))
    const one = new Uint8Array([4, 5])
    expect(concatBytes([one], 2)).toBe(one)
    expect(concatBytes([], 0)).toEqual(new Uint8Array(0))
  })
})
