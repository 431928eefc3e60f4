import { canonicalParams } from '@mizan/core/canonical'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical.ts'

const key = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('10', '9', '1', 'a', 'B', '_', '$', 'é', '😀', '\u007f'))
  .filter((k) => k !== '__proto__' && k !== 'constructor')
const string = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\n', '\u2028', 'a', '😀'), maxLength: 4 }))
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, 0.1, -1.5))
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null), fc.boolean(), number, string,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value

describe('canonicalJson (the browser canonicaliser)', () => {
  it('gives exactly the core canonicalParams text for every value the core accepts', () => {
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (params) => {
      expect(canonicalJson(params)).toBe(canonicalParams(params))
    }), { numRuns: 2000 })
  })

  it('sorts keys by code units, integer-like keys included, and writes -0 as 0', () => {
    expect(canonicalJson({ b: 1, a: [true, null, -0], 10: 'x', 9: 'y' })).toBe('{"10":"x","9":"y","a":[true,null,0],"b":1}')
  })

  it('refuses undefined by name (the common slip), leaving other invalid values to the Worker', () => {
    expect(() => canonicalJson({ page: undefined })).toThrow(/omit the property or use null/)
    expect(() => canonicalParams({ n: Number.NaN })).toThrow()
    expect(canonicalJson({ n: Number.NaN })).toBe('{"n":null}')
  })
})
