/**
 * Canonical JSON for cache params: one spelling per JSON value, so equal params give equal
 * cache keys and different params never collide. Rules (docs/cache.md §Canonical params):
 *
 * - only null, booleans, finite numbers, well-formed strings, arrays and plain objects
 *   (prototype `Object.prototype` or `null`); everything else is a `ParamsError` naming the
 *   path, raised before anything is hashed;
 * - object keys sorted by UTF-16 code unit order — what `Array.prototype.sort()` does with
 *   strings (so `"B" < "a"` and `"10" < "9"`); no whitespace anywhere;
 * - numbers as `JSON.stringify` writes them (ECMAScript Number::toString: shortest
 *   round-trip digits, `1e+21`, `1e-7`), except that `-0` is normalised to `0`: JSON
 *   cannot tell them apart after a round trip, so treating them as different params would
 *   only split the cache;
 * - strings escaped as `JSON.stringify` does (`\"`, `\\`, `\b \f \n \r \t`, other controls
 *   as lowercase `\u00xx`, everything else literal); lone surrogates are rejected first.
 *
 * A single pass both validates and writes; values are read through property descriptors so
 * no getter ever runs.
 *
 * @module
 */
import { isWellFormed } from './bytes.ts'
import { describe } from './canonical-describe.ts'
import { pathSegment, quote, sortKeys, utf8Length } from './canonical-text.ts'
import { MizanError, ParamsError } from './errors.ts'

/**
 * Size limits for params, checked while canonicalising (before hashing).
 *
 * @example
 * ```ts
 * const limits: CanonicalLimits = { maxDepth: 8, maxNodes: 1000, maxBytes: 4096 }
 * ```
 */
export interface CanonicalLimits {
  /** Deepest container nesting: a scalar is depth 0, `[]` depth 1, `[[]]` depth 2. */
  readonly maxDepth: number
  /** Most values in total, counting containers and scalars, the root included. */
  readonly maxNodes: number
  /** Longest canonical output, in UTF-8 bytes. */
  readonly maxBytes: number
}

/**
 * The limits used when none are given: depth 32, 10,000 values, 64 KiB.
 *
 * @example
 * ```ts
 * canonicalParams(params, { ...DEFAULT_CANONICAL_LIMITS, maxBytes: 4096 })
 * ```
 */
export const DEFAULT_CANONICAL_LIMITS: Readonly<CanonicalLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 10_000,
  maxBytes: 64 * 1024,
})

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Thrown inside the walk; each container frame adds its segment while it unwinds. */
class Failure {
  readonly reason: string
  readonly segments: string[]
  constructor(reason: string, segment?: string) {
    this.reason = reason
    this.segments = segment === undefined ? [] : [segment]
  }
}

/**
 * The canonical JSON text of `value` (see the module rules), or a `ParamsError` whose
 * `path` (`$.user.tags[2]`) points at the first offending value.
 *
 * @example
 * ```ts
 * canonicalParams({ b: [1, -0], a: 'x' }) // '{"a":"x","b":[1,0]}'
 * canonicalParams({ when: new Date() })   // throws ParamsError: $.when: a Date …
 * ```
 */
export function canonicalParams(value: unknown, limits?: Partial<CanonicalLimits>): string {
  const walk = new Walk(limits === undefined ? DEFAULT_CANONICAL_LIMITS : resolveLimits(limits))
  let text: string
  try {
    text = walk.value(value, 0)
  } catch (error) {
    if (error instanceof Failure) throw new ParamsError('$' + error.segments.reverse().join(''), error.reason)
    throw error
  }
  const { maxBytes } = walk.limits
  if (text.length * 3 > maxBytes && utf8Length(text) > maxBytes) {
    throw new ParamsError('$', `the canonical JSON is ${utf8Length(text)} bytes, more than maxBytes (${maxBytes})`)
  }
  return text
}

class Walk {
  readonly limits: Readonly<CanonicalLimits>
  /** Containers on the current path, to tell a cycle from a shared (acyclic) reference. */
  readonly ancestors: object[] = []
  nodes = 0
  /** UTF-16 units of string content seen so far: a lower bound of the output's UTF-8 size. */
  units = 0

  constructor(limits: Readonly<CanonicalLimits>) {
    this.limits = limits
  }

  value(v: unknown, depth: number): string {
    if (++this.nodes > this.limits.maxNodes) throw new Failure(`more than maxNodes (${this.limits.maxNodes}) values`)
    switch (typeof v) {
      case 'string':
        if (!isWellFormed(v)) throw new Failure('a string with a lone surrogate (not valid Unicode)')
        if ((this.units += v.length) > this.limits.maxBytes) throw new Failure(`the canonical JSON exceeds maxBytes (${this.limits.maxBytes})`)
        return quote(v)
      case 'number':
        if (!Number.isFinite(v)) throw new Failure(`${String(v)} is not a finite number`)
        return v === 0 ? '0' : String(v)
      case 'boolean':
        return v ? 'true' : 'false'
      case 'object':
        if (v === null) return 'null'
        if (depth >= this.limits.maxDepth) throw new Failure(`nesting deeper than maxDepth (${this.limits.maxDepth})`)
        if (this.ancestors.includes(v)) throw new Failure('a circular reference')
        this.ancestors.push(v)
        try {
          return Array.isArray(v) ? this.array(v, depth + 1) : this.object(v, depth + 1)
        } finally {
          this.ancestors.pop()
        }
      case 'undefined':
        throw new Failure('undefined (omit the property or use null)')
      case 'bigint':
        throw new Failure('a BigInt (pass it as a string)')
      case 'symbol':
        throw new Failure('a symbol')
      default:
        throw new Failure('a function')
    }
  }

  private array(v: readonly unknown[], depth: number): string {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw new Failure(describe(v))
    let out = '['
    let i = 0
    try {
      for (; i < v.length; i++) {
        const item = v[i]
        if (item === undefined && !(i in v)) throw new Failure('a hole in a sparse array')
        out += (i === 0 ? '' : ',') + this.value(item, depth)
      }
    } catch (error) {
      if (error instanceof Failure) error.segments.push(`[${i}]`)
      throw error
    }
    return out + ']'
  }

  private object(v: object, depth: number): string {
    const proto: unknown = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) throw new Failure(describe(v))
    const symbols = Object.getOwnPropertySymbols(v)
    if (symbols.length > 0) throw new Failure('a symbol-keyed property', `[${String(symbols[0])}]`)
    // getOwnPropertyNames (unlike Object.keys) also lists non-enumerable keys, to reject them.
    const keys = sortKeys(Object.getOwnPropertyNames(v))
    let out = '{'
    let key = ''
    try {
      for (let i = 0; i < keys.length; i++) {
        key = keys[i]!
        if (RESERVED_KEYS.has(key)) throw new Failure(`the key "${key}" is not allowed (prototype pollution guard)`)
        if (!isWellFormed(key)) throw new Failure('a key with a lone surrogate (not valid Unicode)')
        const descriptor = Object.getOwnPropertyDescriptor(v, key)!
        if (!('value' in descriptor)) throw new Failure('an accessor (getter/setter) property')
        if (!descriptor.enumerable) throw new Failure('a non-enumerable property')
        if ((this.units += key.length) > this.limits.maxBytes) throw new Failure(`the canonical JSON exceeds maxBytes (${this.limits.maxBytes})`)
        out += (i === 0 ? '' : ',') + quote(key) + ':' + this.value(descriptor.value, depth)
      }
    } catch (error) {
      if (error instanceof Failure) error.segments.push(pathSegment(key))
      throw error
    }
    return out + '}'
  }
}

function resolveLimits(partial: Partial<CanonicalLimits>): Readonly<CanonicalLimits> {
  const limits = { ...DEFAULT_CANONICAL_LIMITS, ...partial }
  for (const name of ['maxDepth', 'maxNodes', 'maxBytes'] as const) {
    const n = limits[name]
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new MizanError('MIZAN_CONFIG', `canonicalParams: limits.${name} must be a positive integer, got ${String(n)}.`)
    }
  }
  return limits
}
