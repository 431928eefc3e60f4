import { describe, expect, it } from 'vitest'
import { MizanError } from '../errors.ts'
import { UnknownFunctionError, checkPurgeManifest, closeMatches, resolveFunction } from './manifest.ts'
import type { PurgeManifest } from './manifest.ts'

const manifest: PurgeManifest = {
  functions: {
    'posts/[slug]#post': { version: 'a1' },
    'posts/[slug]#comments': { version: 'b2' },
    'posts/index#list': { version: 'c3' },
    'users/[id]#profile': { version: 'd4' },
  },
}

describe('resolveFunction', () => {
  it('returns the context with the manifest version', () => {
    expect(resolveFunction(manifest, 'posts/[slug]#post')).toEqual({ fn: 'posts/[slug]#post', version: 'a1' })
  })
  it('throws UnknownFunctionError with close matches', () => {
    const error = (() => { try { resolveFunction(manifest, 'posts/[slug]#posts') } catch (e) { return e } })()
    expect(error).toBeInstanceOf(UnknownFunctionError)
    expect((error as UnknownFunctionError).suggestions[0]).toBe('posts/[slug]#post')
    expect((error as UnknownFunctionError).message).toContain('Did you mean "posts/[slug]#post"')
  })
  it('suggests nothing for an unrelated id and never reads inherited properties', () => {
    expect(() => resolveFunction(manifest, 'toString')).toThrow(UnknownFunctionError)
    expect(() => resolveFunction(manifest, 'zzzzzzzzzzzz')).toThrow(expect.objectContaining({ suggestions: [] }))
  })
})

describe('closeMatches', () => {
  it('ranks by edit distance and caps at three', () => {
    expect(closeMatches('posts/[slug]#comment', Object.keys(manifest.functions))[0]).toBe('posts/[slug]#comments')
    expect(closeMatches('POSTS/[SLUG]#POST', Object.keys(manifest.functions))[0]).toBe('posts/[slug]#post')
    expect(closeMatches('profile', Object.keys(manifest.functions))).toEqual(['users/[id]#profile'])
    expect(closeMatches('posts', Object.keys(manifest.functions))).toHaveLength(3)
  })
})

describe('checkPurgeManifest', () => {
  it('rejects a manifest without functions or with bad versions', () => {
    expect(() => checkPurgeManifest({} as PurgeManifest)).toThrow(MizanError)
    expect(() => checkPurgeManifest({ functions: { f: { version: '' } } })).toThrow(/functions\["f"\]\.version/)
    expect(() => checkPurgeManifest(manifest)).not.toThrow()
  })
})
