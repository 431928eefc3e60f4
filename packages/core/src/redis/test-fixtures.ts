/**
 * Helpers shared by RedisCache's tests: unique prefixes, cleanup of a prefix on the shared
 * Redis (tests only: it SCANs), and waiting for a backend to answer again.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { Cluster, Redis } from 'ioredis'
import type { CacheBackend, EntryRef, PutRequest } from '../backend.ts'

/** A key prefix unique to this test run and `label`. */
export function runPrefix(label: string): string {
  return `mzt-${label}-${randomBytes(4).toString('hex')}`
}

/** A random context id shaped like the core's (22 base64url characters). */
export function randomContext(): string {
  return randomBytes(16).toString('base64url').slice(0, 22)
}

/** An entry ref in `context` (a fresh one by default). */
export function randomRef(context = randomContext()): EntryRef {
  return { context, key: randomBytes(12).toString('base64url') }
}

/** UTF-8 bytes of `text`. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** Text of `data` (or null). */
export function text(data: Uint8Array | null): string | null {
  return data === null ? null : new TextDecoder().decode(data)
}

/** A put with a fresh ticket. */
export async function putNow(backend: CacheBackend, ref: EntryRef, value: string, tags: readonly string[] = [], ttlMs = 60_000): Promise<boolean> {
  const request: PutRequest = { ref, bytes: bytes(value), tags, ttlMs, ticket: await backend.ticket() }
  return backend.put(request)
}

/** A plain ioredis client for inspecting Redis directly (standalone URL or cluster nodes). */
export function rawClient(target: string | { host: string; port: number }[]): Redis | Cluster {
  const client = typeof target === 'string' ? new Redis(target, { maxRetriesPerRequest: 1 }) : new Cluster(target, { redisOptions: { maxRetriesPerRequest: 1 } })
  client.on('error', () => {})
  return client
}

/** Deletes every key of `prefix` and of prefixes extending it (SCAN — for test cleanup only, never in RedisCache). */
export async function dropPrefix(target: string | { host: string; port: number }[], prefix: string): Promise<void> {
  const client = rawClient(target)
  try {
    const nodes = client instanceof Cluster ? (await waitReady(client), client.nodes('master')) : [client]
    for (const node of nodes) {
      let cursor = '0'
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000)
        cursor = next
        // One DEL per key: in a cluster, keys of one node still span many slots.
        await Promise.all(keys.map((k) => node.del(k)))
      } while (cursor !== '0')
    }
  } finally {
    client.disconnect()
  }
}

function waitReady(cluster: Cluster): Promise<void> {
  return cluster.status === 'ready' ? Promise.resolve() : new Promise((resolve) => cluster.once('ready', () => resolve()))
}

/** Polls `backend.ticket()` until it answers (after a fault heals), for up to `timeoutMs`. */
export async function waitUntilAnswering(backend: CacheBackend, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await backend.ticket()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((r) => setTimeout(r, 25))
    }
  }
}

/** Milliseconds `work` took, with its outcome. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = performance.now()
  const [result] = await Promise.allSettled([work()])
  return { ms: performance.now() - start, result: result! }
}
