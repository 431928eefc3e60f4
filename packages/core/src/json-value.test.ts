import { describe, expect, it } from 'vitest'
import { isJsonValue } from './json-value.ts'

describe('isJsonValue', () => {
  it.each([
    ['null', null],
    ['a string with a lone surrogate (JSON escapes it)', 'a\ud800'],
    ['a nested plain structure', { a: [1, 'x', true, null, { b: -2.5 }], c: {} }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
    ['a shared (non-cyclic) reference', (() => { const s = { x: 1 }; return [s, s] })()],
  ])('accepts %s', (_, value) => {
    expect(isJsonValue(value)).toBe(true)
  })

  it.each([
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['a BigInt', 1n],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a class instance', new (class Point { x = 1 })()],
    ['an undefined property', { a: undefined }],
    ['a sparse array', [1, , 3]],
    ['a symbol key', { [Symbol('k')]: 1 }],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o })()],
    ['a typed array', new Uint8Array(2)],
    ['depth beyond the limit', Array.from({ length: 600 }).reduce<unknown>((inner) => [inner], 1)],
  ])('rejects %s', (_, value) => {
    expect(isJsonValue(value)).toBe(false)
  })
})
