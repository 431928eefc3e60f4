/**
 * Cases that need the harness's `breakBackend`: reads fail open, purges fail closed, and a
 * purge retried after the backend heals leaves nothing stale readable.
 * @module
 */

import { cacheGet, cachePurge, cachePurgeTags, cachePut } from '../abi.ts'
import { MizanError } from '../errors.ts'
import { cacheFetch } from '../fetch.ts'
import { assert, assertEqual, assertRejects } from './assert.ts'
import { backendCase } from './case.ts'
import type { ConformanceCase, ConformanceHarness } from './case.ts'
import { DataSource, within } from './fixtures.ts'

export function faultCases(h: ConformanceHarness): ConformanceCase[] {
  const breakBackend = h.breakBackend
  if (breakBackend === undefined) return []
  return [
    backendCase(h, 'faults: with the backend down, reads fail open and cacheFetch computes', async (f) => {
      const source = new DataSource()
      const policy = { ttl: 60, tags: [f.tag('item')] }
      const broken = await breakBackend(f.backend)
      try {
        const result = await within(5_000, cacheFetch({ secret: f.secret, backend: f.backend, context: f.context, params: { id: 1 }, policy, compute: source.compute }), 'cacheFetch with the backend down')
        assertEqual(result.state, 'MISS', 'state with the backend down')
        assertEqual(result.value.v, 1, 'computed value')
        assertEqual(result.stored, false, 'stored with the backend down')
        assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, 'cacheGet with the backend down')
        assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 1 }, { v: 1 }, policy), false, 'cachePut with the backend down')
      } finally {
        await broken.heal()
      }
    }),

    backendCase(h, 'faults: with the backend down, purges fail closed; the retry after healing takes effect', async (f) => {
      const policy = { ttl: 60, tags: [f.tag('item')] }
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 1 }, { v: 1 }, policy), true, 'setup put')
      const broken = await breakBackend(f.backend)
      let healed = false
      try {
        const byTag = await assertRejects(() => cachePurgeTags(f.backend, [f.tag('item')]), 'tag purge with the backend down')
        assert(byTag instanceof MizanError && byTag.code === 'MIZAN_BACKEND', `tag purge must throw BackendError, got ${String(byTag)}`)
        const byContext = await assertRejects(() => cachePurge(f.backend, f.context), 'context purge with the backend down')
        assert(byContext instanceof MizanError && byContext.code === 'MIZAN_BACKEND', `context purge must throw BackendError, got ${String(byContext)}`)
        await broken.heal()
        healed = true
      } finally {
        if (!healed) await broken.heal()
      }
      await cachePurgeTags(f.backend, [f.tag('item')])
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, 'after the retried purge')
    }),
  ]
}
