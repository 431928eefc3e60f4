import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { MizanError } from '../errors.ts'
import { RedisCache } from './index.ts'
import type { RedisCacheOptions } from './index.ts'
import { resolveOptions } from './options.ts'

function configError(options: unknown): MizanError {
  try {
    resolveOptions(options as RedisCacheOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(MizanError)
    expect((error as MizanError).code).toBe('MIZAN_CONFIG')
    return error as MizanError
  }
  throw new Error('expected resolveOptions to throw')
}

describe('RedisCache options', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions({ url: 'redis://127.0.0.1:6379' })
    expect(o).toMatchObject({ prefix: 'mz', commandTimeoutMs: 250, maxOfflineQueue: 1000, markerTtlMs: 300_000 })
    expect(o.connection).toEqual({ kind: 'url', url: 'redis://127.0.0.1:6379' })
  })

  it('needs exactly one of client, url or cluster', () => {
    expect(configError({}).message).toContain('give exactly one of client, url or cluster (got none)')
    const client = new Redis({ lazyConnect: true })
    expect(configError({ client, url: 'redis://x' }).message).toContain('(got client and url)')
    client.disconnect()
  })

  it('reports every problem at once, naming the fix', () => {
    const message = configError({ url: 'http://x', prefix: 'a{b}', commandTimeoutMs: 0, maxOfflineQueue: -1, markerTtlMs: 5, onWarning: 'x', colour: 'red' }).message
    for (const part of [
      'unknown option colour',
      'url must be a redis:// or rediss:// URL, got "http://x"',
      'prefix must be 1-64 letters',
      'commandTimeoutMs must be an integer from 1 to 60000, got 0',
      'maxOfflineQueue must be an integer from 0 to 1000000, got -1',
      'markerTtlMs must be an integer from 1000 to 86400000 (24 h), got 5',
      'onWarning must be a function',
    ]) {
      expect(message).toContain(part)
    }
  })

  it('rejects malformed cluster nodes and non-ioredis clients', () => {
    expect(configError({ cluster: { nodes: [] } }).message).toContain('cluster must be { nodes: [{ host: string, port: number }')
    expect(configError({ cluster: { nodes: [{ host: 'h', port: 70000 }] } }).message).toContain('cluster must be')
    expect(configError({ client: { get: () => null } }).message).toContain('client must be an ioredis Redis or Cluster instance')
  })

  it('validates before connecting: a bad option creates no client', () => {
    expect(() => new RedisCache({ url: 'redis://127.0.0.1:1', prefix: '' })).toThrow(/prefix must be/)
    expect(() => new RedisCache(undefined as unknown as RedisCacheOptions)).toThrow(/RedisCache needs options/)
  })
})
