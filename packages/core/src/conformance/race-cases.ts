/**
 * Purge races, with barriers, for each purge kind (tag, context, exact entry): a computation
 * that started before a purge must never become readable after it.
 * @module
 */

import { cacheGet, cachePurge, cachePurgeTags, cachePut } from '../abi.ts'
import { cacheFetch } from '../fetch.ts'
import type { CacheFetchOptions } from '../fetch.ts'
import { assertEqual, assertJsonEqual } from './assert.ts'
import { backendCase } from './case.ts'
import type { ConformanceCase, ConformanceHarness } from './case.ts'
import { DataSource, deferred, within } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

type PurgeKind = 'tag' | 'context' | 'entry'
type Data = { v: number }

const PARAMS = { id: 1 }

function purgeBy(kind: PurgeKind, f: Fixture): Promise<unknown> {
  if (kind === 'tag') return cachePurgeTags(f.backend, [f.tag('item')])
  if (kind === 'context') return cachePurge(f.backend, f.context)
  return cachePurge(f.backend, f.context, { params: PARAMS, secret: f.secret })
}

function fetchOptions(f: Fixture, compute: () => Promise<Data>, extra: Partial<CacheFetchOptions<Data>> = {}): CacheFetchOptions<Data> {
  return { secret: f.secret, backend: f.backend, context: f.context, params: PARAMS, policy: { ttl: 60, swr: 600, tags: [f.tag('item')] }, compute, ...extra }
}

export function raceCases(h: ConformanceHarness): ConformanceCase[] {
  const kinds: PurgeKind[] = ['tag', 'context', 'entry']
  return kinds.flatMap((kind) => [
    backendCase(h, `race (${kind} purge): set-after-invalidate stores nothing; the next fetch recomputes`, async (f) => {
      const source = new DataSource()
      const started = deferred()
      const gate = deferred()
      const first = cacheFetch(fetchOptions(f, source.gated(started, gate)))
      await started.promise
      source.version = 2
      await purgeBy(kind, f)
      gate.resolve()
      const early = await first
      assertEqual(early.value.v, 1, 'the caller that started before the purge gets what it computed')
      assertEqual(early.stored, false, 'its put lands after the purge and must be refused')
      assertEqual(await cacheGet(f.secret, f.backend, f.context, PARAMS), undefined, 'nothing readable after the purge')
      const next = await cacheFetch(fetchOptions(f, source.compute))
      assertEqual(next.state, 'MISS', 'state of the next fetch')
      assertEqual(next.value.v, 2, 'the next fetch computes with the new data')
      assertEqual(next.stored, true, 'the new value is stored')
    }),

    backendCase(h, `race (${kind} purge): an SWR refresh racing the purge stores nothing`, async (f) => {
      const source = new DataSource()
      const stale = await cachePut(f.secret, f.backend, f.context, PARAMS, source.read(), { ttl: 1, swr: 600, tags: [f.tag('item')] }, { now: () => Date.now() - 5_000 })
      assertEqual(stale, true, 'setup: a stale entry')
      source.version = 2
      const started = deferred()
      const gate = deferred()
      const background: Promise<unknown>[] = []
      const served = await cacheFetch(fetchOptions(f, source.gated(started, gate), { waitUntil: (p) => void background.push(p) }))
      assertEqual(served.state, 'STALE', 'a stale entry within swr is served stale')
      assertEqual(served.value.v, 1, 'the stale value')
      assertEqual(background.length, 1, 'one background refresh handed to waitUntil')
      await started.promise
      source.version = 3
      await purgeBy(kind, f)
      gate.resolve()
      await Promise.all(background)
      assertEqual(await cacheGet(f.secret, f.backend, f.context, PARAMS), undefined, 'the refresh read data before the purge: nothing readable')
      const next = await cacheFetch(fetchOptions(f, source.compute))
      assertEqual(next.state, 'MISS', 'state after the purge')
      assertEqual(next.value.v, 3, 'data read after the purge')
    }),

    backendCase(h, `race (${kind} purge): callers after the purge do not join the flight in progress`, async (f) => {
      const source = new DataSource()
      const started = deferred()
      const gate = deferred()
      const inFlight = cacheFetch(fetchOptions(f, source.gated(started, gate)))
      await started.promise
      source.version = 2
      await purgeBy(kind, f)
      try {
        // The old flight is still blocked: this settles only if it neither joins nor waits for it.
        const after = await within(3_000, cacheFetch(fetchOptions(f, source.compute)), 'a fetch after the purge while an older flight is blocked')
        assertEqual(after.value.v, 2, 'a caller arriving after the purge gets new data')
      } finally {
        gate.resolve()
      }
      const old = await inFlight
      assertEqual(old.value.v, 1, 'the old flight returns its own data to its own callers')
      assertEqual(old.stored, false, "the old flight's put is refused")
      const hit = await cacheGet<Data>(f.secret, f.backend, f.context, PARAMS)
      assertJsonEqual(hit?.value, { v: 2 }, 'what the cache holds afterwards')
    }),
  ])
}
