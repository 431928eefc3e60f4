import { Cluster } from 'ioredis'
import { afterAll, describe, inject, it } from 'vitest'
import type { CacheBackend } from '../backend.ts'
import { conformanceCases } from '../conformance/index.ts'
import { TcpProxy } from '../test-support/tcp-proxy.ts'
import { RedisCache } from './index.ts'
import { dropPrefix, runPrefix, waitUntilAnswering } from './test-fixtures.ts'

const url = inject('redisUrl')
const clusterNodes = inject('redisClusterNodes')
const prefix = runPrefix('conf')
let made = 0

/** Every backend sits behind its own proxy, so breaking one cuts real TCP connections. */
function standaloneHarness() {
  const proxies = new Map<CacheBackend, TcpProxy>()
  afterAll(async () => {
    await Promise.all([...proxies.values()].map((p) => p.close()))
    await dropPrefix(url, prefix)
  })
  return {
    makeBackend: async () => {
      const proxy = await TcpProxy.start({ port: Number(new URL(url).port) })
      const backend = new RedisCache({ url: proxy.url, prefix: `${prefix}-${made++}` })
      proxies.set(backend, proxy)
      return backend
    },
    breakBackend: async (backend: CacheBackend) => {
      const proxy = proxies.get(backend)!
      proxy.cut()
      return {
        heal: async () => {
          proxy.heal()
          await waitUntilAnswering(backend)
        },
      }
    },
  }
}

/**
 * The cluster is reached through one proxy per node (ioredis' natMap maps the addresses the
 * nodes announce to the proxies), with a user-supplied Cluster client: the path where
 * RedisCache uses a client as is.
 */
function clusterHarness() {
  const proxies = new Map<CacheBackend, { proxies: TcpProxy[]; client: Cluster }>()
  afterAll(async () => {
    for (const { proxies: list, client } of proxies.values()) {
      client.disconnect()
      await Promise.all(list.map((p) => p.close()))
    }
    await dropPrefix(clusterNodes, prefix)
  })
  return {
    makeBackend: async () => {
      const list = await Promise.all(clusterNodes.map((n) => TcpProxy.start({ port: n.port })))
      const natMap = Object.fromEntries(clusterNodes.map((n, i) => [`${n.host}:${n.port}`, { host: '127.0.0.1', port: list[i]!.port }]))
      const client = new Cluster(list.map((p) => ({ host: '127.0.0.1', port: p.port })), {
        natMap,
        enableAutoPipelining: true,
        redisOptions: { maxRetriesPerRequest: 0, commandTimeout: 250 },
        clusterRetryStrategy: () => 50,
      })
      client.on('error', () => {})
      const backend = new RedisCache({ client, prefix: `${prefix}-c${made++}` })
      proxies.set(backend, { proxies: list, client })
      return backend
    },
    breakBackend: async (backend: CacheBackend) => {
      const { proxies: list } = proxies.get(backend)!
      for (const p of list) p.cut()
      return {
        heal: async () => {
          for (const p of list) p.heal()
          await waitUntilAnswering(backend)
        },
      }
    },
  }
}

describe('conformance: RedisCache standalone', () => {
  for (const c of conformanceCases(standaloneHarness())) it(c.name, c.run)
})

describe('conformance: RedisCache cluster', () => {
  for (const c of conformanceCases(clusterHarness())) it(c.name, c.run)
})
