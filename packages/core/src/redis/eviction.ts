/**
 * Warns when Redis may evict RedisCache's purge state. Under an `allkeys-*` maxmemory
 * policy Redis may evict any key — the epoch, a tag registry, purge markers, an index —
 * and a purge could be lost. Under `volatile-*` it evicts only keys with a TTL, and in
 * RedisCache only entries and leases have one (see keys.ts), so nothing a purge relies on
 * can go; `noeviction` is safe too (writes fail when full: puts fail open, purges closed).
 * @module
 */
import { Cluster } from 'ioredis'
import type { Redis } from 'ioredis'
import type { RedisClient } from './guard.ts'

/** The message for a node whose policy is unsafe. */
export function evictionWarning(node: string, policy: string): string {
  return (
    `Redis ${node} has maxmemory-policy ${policy}: under memory pressure it may evict RedisCache's purge state ` +
    `(epoch, tag registries, purge markers, indexes), and a purge could then be lost, serving stale data. ` +
    `Set "maxmemory-policy volatile-lru" (or "noeviction") in redis.conf, or run CONFIG SET maxmemory-policy volatile-lru. ` +
    `Under volatile-* Redis only evicts keys with a TTL, which in RedisCache are entries and leases.`
  )
}

function address(node: Redis): string {
  return `${node.options.host ?? '?'}:${node.options.port ?? '?'}`
}

async function policyOf(node: Redis): Promise<string | undefined> {
  const reply = (await node.config('GET', 'maxmemory-policy')) as unknown
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined
}

/**
 * Reads `maxmemory-policy` from every master and calls `warn` for each `allkeys-*` one.
 * Resolves `true` once checked, `false` when CONFIG is unavailable (disabled or renamed,
 * as on many managed services) or the nodes are unknown — then there is nothing to check.
 */
export async function checkEvictionPolicy(client: RedisClient, warn: (message: string) => void): Promise<boolean> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client]
  if (nodes.length === 0) return false
  const policies = await Promise.all(nodes.map((node) => policyOf(node).catch(() => undefined)))
  let checked = false
  policies.forEach((policy, i) => {
    if (policy === undefined) return
    checked = true
    if (policy.startsWith('allkeys-')) warn(evictionWarning(address(nodes[i]!), policy))
  })
  return checked
}
