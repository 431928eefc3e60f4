import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hexEncode } from './bytes.ts'
import { encodeFields, encodeFieldsTransient } from './encoding.ts'
import { MizanError } from './errors.ts'

describe('encodeFields', () => {
  it('length-prefixes each field with 4 big-endian bytes', () => {
    expect(hexEncode(encodeFields(['ab', new Uint8Array([1]), '']))).toBe('00000002' + '6162' + '00000001' + '01' + '00000000')
    expect(hexEncode(encodeFields(['é']))).toBe('00000002c3a9')
    expect(encodeFields([]).length).toBe(0)
  })

  it('keeps ("getPost","23") and ("getPost2","3") apart', () => {
    expect(hexEncode(encodeFields(['getPost', '23']))).not.toBe(hexEncode(encodeFields(['getPost2', '3'])))
  })

  it('counts UTF-8 bytes, not UTF-16 units, for long non-ASCII fields', () => {
    const text = '😀'.repeat(300)
    const out = encodeFields([text])
    expect(new DataView(out.buffer, out.byteOffset).getUint32(0)).toBe(1200)
    expect(out.length).toBe(1204)
  })

  it('is injective: different field lists never encode alike', () => {
    const field = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.uint8Array({ maxLength: 6 }))
    const fields = fc.array(field, { maxLength: 4 })
    // Strings and byte fields with the same bytes are the same field on the wire.
    const wire = (fs: readonly (string | Uint8Array)[]): string => JSON.stringify(fs.map((f) => (typeof f === 'string' ? hexEncode(new TextEncoder().encode(f)) : hexEncode(f))))
    fc.assert(
      fc.property(fields, fields, (a, b) => {
        fc.pre(wire(a) !== wire(b))
        expect(hexEncode(encodeFields(a))).not.toBe(hexEncode(encodeFields(b)))
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses lone surrogates, which have no UTF-8 form', () => {
    expect(() => encodeFields(['ok', 'bad\ud800'])).toThrow(MizanError)
    expect(() => encodeFields(['bad\ud800'])).toThrow(/Field 0 .*lone surrogate/)
  })

  it('has a transient variant with the same bytes, at every scratch size', () => {
    for (const size of [0, 10, 2_000, 300_000]) {
      const fields = ['mizan-key', 'é'.repeat(size), new Uint8Array([1, 2, 3])]
      const transient = encodeFieldsTransient(fields)
      expect(hexEncode(transient)).toBe(hexEncode(encodeFields(fields)))
    }
    const first = encodeFieldsTransient(['a'])
    const copy = first.slice()
    encodeFieldsTransient(['b'])
    expect(copy).toEqual(new Uint8Array([0, 0, 0, 1, 0x61]))
  })
})
