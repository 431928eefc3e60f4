import { MizanError } from '@mizan/core'
import { describe, expect, test } from 'vitest'
import { resolveOptions } from './options.ts'

describe('resolveOptions', () => {
  test('defaults', () => {
    expect(resolveOptions(undefined)).toEqual({ origin: undefined, react: {}, cloudflare: {}, summary: true, workerEnvironment: 'ssr' })
  })

  test('keeps given options and trims a trailing slash from origin', () => {
    const resolved = resolveOptions({ origin: 'https://api.example.com/', summary: false, cloudflare: { viteEnvironment: { name: 'render' } } })
    expect(resolved.origin).toBe('https://api.example.com')
    expect(resolved.summary).toBe(false)
    expect(resolved.workerEnvironment).toBe('render')
  })

  test('reports every problem at once with a code and an example', () => {
    let error: unknown
    try {
      resolveOptions({ orign: 'http://x', origin: 'ftp://x', react: 'yes', summary: 1, cloudflare: { viteEnvironment: { name: 'client' } } })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MizanError)
    expect((error as MizanError).code).toBe('MIZAN_CONFIG')
    const message = (error as Error).message
    expect(message).toContain('unknown option "orign" (known options: origin, react, cloudflare, summary)')
    expect(message).toContain(`"origin" must be an absolute http(s) URL such as 'http://127.0.0.1:4000', got "ftp://x"`)
    expect(message).toContain('"react" must be an options object, got "yes"')
    expect(message).toContain('"summary" must be true or false, got number 1')
    expect(message).toContain('"cloudflare.viteEnvironment" must be')
    expect(message).toContain("Example: plugins: [mizan({ origin: 'http://127.0.0.1:4000' })]")
  })

  test.each([[null], ['http://x'], [[1]], [new Map()]])('rejects %o as the options', (value) => {
    expect(() => resolveOptions(value)).toThrow(/mizan\(\) takes an options object/)
  })

  test('rejects an origin with a query or a relative one', () => {
    expect(() => resolveOptions({ origin: 'http://x/?a=1' })).toThrow(/"origin" must be/)
    expect(() => resolveOptions({ origin: '/api' })).toThrow(/"origin" must be/)
  })
})
