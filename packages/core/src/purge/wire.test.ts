import { describe, expect, it } from 'vitest'
import { PURGE_LIMITS, PurgeBodyError, encodePurgeBody, parsePurgeBody } from './wire.ts'

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))

function rejects(value: unknown): PurgeBodyError {
  try {
    parsePurgeBody(bytes(value))
  } catch (error) {
    expect(error).toBeInstanceOf(PurgeBodyError)
    return error as PurgeBodyError
  }
  throw new Error(`accepted ${JSON.stringify(value)}`)
}

describe('parsePurgeBody', () => {
  it('parses every part and normalises tags', () => {
    const body = parsePurgeBody(bytes({
      id: 'p-1',
      tags: ['Posts', 'post:hello', 'posts'],
      contexts: [{ fn: 'posts#list', version: 'a1' }],
      entries: [{ fn: 'posts/[slug]#post', version: 'b2', params: { slug: 'hello', n: [1, null] } }],
    }))
    expect(body).toEqual({
      id: 'p-1',
      tags: ['post:hello', 'posts'],
      contexts: [{ fn: 'posts#list', version: 'a1' }],
      entries: [{ fn: 'posts/[slug]#post', version: 'b2', params: { slug: 'hello', n: [1, null] } }],
    })
  })

  it('rejects unknown fields at every level, naming them', () => {
    expect(rejects({ id: 'a', tags: ['x'], extra: 1 }).message).toContain('"extra"')
    expect(rejects({ id: 'a', contexts: [{ fn: 'f', version: 'v', params: {} }] }).path).toBe('$.contexts[0]')
    expect(rejects({ id: 'a', entries: [{ fn: 'f', version: 'v', params: {}, tags: [] }] }).path).toBe('$.entries[0]')
    expect(rejects('{"id":"a","tags":["x"],"__proto__":{"polluted":1}}').message).toContain('"__proto__"')
  })

  it('rejects wrong types and bad values with the field path', () => {
    expect(rejects([]).path).toBe('$')
    expect(rejects({ tags: ['x'] }).path).toBe('$.id')
    expect(rejects({ id: 'has space', tags: ['x'] }).path).toBe('$.id')
    expect(rejects({ id: 'x'.repeat(129), tags: ['x'] }).path).toBe('$.id')
    expect(rejects({ id: 'a', tags: 'x' }).path).toBe('$.tags')
    expect(rejects({ id: 'a', tags: ['ok', 3] }).path).toBe('$.tags[1]')
    expect(rejects({ id: 'a', tags: ['ok', 'has space'] }).path).toBe('$.tags[1]')
    expect(rejects({ id: 'a', contexts: [{ fn: '', version: 'v' }] }).path).toBe('$.contexts[0].fn')
    expect(rejects({ id: 'a', contexts: [{ fn: 'f', version: 'v\n' }] }).path).toBe('$.contexts[0].version')
    expect(rejects('{"id":"a","contexts":[{"fn":"\\ud800","version":"v"}]}').path).toBe('$.contexts[0].fn')
    expect(rejects({ id: 'a', entries: [{ fn: 'f', version: 'v' }] }).path).toBe('$.entries[0].params')
    expect(rejects('{"id":"a","entries":[{"fn":"f","version":"v","params":{"s":"\\udc00"}}]}').path).toBe('$.entries[0].params')
  })

  it('rejects a body that names nothing', () => {
    expect(rejects({ id: 'a' }).message).toContain('names nothing')
    expect(rejects({ id: 'a', tags: [], contexts: [], entries: [] }).message).toContain('names nothing')
  })

  it('rejects what is not UTF-8 JSON', () => {
    expect(rejects('{"id":').path).toBe('$')
    expect(() => parsePurgeBody(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(PurgeBodyError)
  })

  it('enforces the count limits', () => {
    const tags = Array.from({ length: PURGE_LIMITS.maxTags + 1 }, (_, i) => `t${i}`)
    expect(rejects({ id: 'a', tags }).path).toBe('$.tags')
    expect(parsePurgeBody(bytes({ id: 'a', tags: tags.slice(1) })).tags).toHaveLength(PURGE_LIMITS.maxTags)
    const contexts = Array.from({ length: PURGE_LIMITS.maxContexts + 1 }, (_, i) => ({ fn: `f${i}`, version: 'v' }))
    expect(rejects({ id: 'a', contexts }).path).toBe('$.contexts')
    const entries = Array.from({ length: PURGE_LIMITS.maxEntries + 1 }, (_, i) => ({ fn: 'f', version: 'v', params: i }))
    expect(rejects({ id: 'a', entries }).path).toBe('$.entries')
  })

  it('refuses a body over 64 KiB with status 413, before parsing', () => {
    const big = new Uint8Array(PURGE_LIMITS.maxBodyBytes + 1).fill(0x20)
    expect(() => parsePurgeBody(big)).toThrow(expect.objectContaining({ status: 413, path: '$' }))
  })
})

describe('encodePurgeBody', () => {
  it('round-trips through parsePurgeBody', () => {
    const body = { id: 'p1', tags: ['a', 'b'], entries: [{ fn: 'f', version: 'v', params: { x: 1 } }] }
    expect(parsePurgeBody(encodePurgeBody(body))).toEqual(body)
  })

  it('refuses what the edge would refuse', () => {
    expect(() => encodePurgeBody({ id: 'p1' })).toThrow(PurgeBodyError)
    expect(() => encodePurgeBody({ id: 'p1', tags: ['x'.repeat(1025)] })).toThrow(/tags\[0\]/)
  })
})
