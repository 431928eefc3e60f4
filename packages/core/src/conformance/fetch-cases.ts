/**
 * Cases on `cacheFetch` over a backend: single flight in and across processes, SWR,
 * stale-if-error, crashed leaders, run-time tags, `ttl: 0`.
 * @module
 */

import { cacheGet, cachePurgeTags, cachePut } from '../abi.ts'
import type { CacheBackend } from '../backend.ts'
import { cacheFetch } from '../fetch.ts'
import type { CacheFetchOptions } from '../fetch.ts'
import { assert, assertEqual, assertJsonEqual, assertRejects } from './assert.ts'
import { backendCase } from './case.ts'
import type { ConformanceCase, ConformanceHarness } from './case.ts'
import { DataSource, deferred, jittered, otherProcess, sleep, within } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

type Data = { v: number }

function options(f: Fixture, compute: CacheFetchOptions<Data>['compute'], extra: Partial<CacheFetchOptions<Data>> = {}): CacheFetchOptions<Data> {
  return { secret: f.secret, backend: f.backend, context: f.context, params: { id: 1 }, policy: { ttl: 60, swr: 600, tags: [f.tag('item')] }, compute, ...extra }
}

export function fetchCases(h: ConformanceHarness): ConformanceCase[] {
  return [
    backendCase(h, 'fetch: 1,000 concurrent cold calls for one key compute once', async (f) => {
      const source = new DataSource()
      const results = await Promise.all(Array.from({ length: 1000 }, () => cacheFetch(options(f, source.compute))))
      assertEqual(source.calls, 1, 'computations for 1,000 concurrent cold calls')
      assert(results.every((r) => r.value.v === 1), 'every caller gets the one computed value')
      const again = await cacheFetch(options(f, source.compute))
      assertEqual(again.state, 'HIT', 'state of a later call')
      assertEqual(source.calls, 1, 'computations after a later call')
    }),

    backendCase(h, 'fetch: 1,000 cold calls racing a fast compute over a jittery link compute once', async (f) => {
      const source = new DataSource()
      const backend = jittered(f.backend)
      const results = await Promise.all(Array.from({ length: 1000 }, () => cacheFetch(options(f, source.compute, { backend }))))
      assertEqual(source.calls, 1, 'computations (callers whose read raced the put must join the finished flight)')
      assert(results.every((r) => r.value.v === 1), 'every caller gets the one computed value')
    }),

    backendCase(h, 'fetch: a caller whose read raced the put joins the just-finished flight', async (f) => {
      const source = new DataSource()
      const held = deferred()
      let reads = 0
      // The second read hits the backend before the put but answers only after the flight ended.
      const racing: CacheBackend = { ...otherProcess(f.backend), get: async (ref) => {
        const bytes = await f.backend.get(ref)
        reads += 1
        if (reads === 2) await held.promise
        return bytes
      } }
      const first = cacheFetch(options(f, source.compute, { backend: racing }))
      const second = cacheFetch(options(f, source.compute, { backend: racing }))
      assertEqual((await first).stored, true, 'the first flight stored its value')
      held.resolve()
      const late = await second
      assertEqual(late.value.v, 1, 'value of the late caller')
      assertEqual(source.calls, 1, 'computations: the late caller must join the finished flight, not recompute')
    }),

    backendCase(h, 'fetch: concurrent cold calls in two processes compute once (lease)', async (f) => {
      const source = new DataSource()
      const slow = async (): Promise<Data> => {
        const data = source.read()
        // Long enough that the other process asks for the lease while this one holds it.
        await sleep(250)
        return data
      }
      const processes = [f.backend, otherProcess(f.backend)]
      const calls = Array.from({ length: 200 }, (_, i) => cacheFetch(options(f, slow, { backend: processes[i % 2]! })))
      const results = await within(5_000, Promise.all(calls), '200 calls in two processes')
      assertEqual(source.calls, 1, 'computations across two processes')
      assert(results.every((r) => r.value.v === 1), 'every caller in both processes gets the one computed value')
    }),

    backendCase(h, 'fetch: a stale entry is served stale while exactly one refresh runs', async (f) => {
      const source = new DataSource()
      await cachePut(f.secret, f.backend, f.context, { id: 1 }, source.read(), { ttl: 1, swr: 600, tags: [f.tag('item')] }, { now: () => Date.now() - 5_000 })
      source.version = 2
      const background: Promise<unknown>[] = []
      const results = await Promise.all(Array.from({ length: 20 }, () => cacheFetch(options(f, source.compute, { waitUntil: (p) => void background.push(p) }))))
      assert(results.every((r) => r.state === 'STALE' && r.value.v === 1), 'all 20 callers get the stale value at once')
      assertEqual(background.length, 1, 'background refreshes started')
      await Promise.all(background)
      assertEqual(source.calls, 2, 'reads: the setup plus one refresh')
      const next = await cacheFetch(options(f, source.compute))
      assertEqual(next.state, 'HIT', 'state after the refresh')
      assertEqual(next.value.v, 2, 'the refreshed value')
    }),

    backendCase(h, 'fetch: stale-if-error serves the old value; without one the error is rethrown unchanged', async (f) => {
      const source = new DataSource()
      const policy = { ttl: 1, swr: 1, staleIfError: 600, tags: [f.tag('item')] }
      await cachePut(f.secret, f.backend, f.context, { id: 1 }, source.read(), policy, { now: () => Date.now() - 10_000 })
      const boom = new Error('origin down')
      const failing = async (): Promise<Data> => {
        source.calls += 1
        throw boom
      }
      const served = await cacheFetch(options(f, failing, { policy }))
      assertEqual(served.state, 'STALE', 'state when computing fails within staleIfError')
      assertEqual(served.value.v, 1, 'the old value')
      const thrown = await assertRejects(() => cacheFetch(options(f, failing, { policy, params: { id: 2 } })), 'a failing compute with no stale value')
      assertEqual(thrown, boom, 'the very error compute threw')
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 2 }), undefined, 'nothing cached after a failure')
      const before = source.calls
      await assertRejects(() => cacheFetch(options(f, failing, { policy, params: { id: 2 } })), 'the next call after a failure')
      assertEqual(source.calls, before + 1, 'a failed flight is not reused: the next call computes again')
      source.version = 2
      const recovered = await cacheFetch(options(f, source.compute, { policy }))
      assertEqual(recovered.state, 'MISS', 'state once computing works again')
      assertEqual(recovered.value.v, 2, 'the new value replaces the error-stale one')
    }),

    backendCase(h, 'fetch: when the lease holder hangs, another process computes once the lease expires', async (f) => {
      const source = new DataSource()
      const started = deferred()
      const gate = deferred()
      let leaderSignal: AbortSignal | undefined
      const aborted = deferred()
      const begun = Date.now()
      const hung = cacheFetch(options(f, async ({ signal }) => {
        leaderSignal = signal
        signal.addEventListener('abort', () => aborted.resolve())
        const data = source.read()
        started.resolve()
        await gate.promise
        return data
      }, { leaseMs: 300 }))
      await started.promise
      try {
        const other = await within(5_000, cacheFetch(options(f, source.compute, { leaseMs: 300, backend: otherProcess(f.backend) })), 'the waiting process')
        const waited = Date.now() - begun
        assertEqual(other.value.v, 1, 'value computed by the waiting process')
        assertEqual(source.calls, 2, 'computations: the hung leader and the successor')
        assert(waited >= 290, `the other process must wait for the 300 ms lease to expire, returned after ${waited} ms`)
        await within(1_000, aborted.promise, "the hung computation's abort signal (it outlived its lease)")
        assert(leaderSignal?.aborted === true, 'signal.aborted after the abort event')
      } finally {
        gate.resolve()
      }
      await hung
    }),

    backendCase(h, 'fetch: tags added at run time are stored and purge the entry', async (f) => {
      const source = new DataSource()
      const first = await cacheFetch(options(f, async ({ addTags }) => {
        addTags(f.tag('Author'))
        return source.read()
      }))
      assertJsonEqual(first.tags, [f.tag('author'), f.tag('item')].sort(), 'result tags')
      assertEqual(first.stored, true, 'stored')
      await cachePurgeTags(f.backend, [f.tag('author')])
      source.version = 2
      const next = await cacheFetch(options(f, source.compute))
      assertEqual(next.state, 'MISS', 'state after purging the run-time tag')
      assertEqual(next.value.v, 2, 'recomputed value')
    }),

    backendCase(h, 'fetch: ttl 0 without swr computes every time and stores nothing', async (f) => {
      const source = new DataSource()
      const policy = { ttl: 0, tags: [f.tag('item')] }
      const a = await cacheFetch(options(f, source.compute, { policy }))
      const b = await cacheFetch(options(f, source.compute, { policy }))
      assertEqual(source.calls, 2, 'computations')
      assert(a.state === 'MISS' && b.state === 'MISS' && !a.stored && !b.stored, 'both are unstored misses')
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, 'nothing stored')
    }),
  ]
}
