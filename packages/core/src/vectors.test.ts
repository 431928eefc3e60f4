import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { hexDecode } from './bytes.ts'
import { canonicalParams } from './canonical.ts'
import { contextId } from './context-id.ts'
import { SecretError } from './errors.ts'
import { EXAMPLE_SECRETS } from './secret-parse.ts'
import { createSecret, deriveSecret } from './secret.ts'
import data from './vectors.json' with { type: 'json' }

interface Vector {
  name: string
  secret: string
  keyId: string
  fn: string
  version: string
  params: string
  canonical: string
  contextId: string
  key: string
}

const vectors: readonly Vector[] = data.vectors
const docs = await readFile(new URL('../../../docs/cache.md', import.meta.url), 'utf8')

describe('published test vectors', () => {
  it('cover the cases docs/cache.md promises', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(6)
    const byFn = new Map(vectors.map((v) => [v.fn, v]))
    expect(byFn.get('getPost')?.params).toBe('23')
    expect(byFn.get('getPost2')?.params).toBe('3')
    expect(vectors.some((v) => /-0\b/.test(v.params))).toBe(true)
    expect(vectors.some((v) => /[^\x00-\x7f]/.test(v.canonical))).toBe(true)
    expect(vectors.some((v) => v.canonical !== v.params && v.canonical.startsWith('{'))).toBe(true)
  })

  it.each(vectors.map((v) => [v.name, v] as const))('reproduce: %s', async (_name, v) => {
    const secret = await deriveSecret(hexDecode(v.secret)!)
    const canonical = canonicalParams(JSON.parse(v.params))
    expect(canonical).toBe(v.canonical)
    expect(secret.keyId).toBe(v.keyId)
    const ref = await secret.entryRef({ fn: v.fn, version: v.version }, canonical)
    expect(ref).toEqual({ context: v.contextId, key: v.key })
    expect(await contextId({ fn: v.fn, version: v.version })).toBe(v.contextId)
  })

  it('give ("getPost", 23) and ("getPost2", 3) different keys and contexts', () => {
    const [a, b] = ['getPost', 'getPost2'].map((fn) => vectors.find((v) => v.fn === fn)!)
    expect(a!.key).not.toBe(b!.key)
    expect(a!.contextId).not.toBe(b!.contextId)
  })

  it('are quoted by docs/cache.md, so the docs cannot drift', () => {
    for (const v of vectors) {
      expect(docs).toContain(`\`${v.key}\``)
      expect(docs).toContain(`"key": "${v.key}"`)
      expect(docs).toContain(`"contextId": "${v.contextId}"`)
      expect(docs).toContain(`"keyId": "${v.keyId}"`)
      expect(docs).toContain(`"secret": "${v.secret}"`)
    }
  })

  it('use secrets that createSecret refuses as published examples', async () => {
    for (const v of vectors) {
      expect(EXAMPLE_SECRETS).toContain(v.secret)
      await expect(createSecret(v.secret)).rejects.toThrow(SecretError)
    }
    const docsExample = /MIZAN_SECRET=(\S+)/.exec(docs)?.[1]
    expect(docsExample).toBeDefined()
    expect(EXAMPLE_SECRETS).toContain(docsExample)
  })
})
