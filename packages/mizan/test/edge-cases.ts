/**
 * Edge-only cases, run inside workerd next to the conformance suite: what the shared suite
 * cannot see because it has one isolate and one tier.
 * @module
 */
import { cacheFetch, createSecret, hexEncode, MizanError } from '@mizan/core'
import type { CacheContext } from '@mizan/core'
import { createEdgeBackend, createEdgeReplayStore } from '../src/worker/edge/index.ts'
import type { EdgeEnv, PurgeStateNamespace, WaitUntilContext } from '../src/worker/edge/index.ts'
import { createIsolateState, EdgeBackend } from '../src/worker/edge/backend.ts'
import { EDGE_BACKEND_DEFAULTS, resolveEdgeOptions } from '../src/worker/edge/options.ts'
import { entryUrl, storedResponse } from '../src/worker/edge/stored.ts'

interface EdgeCase {
  readonly name: string
  run(): Promise<void>
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`)
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function edgeCases(env: EdgeEnv & { MIZAN_PURGE: PurgeStateNamespace }, ctx: WaitUntilContext, run: string): EdgeCase[] {
  /** Two isolates of one Worker: separate tiers and purge state copies, one Durable Object. */
  const isolates = (name: string, purgeSyncMs: number) => {
    const options = resolveEdgeOptions({ stateName: `${run}-${name}`, purgeSyncMs })
    const make = () => new EdgeBackend({ namespace: env.MIZAN_PURGE, ctx, options, state: createIsolateState(options) })
    return [make(), make()] as const
  }
  const fixture = async (name: string) => {
    const secret = await createSecret(hexEncode(crypto.getRandomValues(new Uint8Array(32))))
    const context: CacheContext = { fn: `edge/${name}#${run}`, version: 'v1' }
    let version = 1
    return {
      secret,
      context,
      bump: () => void (version += 1),
      fetch: (backend: EdgeBackend) =>
        cacheFetch({ secret, backend, context, params: { id: 1 }, policy: { ttl: 60, tags: [`t-${run}`] }, compute: async () => ({ v: version }) }),
    }
  }

  return [
    {
      name: 'another isolate honours a purge within purgeSyncMs; the purging isolate at once',
      run: async () => {
        const purgeSyncMs = 300
        const [a, b] = isolates('sync', purgeSyncMs)
        const f = await fixture('sync')
        check((await f.fetch(a)).state === 'MISS', 'first fetch in isolate A is a miss')
        check((await f.fetch(b)).state === 'HIT', 'isolate B hits the entry A stored (Cache API)')
        f.bump()
        await b.purge({ tags: [`t-${run}`] })
        const inB = await f.fetch(b)
        check(inB.state === 'MISS' && inB.value.v === 2, `the purging isolate recomputes at once (got ${inB.state} v${inB.value.v})`)
        const purgedAt = Date.now()
        let fresh = false
        while (!fresh) {
          const inA = await f.fetch(a)
          fresh = inA.value.v === 2
          check(fresh || Date.now() - purgedAt <= purgeSyncMs + 150, `isolate A still served v${inA.value.v} ${Date.now() - purgedAt} ms after the purge (bound ${purgeSyncMs} ms)`)
          if (!fresh) await sleep(20)
        }
      },
    },
    {
      name: 'bytes that reach the cache after a purge (admitted before it) are never served',
      run: async () => {
        const [a, b] = isolates('late-put', 60_000)
        const f = await fixture('late-put')
        const ref = await f.secret.entryRef(f.context, '{"id":1}')
        const tags = [`t-${run}`]
        const ticket = await a.ticket()
        check(await a.put({ ref, bytes: new Uint8Array([1, 2, 3]), tags, ttlMs: 60_000, ticket }), 'setup: the put was admitted')
        await b.purge({ tags })
        // The admitted put's cache.put lands only now, after the purge deleted the entry.
        const late = { bytes: new Uint8Array([1, 2, 3]), epoch: ticket.epoch, tags, expiresAt: Date.now() + 60_000 }
        const cache = await caches.open(EDGE_BACKEND_DEFAULTS.cacheName)
        await cache.put(entryUrl(ref, `${run}-late-put`, EDGE_BACKEND_DEFAULTS.stateName), storedResponse(late, tags.join(','), 60_000))
        check((await b.get(ref)) === null, 'the purging isolate does not serve the late bytes')
        const [c] = isolates('late-put', 60_000)
        check((await c.get(ref)) === null, 'a new isolate does not serve the late bytes')
        check((await cache.match(entryUrl(ref, `${run}-late-put`, EDGE_BACKEND_DEFAULTS.stateName))) === undefined, 'the refused copy was deleted')
      },
    },
    {
      name: 'a missing Durable Object binding is a MIZAN_CONFIG error naming the fix',
      run: async () => {
        try {
          createEdgeBackend({}, ctx)
        } catch (error) {
          check(error instanceof MizanError && error.code === 'MIZAN_CONFIG', `error code (got ${String(error)})`)
          check(error.message.includes('MIZAN_PURGE') && error.message.includes('new_sqlite_classes'), `message names the binding and the migration: ${error.message}`)
          return
        }
        throw new Error('Assertion failed: createEdgeBackend without the binding must throw')
      },
    },
    {
      name: 'the replay store accepts a purge id once, from any isolate, until it expires',
      run: async () => {
        const stateName = `${run}-replay`
        const first = createEdgeReplayStore(env, { stateName })
        const second = createEdgeReplayStore(env, { stateName })
        const id = crypto.randomUUID()
        check((await first.seen(id, Date.now() + 60_000)) === true, 'first sighting')
        check((await second.seen(id, Date.now() + 60_000)) === false, 'a replay through another store object')
        const short = crypto.randomUUID()
        check((await first.seen(short, Date.now() + 100)) === true, 'first sighting of a short-lived id')
        await sleep(150)
        check((await second.seen(short, Date.now() + 100)) === true, 'an expired id may be recorded again')
        const concurrent = await Promise.all(Array.from({ length: 20 }, () => first.seen(`${id}-c`, Date.now() + 60_000)))
        check(concurrent.filter(Boolean).length === 1, `of 20 concurrent sightings exactly one is first (got ${concurrent.filter(Boolean).length})`)
      },
    },
    {
      name: 'a stored entry carries its tags in Cache-Tag and its lifetime in max-age',
      run: async () => {
        const [a] = isolates('headers', 60_000)
        const f = await fixture('headers')
        const ref = await f.secret.entryRef(f.context, '{"id":1}')
        const tags = [`post:${run}`, `posts-${run}`]
        check(await a.put({ ref, bytes: new Uint8Array([1]), tags, ttlMs: 90_500, ticket: await a.ticket() }), 'setup: stored')
        const cache = await caches.open(EDGE_BACKEND_DEFAULTS.cacheName)
        const stored = await cache.match(entryUrl(ref, `${run}-headers`, EDGE_BACKEND_DEFAULTS.stateName))
        check(stored !== undefined, 'the entry is in the Cache API')
        check(stored.headers.get('cache-tag') === tags.join(','), `Cache-Tag: ${stored.headers.get('cache-tag')}`)
        check(stored.headers.get('cache-control') === 'public, max-age=91', `Cache-Control: ${stored.headers.get('cache-control')}`)
      },
    },
  ]
}
