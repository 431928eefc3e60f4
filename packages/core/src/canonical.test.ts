import { describe, expect, it } from 'vitest'
import { canonicalParams, DEFAULT_CANONICAL_LIMITS } from './canonical.ts'
import { MizanError, ParamsError } from './errors.ts'

function rejection(value: unknown, limits?: Parameters<typeof canonicalParams>[1]): ParamsError {
  try {
    canonicalParams(value, limits)
  } catch (error) {
    expect(error).toBeInstanceOf(ParamsError)
    return error as ParamsError
  }
  throw new Error(`accepted ${String(value)}`)
}

function nested(levels: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < levels; i++) v = [v]
  return v
}

describe('canonicalParams', () => {
  it('writes compact JSON with sorted keys at every level', () => {
    expect(canonicalParams({ b: { d: 1, c: [true, null] }, a: 'x' })).toBe('{"a":"x","b":{"c":[true,null],"d":1}}')
    expect(canonicalParams([])).toBe('[]')
    expect(canonicalParams({})).toBe('{}')
    expect(canonicalParams('')).toBe('""')
    expect(canonicalParams(null)).toBe('null')
  })

  it('sorts keys by UTF-16 code units, like Array.prototype.sort', () => {
    expect(canonicalParams({ a: 1, B: 2, '10': 3, '9': 4, '': 5 })).toBe('{"":5,"10":3,"9":4,"B":2,"a":1}')
    // U+FFFF sorts after U+1F600 in UTF-16 (0xFFFF > 0xD83D) though before it in code points.
    expect(canonicalParams({ '\uffff': 1, '😀': 2 })).toBe('{"😀":2,"\uffff":1}')
  })

  it('sorts many keys (the sort() path) the same way as few', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${(i * 7919) % 40}${i % 3 === 0 ? 'é' : ''}`)
    const text = canonicalParams(Object.fromEntries(keys.map((k) => [k, 1])))
    expect(text).toBe(`{${[...keys].sort().map((k) => `"${k}":1`).join(',')}}`)
  })

  it('writes numbers as JSON.stringify does and normalises -0 to 0', () => {
    const cases: Array<[number, string]> = [
      [-0, '0'], [0, '0'], [1e21, '1e+21'], [1e-7, '1e-7'], [0.000001, '0.000001'], [0.1, '0.1'],
      [123456789012345680000, '123456789012345680000'], [5e-324, '5e-324'], [-1.5, '-1.5'],
      [Number.MAX_VALUE, '1.7976931348623157e+308'], [2 ** 53 + 2, '9007199254740994'],
    ]
    for (const [n, text] of cases) expect(canonicalParams(n)).toBe(text)
    expect(canonicalParams({ x: [-0] })).toBe('{"x":[0]}')
  })

  it('escapes strings as JSON.stringify does', () => {
    expect(canonicalParams('"\\\b\f\n\r\t\u0000\u001f\u007f/\u2028é😀')).toBe('"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\u007f/\u2028é😀"')
    expect(canonicalParams({ 'a"b': 1 })).toBe('{"a\\"b":1}')
  })

  it('accepts null-prototype objects and shared (acyclic) references', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { z: 1, a: 2 })
    expect(canonicalParams(bare)).toBe('{"a":2,"z":1}')
    const shared = { k: 1 }
    expect(canonicalParams([shared, { s: shared }])).toBe('[{"k":1},{"s":{"k":1}}]')
  })

  it('never runs a getter', () => {
    let calls = 0
    const o = Object.defineProperty({}, 'g', { enumerable: true, get: () => ++calls })
    expect(rejection({ o }).path).toBe('$.o.g')
    expect(calls).toBe(0)
  })

  it('names the kind of each rejected value', () => {
    class Point { x = 1 }
    class List extends Array<number> {}
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /undefined/], [Number.NaN, /NaN is not a finite number/], [Infinity, /Infinity/], [-Infinity, /-Infinity/],
      [10n, /BigInt/], [Symbol('s'), /symbol/], [() => 1, /function/], [new Date(0), /Date.*toISOString/],
      [new Map(), /Map/], [new Set(), /Set/], [/x/, /RegExp/], [new Uint8Array(2), /Uint8Array/], [new DataView(new ArrayBuffer(1)), /DataView/],
      [new Point(), /class Point/], [new String('s'), /boxed String/], [new Number(1), /boxed Number/], [new Boolean(true), /boxed Boolean/],
      [Object(1n), /boxed BigInt/], [List.from([1]), /List, an Array subclass/], [Object.create({ inherited: 1 }), /custom prototype/],
      ['a\ud800', /lone surrogate/], ['\udc00', /lone surrogate/],
    ]
    for (const [value, reason] of cases) {
      const error = rejection(value)
      expect(error.path).toBe('$')
      expect(error.reason).toMatch(reason)
      expect(error.code).toBe('MIZAN_PARAMS')
      expect(error.message).toContain('$')
    }
  })

  it('points at holes, undefined values and bad keys', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(rejection({ list: [1, , 3] }).path).toBe('$.list[1]')
    expect(rejection({ list: [1, , 3] }).reason).toMatch(/hole/)
    expect(rejection({ a: { b: undefined } }).path).toBe('$.a.b')
    expect(rejection([new Array(3)]).path).toBe('$[0][0]')
    expect(rejection(JSON.parse('{"x":{"__proto__":{}}}')).path).toBe('$.x.__proto__')
    expect(rejection({ constructor: 1 }).reason).toMatch(/"constructor" is not allowed/)
    expect(rejection({ a: { prototype: 1 } }).path).toBe('$.a.prototype')
    expect(rejection({ 'a b': { [Symbol('k')]: 1 } }).path).toBe('$["a b"][Symbol(k)]')
    expect(rejection(Object.defineProperty({}, 'hidden', { value: 1, enumerable: false })).reason).toMatch(/non-enumerable/)
    expect(rejection({ '\ud800': 1 }).path).toBe('$["\\ud800"]')
  })

  it('rejects cycles but not repeated siblings', () => {
    const a: Record<string, unknown> = { b: {} }
    ;(a.b as Record<string, unknown>).back = a
    const error = rejection({ a })
    expect(error.path).toBe('$.a.b.back')
    expect(error.reason).toMatch(/circular/)
    const list: unknown[] = [1]
    list.push(list)
    expect(rejection(list).path).toBe('$[1]')
  })

  it('enforces maxDepth: 32 nested containers pass, 33 fail at the 33rd', () => {
    expect(DEFAULT_CANONICAL_LIMITS.maxDepth).toBe(32)
    expect(canonicalParams(nested(32))).toBe('['.repeat(32) + '1' + ']'.repeat(32))
    const error = rejection(nested(33))
    expect(error.path).toBe('$' + '[0]'.repeat(32))
    expect(error.reason).toMatch(/maxDepth \(32\)/)
    expect(rejection(nested(3), { maxDepth: 2 }).path).toBe('$[0][0]')
  })

  it('enforces maxNodes, counting the root and every value', () => {
    expect(canonicalParams(new Array(9_999).fill(0))).toHaveLength(2 * 9_999 + 1)
    const error = rejection(new Array(10_000).fill(0))
    expect(error.path).toBe('$[9999]')
    expect(error.reason).toMatch(/maxNodes \(10000\)/)
    expect(() => canonicalParams({ a: 1, b: 2 }, { maxNodes: 3 })).not.toThrow()
    expect(rejection({ a: 1, b: 2 }, { maxNodes: 2 }).path).toBe('$.b')
  })

  it('enforces maxBytes on the UTF-8 size of the output', () => {
    const limits = { maxBytes: 10 }
    expect(canonicalParams('12345678', limits)).toBe('"12345678"')
    expect(rejection('123456789', limits).path).toBe('$')
    expect(rejection('é'.repeat(5), limits).reason).toMatch(/12 bytes, more than maxBytes \(10\)/)
    const big = rejection({ list: ['x'.repeat(40_000), 'y'.repeat(40_000)] })
    expect(big.path).toBe('$.list[1]')
    expect(big.reason).toMatch(/maxBytes \(65536\)/)
  })

  it('validates the limits themselves', () => {
    expect(() => canonicalParams(1, { maxDepth: 0 })).toThrow(MizanError)
    expect(() => canonicalParams(1, { maxBytes: 1.5 })).toThrow(/limits.maxBytes must be a positive integer/)
  })
})
