/**
 * Cases on the ABI over a backend: envelopes (corrupt, foreign, old version), purges through
 * `cachePurge` / `cachePurgeTags`, and what `cachePut` refuses.
 * @module
 */

import { cacheGet, cachePurge, cachePurgeTags, cachePut } from '../abi.ts'
import { utf8Decode, utf8Encode } from '../bytes.ts'
import { encodeEnvelope } from '../envelope.ts'
import { MizanError } from '../errors.ts'
import { assert, assertEqual, assertJsonEqual, assertRejects } from './assert.ts'
import { backendCase } from './case.ts'
import type { ConformanceCase, ConformanceHarness } from './case.ts'
import { bytesOf } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

const policy = (f: Fixture) => ({ ttl: 60, tags: [f.tag('item')] })

export function abiCases(h: ConformanceHarness): ConformanceCase[] {
  return [
    backendCase(h, 'abi: cachePut then cacheGet returns the value fresh, with its tags', async (f) => {
      const stored = await cachePut(f.secret, f.backend, f.context, { id: 1 }, { v: 1 }, policy(f), { tags: [f.tag('Extra')] })
      assertEqual(stored, true, 'cachePut')
      const hit = await cacheGet<{ v: number }>(f.secret, f.backend, f.context, { id: 1 })
      assert(hit !== undefined, 'cacheGet after cachePut must hit')
      assertEqual(hit.state, 'fresh', 'state')
      assertJsonEqual(hit.value, { v: 1 }, 'value')
      assertJsonEqual(hit.envelope.tags, [f.tag('extra'), f.tag('item')].sort(), 'normalised tags')
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 2 }), undefined, 'other params')
    }),

    backendCase(h, 'abi: corrupt bytes are a miss and get deleted', async (f) => {
      const ref = await f.ref({ id: 1 })
      await f.put(ref, bytesOf('not an envelope'))
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, 'cacheGet of corrupt bytes')
      assertEqual(await f.backend.get(ref), null, 'corrupt entry deleted')
    }),

    backendCase(h, 'abi: a valid envelope under the wrong key is a miss and gets deleted', async (f) => {
      const ref = await f.ref({ id: 1 })
      const otherRef = await f.ref({ id: 2 })
      const now = Date.now()
      const foreign = encodeEnvelope({ version: 1, keyId: f.secret.keyId, key: otherRef.key, createdAt: now, freshUntil: now + 60_000, staleUntil: now + 60_000, errorUntil: now + 60_000, tags: [], epoch: 0, value: { v: 'foreign' } })
      await f.put(ref, foreign)
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, 'cacheGet of a foreign envelope')
      assertEqual(await f.backend.get(ref), null, 'foreign entry deleted')
    }),

    backendCase(h, 'abi: an envelope of another format version is a miss and gets deleted', async (f) => {
      const ref = await f.ref({ id: 1 })
      const now = Date.now()
      const current = encodeEnvelope({ version: 1, keyId: f.secret.keyId, key: ref.key, createdAt: now, freshUntil: now + 60_000, staleUntil: now + 60_000, errorUntil: now + 60_000, tags: [], epoch: 0, value: 1 })
      assertEqual(utf8Decode(current.subarray(0, 4)), 'MZE2', 'test setup: the current magic')
      const newer = current.slice()
      newer[3] = 0x33 // MZE3
      // The JSON format earlier releases wrote, valid in every other respect.
      const older = utf8Encode(`MZE1\n{"version":1,"keyId":"${f.secret.keyId}","key":"${ref.key}","createdAt":${now},"freshUntil":${now + 60_000},"staleUntil":${now + 60_000},"errorUntil":${now + 60_000},"tags":[],"epoch":0,"value":1}`)
      for (const [name, bytes] of [['MZE3', newer], ['MZE1', older]] as const) {
        await f.put(ref, bytes)
        assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, `cacheGet of an ${name} envelope`)
        assertEqual(await f.backend.get(ref), null, `${name} entry deleted`)
      }
    }),

    backendCase(h, 'abi: cachePurgeTags normalises tags and removes the tagged entries', async (f) => {
      await cachePut(f.secret, f.backend, f.context, { id: 1 }, { v: 1 }, { ttl: 60, tags: [f.tag('a')] })
      await cachePut(f.secret, f.backend, f.context, { id: 2 }, { v: 2 }, { ttl: 60, tags: [f.tag('b')] })
      const report = await cachePurgeTags(f.backend, [` ${f.tag('A').toUpperCase()} `])
      assertEqual(report.deleted, 1, 'deleted')
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 1 }), undefined, 'entry tagged a')
      assert((await cacheGet(f.secret, f.backend, f.context, { id: 2 })) !== undefined, 'entry tagged b stays')
      const bad = await assertRejects(() => cachePurgeTags(f.backend, ['has space']), 'purge of an invalid tag')
      assert(bad instanceof MizanError && bad.code === 'MIZAN_TAG', `invalid tag must throw TagError, got ${String(bad)}`)
    }),

    backendCase(h, 'abi: cachePurge without params removes the whole context; with params exactly one entry', async (f) => {
      for (const id of [1, 2, 3]) await cachePut(f.secret, f.backend, f.context, { id }, { v: id }, policy(f))
      const one = await cachePurge(f.backend, f.context, { params: { id: 2 }, secret: f.secret })
      assertEqual(one.deleted, 1, 'exact-entry purge deleted')
      assertEqual(await cacheGet(f.secret, f.backend, f.context, { id: 2 }), undefined, 'purged entry')
      assert((await cacheGet(f.secret, f.backend, f.context, { id: 1 })) !== undefined, 'sibling stays')
      const missing = await assertRejects(() => cachePurge(f.backend, f.context, { params: { id: 1 } }), 'exact purge without a secret')
      assert(missing instanceof MizanError && missing.code === 'MIZAN_CONFIG', `missing secret must be a MizanError MIZAN_CONFIG, got ${String(missing)}`)
      const all = await cachePurge(f.backend, f.context)
      assertEqual(all.deleted, 2, 'context purge deleted')
      for (const id of [1, 3]) assertEqual(await cacheGet(f.secret, f.backend, f.context, { id }), undefined, `entry ${id} after the context purge`)
    }),

    backendCase(h, 'abi: cachePut refuses what it cannot store faithfully or safely', async (f) => {
      const get = (id: number) => cacheGet(f.secret, f.backend, f.context, { id })
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 1 }, { at: new Date() }, policy(f)), false, 'a Date inside the value')
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 2 }, undefined, policy(f)), false, 'undefined')
      const tooMany = Array.from({ length: 1001 }, (_, i) => f.tag(`n${i}`))
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 3 }, { v: 3 }, { ttl: 60, tags: tooMany }), false, '1,001 tags')
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 4 }, { v: 4 }, { ttl: 60 }, { tags: ['bad tag'] }), false, 'an invalid run-time tag')
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 5 }, { v: 5 }, { ttl: 0 }), false, 'no lifetime')
      const ticket = await f.backend.ticket()
      await cachePurgeTags(f.backend, [f.tag('item')])
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 6 }, { v: 6 }, policy(f), { ticket }), false, 'ticket from before a purge of its tag')
      const old = { epoch: ticket.epoch, issuedAt: Date.now() - f.backend.markerTtlMs - 1 }
      assertEqual(await cachePut(f.secret, f.backend, f.context, { id: 7 }, { v: 7 }, { ttl: 60 }, { ticket: old }), false, 'ticket older than markerTtlMs')
      for (const id of [1, 2, 3, 4, 5, 6, 7]) assertEqual(await get(id), undefined, `nothing readable for refused put ${id}`)
    }),
  ]
}
