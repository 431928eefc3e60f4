import { Cluster } from 'ioredis'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { RedisCache } from './index.ts'
import { startRedisServer } from './test-server.ts'
import type { RedisServer } from './test-server.ts'
import { putNow, randomRef, runPrefix } from './test-fixtures.ts'

const started: { stop(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()))
})

async function server(...args: string[]): Promise<RedisServer> {
  const s = await startRedisServer(args)
  started.push(s)
  return s
}

/** A cache whose warnings are collected; resolves once connected and the policy check had time to run. */
async function watch(options: { url: string } | { cluster: { nodes: { host: string; port: number }[] } }): Promise<string[]> {
  const warnings: string[] = []
  const cache = new RedisCache({ ...options, prefix: runPrefix('evict'), onWarning: (m) => warnings.push(m) })
  started.push({ stop: () => cache.close() })
  expect(await putNow(cache, randomRef(), 'v', ['t'])).toBe(true)
  await new Promise((r) => setTimeout(r, 100))
  return warnings
}

describe('RedisCache maxmemory-policy check', () => {
  it('warns, naming the fix, when Redis may evict any key', async () => {
    const s = await server('--maxmemory-policy', 'allkeys-lru')
    const warnings = await watch({ url: s.url })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`Redis 127.0.0.1:${s.port} has maxmemory-policy allkeys-lru`)
    expect(warnings[0]).toContain('maxmemory-policy volatile-lru')
    expect(warnings[0]).toContain('noeviction')
  })

  it('stays quiet under volatile-lru and noeviction', async () => {
    for (const policy of ['volatile-lru', 'noeviction']) {
      const s = await server('--maxmemory-policy', policy)
      expect(await watch({ url: s.url })).toEqual([])
    }
  })

  it('skips the check quietly when CONFIG is disabled', async () => {
    const s = await server('--maxmemory-policy', 'allkeys-lru', '--rename-command', 'CONFIG', '')
    expect(await watch({ url: s.url })).toEqual([])
  })

  it('checks every master of a cluster', async () => {
    const nodes = inject('redisClusterNodes')
    const admin = new Cluster(nodes)
    await new Promise((r) => admin.once('ready', r))
    const node = admin.nodes('master').find((n) => n.options.port === nodes[1]!.port)!
    const [, previous] = (await node.config('GET', 'maxmemory-policy')) as string[]
    await node.config('SET', 'maxmemory-policy', 'allkeys-random')
    try {
      const warnings = await watch({ cluster: { nodes } })
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(`:${nodes[1]!.port} has maxmemory-policy allkeys-random`)
    } finally {
      await node.config('SET', 'maxmemory-policy', previous!)
      admin.disconnect()
    }
  })

  it('emits a process warning by default', async () => {
    const s = await server('--maxmemory-policy', 'allkeys-lfu')
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve))
    const cache = new RedisCache({ url: s.url, prefix: runPrefix('evict') })
    started.push({ stop: () => cache.close() })
    const warning = await warned
    expect(warning.name).toBe('MizanWarning')
    expect(warning.message).toContain('allkeys-lfu')
  })
})
