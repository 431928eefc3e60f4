import { describe, expect, it } from 'vitest'
import { TagError } from './errors.ts'
import { fillTagTemplate, normalizeTags, TAG_LIMITS } from './tags.ts'

function tagError(run: () => unknown): TagError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TagError)
    expect((error as TagError).code).toBe('MIZAN_TAG')
    return error as TagError
  }
  throw new Error('no TagError')
}

describe('normalizeTags', () => {
  it('trims, lowercases, dedupes and sorts', () => {
    expect(normalizeTags([' Posts', 'post:Hello', 'posts', 'POST:hello', 'b'])).toEqual(['b', 'post:hello', 'posts'])
    expect(normalizeTags([])).toEqual([])
  })

  it('allows printable ASCII except the comma', () => {
    const printable = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== ',').join('')
    expect(normalizeTags([printable])).toEqual([printable.toLowerCase()])
    for (const bad of ['a b', 'a,b', 'tab\there', 'nul\u0000', 'del\u007f', 'café', '\u212a']) {
      expect(tagError(() => normalizeTags([bad])).message).toMatch(/printable ASCII/)
    }
    expect(tagError(() => normalizeTags(['  '])).message).toMatch(/Empty tag/)
    expect(tagError(() => normalizeTags([3 as never])).message).toMatch(/must be strings/)
  })

  it('limits a tag to 1024 characters, naming it', () => {
    expect(normalizeTags(['x'.repeat(1024)])[0]).toHaveLength(1024)
    const error = tagError(() => normalizeTags(['ok', 'y'.repeat(1025)]))
    expect(error.message).toContain('"yyyy')
    expect(error.message).toContain('1025 characters; the limit is 1024')
  })

  it('limits an entry to 1000 distinct tags', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `t${i}`)
    expect(normalizeTags([...many, 'T0'])).toHaveLength(1000)
    expect(tagError(() => normalizeTags([...many, 'extra'])).message).toMatch(/1001 distinct tags .*limit is 1000/)
  })

  it('limits the comma-joined size to 16 KiB', () => {
    // 16 tags of 1023 chars + 15 commas = 16,383 bytes: fits; one more char does not.
    const fits = Array.from({ length: 16 }, (_, i) => `${i.toString(16)}${'x'.repeat(1022)}`)
    expect(normalizeTags(fits).join(',').length).toBe(16_383)
    expect(normalizeTags([...fits.slice(1), `0${'x'.repeat(1023)}`]).join(',').length).toBe(16_384)
    const error = tagError(() => normalizeTags([...fits.slice(1), `0${'x'.repeat(1023)}`, 'z']))
    expect(error.message).toMatch(/exceed 16384 bytes .* at "z"/)
    expect(TAG_LIMITS).toEqual({ maxTagLength: 1024, maxTags: 1000, maxTotalBytes: 16_384 })
  })
})

describe('fillTagTemplate', () => {
  it('fills placeholders from params', () => {
    expect(fillTagTemplate('post:{slug}', { slug: 'hello' })).toBe('post:hello')
    expect(fillTagTemplate('{a}-{b}:{c}', { a: 1.5, b: true, c: 'x' })).toBe('1.5-true:x')
    expect(fillTagTemplate('posts', {})).toBe('posts')
  })

  it('names a missing param', () => {
    expect(tagError(() => fillTagTemplate('user:{id}', { slug: 'x' })).message).toMatch(/needs the param "id"/)
    expect(tagError(() => fillTagTemplate('user:{id}', { id: undefined })).message).toMatch(/"id"/)
    // Inherited properties are not params.
    expect(tagError(() => fillTagTemplate('x:{constructor}', {})).message).toMatch(/needs the param "constructor"/)
  })

  it('refuses values other than strings, finite numbers and booleans', () => {
    for (const value of [null, { a: 1 }, [1], Number.NaN, Infinity, 1n]) {
      expect(tagError(() => fillTagTemplate('x:{v}', { v: value })).message).toMatch(/param "v" is/)
    }
  })

  it('refuses malformed templates', () => {
    expect(tagError(() => fillTagTemplate('x:{slug', { slug: 'a' })).message).toMatch(/'\{' without '\}'/)
    expect(tagError(() => fillTagTemplate('x:slug}', { slug: 'a' })).message).toMatch(/'\}' without '\{'/)
    expect(tagError(() => fillTagTemplate('x:{}', {})).message).toMatch(/placeholder \{\}/)
    expect(tagError(() => fillTagTemplate('x:{a b}', {})).message).toMatch(/placeholder \{a b\}/)
  })
})
