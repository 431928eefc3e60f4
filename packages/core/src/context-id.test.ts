import { describe, expect, it } from 'vitest'
import { sha256 } from '#crypto'
import { base64urlEncode } from './bytes.ts'
import { contextId, memoizedContextId } from './context-id.ts'
import { encodeFields } from './encoding.ts'
import { MizanError } from './errors.ts'

describe('contextId', () => {
  it('is the first 22 base64url chars of SHA-256 over the encoded fields', async () => {
    const context = { fn: 'posts/[slug]#post', version: '3f9a1c' }
    const digest = await sha256(encodeFields(['mizan-context', '1', context.fn, context.version]))
    expect(await contextId(context)).toBe(base64urlEncode(digest).slice(0, 22))
    expect(await contextId(context)).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  it('keeps fn and version apart: no delimiter games', async () => {
    const ids = new Set(await Promise.all([
      contextId({ fn: 'ab', version: 'c' }),
      contextId({ fn: 'a', version: 'bc' }),
      contextId({ fn: 'abc', version: '' }),
    ]))
    expect(ids.size).toBe(3)
  })

  it('memoises after the first computation', async () => {
    const context = { fn: `memo-${Math.random()}`, version: '1' }
    expect(memoizedContextId(context)).toBeUndefined()
    const id = await contextId(context)
    expect(memoizedContextId({ ...context })).toBe(id)
  })

  it('stays correct once the memo is full and evicting', async () => {
    const first = { fn: 'evict-me', version: '1' }
    const id = await contextId(first)
    for (let i = 0; i < 1100; i++) await contextId({ fn: `filler-${i}`, version: '1' })
    expect(memoizedContextId({ ...first })).toBeUndefined()
    expect(await contextId(first)).toBe(id)
  })

  it('rejects malformed contexts with a typed error', async () => {
    for (const bad of [{ fn: '', version: '1' }, { fn: 'x' }, { fn: 1, version: '1' }, null]) {
      await expect(contextId(bad as never)).rejects.toThrow(MizanError)
    }
    await expect(contextId({ fn: 'x\ud800', version: '1' })).rejects.toThrow(/lone surrogate/)
  })
})

describe('contextId memo by object', () => {
  it('does not give a context object mutated in place its old id', async () => {
    const context = { fn: 'mutable', version: '1' }
    const before = await contextId(context)
    context.version = '2'
    expect(memoizedContextId(context)).toBeUndefined()
    const after = await contextId(context)
    expect(after).not.toBe(before)
    expect(after).toBe(await contextId({ fn: 'mutable', version: '2' }))
  })
})
