import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalParams } from './canonical.ts'
import { ParamsError } from './errors.ts'

const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])

/** Accepted JSON values. `unit: 'binary'` draws any code point, astral ones as surrogate pairs. */
function acceptedValue(string: fc.Arbitrary<string>, number: fc.Arbitrary<number>, maxKeys = 4): fc.Arbitrary<unknown> {
  const key = string.filter((k) => !RESERVED.has(k))
  return fc.letrec<{ value: unknown; container: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.boolean(), number, string, tie('container')),
    container: fc.oneof(
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys, noNullPrototype: false }),
    ),
  })).value
}

const anyNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constant(-0))
const anyString = fc.string({ unit: 'binary', maxLength: 8 })
const accepted = acceptedValue(anyString, anyNumber)

/** A small domain, so that distinct values often look alike: escapes, separators, -0. */
const trickyString = fc.string({ unit: fc.constantFrom('a', 'b', '"', '\\', ',', ':', '{', '}', '[', ']', '\u0000', 'é', '😀', ' '), maxLength: 3 })
const trickyNumber = fc.constantFrom(0, -0, 1, 10, 1.5, 0.1, 1e21, 1e-7, -1, 100)
const tricky = acceptedValue(trickyString, trickyNumber, 3)
/** A tiny domain: in a batch of values, near-collisions (`["a","a"]` vs `['a","a']`) are common. */
const tinyString = fc.string({ unit: fc.constantFrom('a', '","', '":"', '"', '\\', ','), maxLength: 3 })
const tiny = acceptedValue(tinyString, fc.constantFrom(0, -0, 1), 2)

/** The independent oracle: -0 → 0 everywhere, keys re-inserted in sorted order. */
function normalized(v: unknown): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v
  if (Array.isArray(v)) return v.map(normalized)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) out[k] = normalized((v as Record<string, unknown>)[k])
    return out
  }
  return v
}

/** An independent serialiser (object property order puts integer-like keys first, so build text). */
function oracle(v: unknown): string {
  if (typeof v === 'number') return JSON.stringify(v === 0 ? 0 : v)
  if (Array.isArray(v)) return `[${v.map(oracle).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const record = v as Record<string, unknown>
    return `{${Object.keys(record).sort().map((k) => `${JSON.stringify(k)}:${oracle(record[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

/** Structural equality of accepted values, -0 ≡ 0. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return a === b
}

/** The same value with every object's keys inserted in reverse order. */
function reinserted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reinserted)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {}
    for (const k of Object.keys(v).reverse()) out[k] = reinserted((v as Record<string, unknown>)[k])
    return out
  }
  return v
}

describe('canonicalParams properties', () => {
  it('round-trips through JSON.parse (modulo -0), is idempotent and ignores key insertion order', () => {
    fc.assert(
      fc.property(accepted, (v) => {
        const text = canonicalParams(v)
        expect(JSON.parse(text)).toEqual(normalized(v))
        expect(text).toBe(oracle(v))
        expect(canonicalParams(JSON.parse(text))).toBe(text)
        expect(canonicalParams(reinserted(v))).toBe(text)
      }),
      { numRuns: 1000 },
    )
  })

  it('gives distinct values distinct encodings', () => {
    fc.assert(
      fc.property(tricky, tricky, (a, b) => {
        expect(canonicalParams(a) === canonicalParams(b)).toBe(same(a, b))
      }),
      { numRuns: 5000 },
    )
  })

  it('has no colliding partner: the value any JSON reader finds in enc(a) is a itself', () => {
    // Random pairs rarely hit a collision of a broken encoder (say, unescaped quotes make
    // ['a","a'] and ['a','a'] alike); the decoded text is exactly that would-be partner.
    fc.assert(
      fc.property(fc.oneof(tricky, tiny), (a) => {
        const text = canonicalParams(a)
        const partner: unknown = JSON.parse(text)
        expect(canonicalParams(partner)).toBe(text)
        expect(same(partner, a)).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })

  it('gives a value and any one-step mutation of it distinct encodings', () => {
    const mutated = tricky.chain((a) => fc.tuple(fc.constant(a), mutation(a)))
    fc.assert(
      fc.property(mutated, ([a, b]) => {
        expect(canonicalParams(a) === canonicalParams(b)).toBe(same(a, b))
      }),
      { numRuns: 3000 },
    )
  })

  it('rejects each bad kind wherever it is embedded, with a path that points at it', () => {
    const host = fc.oneof(fc.array(accepted, { maxLength: 4 }), fc.dictionary(anyString.filter((k) => !RESERVED.has(k)), accepted, { maxKeys: 4 }))
    fc.assert(
      fc.property(host, fc.nat(), fc.constantFrom(...BAD_KINDS), anyString, (generated, pick, bad, newKey) => {
        // A copy: fast-check replays and shrinks the generated value, which must stay clean.
        const root = copy(generated)
        const containers = collectContainers(root)
        const slot = containers[pick % containers.length]!
        const expectedPath = insert(slot, newKey, bad)
        let thrown: unknown
        try {
          canonicalParams(root)
        } catch (error) {
          thrown = error
        }
        expect(thrown).toBeInstanceOf(ParamsError)
        expect((thrown as ParamsError).path).toBe(expectedPath + bad.suffix(slot.depth))
        expect((thrown as ParamsError).reason).toMatch(bad.reason)
      }),
      { numRuns: 2000 },
    )
  })
})

/** One change to one place in `a`: a scalar replaced, an element or key added or removed. */
function mutation(a: unknown): fc.Arbitrary<unknown> {
  const replacement = fc.oneof(trickyString, trickyNumber, fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}))
  if (Array.isArray(a)) {
    const options: fc.Arbitrary<unknown>[] = [replacement, replacement.map((x) => [...a, x])]
    if (a.length > 0) {
      options.push(fc.nat(a.length - 1).map((i) => a.filter((_, j) => j !== i)))
      options.push(fc.nat(a.length - 1).chain((i) => mutation(a[i]).map((x) => a.map((y, j) => (j === i ? x : y)))))
    }
    return fc.oneof(...options)
  }
  if (a !== null && typeof a === 'object') {
    const keys = Object.keys(a)
    const record = a as Record<string, unknown>
    const options: fc.Arbitrary<unknown>[] = [replacement, fc.tuple(trickyString, replacement).map(([k, x]) => ({ ...record, [k]: x }))]
    if (keys.length > 0) {
      options.push(fc.constantFrom(...keys).map((k) => Object.fromEntries(keys.filter((x) => x !== k).map((x) => [x, record[x]]))))
      options.push(fc.constantFrom(...keys).chain((k) => mutation(record[k]).map((x) => ({ ...record, [k]: x }))))
    }
    return fc.oneof(...options).filter((x) => !(x !== null && typeof x === 'object' && Object.keys(x).some((k) => RESERVED.has(k))))
  }
  return replacement
}

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {}
    for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k])
    return out
  }
  return v
}

interface Slot {
  readonly container: unknown[] | Record<string, unknown>
  readonly path: string
  /** Containers enclosing a value placed in this slot. */
  readonly depth: number
}

function segment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}

function collectContainers(v: unknown, path = '$', depth = 1, out: Slot[] = []): Slot[] {
  if (Array.isArray(v)) {
    out.push({ container: v, path, depth })
    v.forEach((x, i) => collectContainers(x, `${path}[${i}]`, depth + 1, out))
  } else if (v !== null && typeof v === 'object') {
    const record = v as Record<string, unknown>
    out.push({ container: record, path, depth })
    for (const k of Object.keys(record)) collectContainers(record[k], path + segment(k), depth + 1, out)
  }
  return out
}

/** Puts the bad value into the slot's container (a new element or key); returns its path. */
function insert(slot: Slot, newKey: string, bad: BadKind): string {
  const value = bad.make(slot.container)
  if (Array.isArray(slot.container)) {
    slot.container.push(value)
    return `${slot.path}[${slot.container.length - 1}]`
  }
  let key = RESERVED.has(newKey) ? `${newKey}_` : newKey
  while (Object.hasOwn(slot.container, key)) key += '_'
  Object.defineProperty(slot.container, key, { value, enumerable: true, writable: true, configurable: true })
  return slot.path + segment(key)
}

interface BadKind {
  readonly name: string
  make(parent: object): unknown
  /** The path below the inserted value where the error points, given the slot's depth. */
  suffix(depth: number): string
  readonly reason: RegExp
}

class Widget {
  readonly size = 1
}
class Numbers extends Array<number> {}

const at = (suffix: string) => (): string => suffix
const bad = (name: string, make: (parent: object) => unknown, reason: RegExp, suffix: (depth: number) => string = at('')): BadKind => ({ name, make, reason, suffix })

const BAD_KINDS: readonly BadKind[] = [
  bad('undefined', () => undefined, /undefined/),
  bad('NaN', () => Number.NaN, /NaN/),
  bad('Infinity', () => Infinity, /Infinity/),
  bad('-Infinity', () => -Infinity, /-Infinity/),
  bad('BigInt', () => 3n, /BigInt/),
  bad('symbol', () => Symbol('x'), /symbol/),
  bad('function', () => () => 0, /function/),
  bad('Date', () => new Date(0), /Date/),
  bad('Map', () => new Map([[1, 2]]), /Map/),
  bad('Set', () => new Set([1]), /Set/),
  bad('RegExp', () => /re/g, /RegExp/),
  bad('typed array', () => new Float64Array(2), /Float64Array/),
  bad('class instance', () => new Widget(), /class Widget/),
  bad('Array subclass', () => Numbers.from([1]), /Numbers, an Array subclass/),
  bad('boxed string', () => new String('s'), /boxed String/),
  bad('boxed number', () => new Number(2), /boxed Number/),
  bad('boxed boolean', () => new Boolean(false), /boxed Boolean/),
  bad('lone high surrogate', () => 'ok\ud800', /lone surrogate/),
  bad('lone low surrogate', () => '\udfffok', /lone surrogate/),
  // eslint-disable-next-line no-sparse-arrays
  bad('array hole', () => [1, , 3], /hole/, at('[1]')),
  bad('undefined element', () => [null, undefined], /undefined/, at('[1]')),
  bad('__proto__ key', () => JSON.parse('{"__proto__":1}'), /"__proto__" is not allowed/, at('.__proto__')),
  bad('constructor key', () => ({ constructor: 1 }), /"constructor" is not allowed/, at('.constructor')),
  bad('prototype key', () => ({ a: 1, prototype: 2 }), /"prototype" is not allowed/, at('.prototype')),
  bad('symbol key', () => ({ a: 1, [Symbol('tag')]: 1 }), /symbol-keyed/, at('[Symbol(tag)]')),
  bad('getter', () => Object.defineProperty({ a: 1 }, 'g', { enumerable: true, get: () => 1 }), /accessor/, at('.g')),
  bad('non-enumerable', () => Object.defineProperty({ a: 1 }, 'h', { value: 1, enumerable: false }), /non-enumerable/, at('.h')),
  bad('lone surrogate key', () => ({ '\udc00': 1 }), /key with a lone surrogate/, at('["\\udc00"]')),
  bad('cycle', (parent) => parent, /circular/),
  // A chain of 40 arrays: the first container beyond depth 32 is where it fails.
  bad('too deep', () => nestedArrays(40), /maxDepth \(32\)/, (depth) => '[0]'.repeat(32 - depth)),
]

function nestedArrays(levels: number): unknown {
  let v: unknown = 0
  for (let i = 0; i < levels; i++) v = [v]
  return v
}
