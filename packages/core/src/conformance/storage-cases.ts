/**
 * Cases on the raw `CacheBackend` contract: storage, expiry, purges, markers, tickets, leases.
 * @module
 */

import { assert, assertBytes, assertEqual } from './assert.ts'
import { backendCase } from './case.ts'
import type { ConformanceCase, ConformanceHarness } from './case.ts'
import { bytesOf, sleep } from './fixtures.ts'

export function storageCases(h: ConformanceHarness): ConformanceCase[] {
  return [
    backendCase(h, 'storage: get/put round trip, overwrite, absent key', async (f) => {
      const ref = await f.ref({ id: 1 })
      assertEqual(await f.backend.get(ref), null, 'get of a key never written')
      assertEqual(await f.put(ref, bytesOf('first')), true, 'put without any purge')
      assertBytes(await f.backend.get(ref), bytesOf('first'), 'get after put')
      assertEqual(await f.put(ref, bytesOf('second')), true, 'overwrite')
      assertBytes(await f.backend.get(ref), bytesOf('second'), 'get after overwrite')
      const other = await f.ref({ id: 2 })
      assertEqual(await f.backend.get(other), null, 'a neighbouring key stays absent')
    }),

    backendCase(h, 'storage: entries expire after ttlMs', async (f) => {
      const ref = await f.ref({ id: 1 })
      const lasting = await f.ref({ id: 2 })
      const begun = Date.now()
      await f.put(ref, bytesOf('short'), [], 300)
      await f.put(lasting, bytesOf('long'), [], 60_000)
      const early = await f.backend.get(ref)
      // On a machine so loaded that 300 ms passed already, only the expiry can be checked.
      if (Date.now() - begun < 300) assertBytes(early, bytesOf('short'), 'before expiry')
      await sleep(300 - (Date.now() - begun) + 150)
      assertEqual(await f.backend.get(ref), null, 'after ttlMs')
      assertBytes(await f.backend.get(lasting), bytesOf('long'), 'an entry with a longer ttl')
    }),

    backendCase(h, 'storage: delete removes one entry and records no marker', async (f) => {
      const a = await f.ref({ id: 'a' })
      const b = await f.ref({ id: 'b' })
      const ticket = await f.backend.ticket()
      await f.put(a, bytesOf('a'))
      await f.put(b, bytesOf('b'))
      await f.backend.delete(a)
      assertEqual(await f.backend.get(a), null, 'deleted entry')
      assertBytes(await f.backend.get(b), bytesOf('b'), 'other entry')
      const put = await f.backend.put({ ref: a, bytes: bytesOf('again'), tags: [], ttlMs: 60_000, ticket })
      assertEqual(put, true, 'put with a ticket from before a delete (delete is not a purge)')
      await f.backend.delete(await f.ref({ id: 'never' }))
    }),

    backendCase(h, 'storage: a tag purge removes exactly the tagged entries, in every context', async (f) => {
      const x = f.tag('x')
      const y = f.tag('y')
      const otherContext = { fn: `${f.context.fn}-other`, version: 'v1' }
      const refs = {
        onlyX: await f.ref({ id: 1 }),
        both: await f.ref({ id: 2 }),
        onlyY: await f.ref({ id: 3 }),
        none: await f.ref({ id: 4 }),
        elsewhereX: await f.ref({ id: 1 }, otherContext),
      }
      await f.put(refs.onlyX, bytesOf('1'), [x])
      await f.put(refs.both, bytesOf('2'), [x, y])
      await f.put(refs.onlyY, bytesOf('3'), [y])
      await f.put(refs.none, bytesOf('4'), [])
      await f.put(refs.elsewhereX, bytesOf('5'), [x])
      const report = await f.backend.purge({ tags: [x] })
      assertEqual(report.deleted, 3, 'deleted count of the tag purge')
      assertEqual(await f.backend.get(refs.onlyX), null, 'entry tagged x')
      assertEqual(await f.backend.get(refs.both), null, 'entry tagged x and y')
      assertEqual(await f.backend.get(refs.elsewhereX), null, 'entry tagged x in another context')
      assertBytes(await f.backend.get(refs.onlyY), bytesOf('3'), 'entry tagged y only')
      assertBytes(await f.backend.get(refs.none), bytesOf('4'), 'untagged entry')
      assertEqual((await f.backend.purge({ tags: [f.tag('unused')] })).deleted, 0, 'purge of an unused tag')
    }),

    backendCase(h, 'storage: a context purge removes every entry of that context only', async (f) => {
      const otherContext = { fn: `${f.context.fn}-other`, version: 'v1' }
      const mine = [await f.ref({ id: 1 }), await f.ref({ id: 2 }), await f.ref({ id: 3 })]
      const theirs = await f.ref({ id: 1 }, otherContext)
      for (const ref of mine) await f.put(ref, bytesOf('mine'), [f.tag('t')])
      await f.put(theirs, bytesOf('theirs'), [f.tag('t')])
      const report = await f.backend.purge({ contexts: [mine[0]!.context] })
      assertEqual(report.deleted, 3, 'deleted count of the context purge')
      for (const ref of mine) assertEqual(await f.backend.get(ref), null, 'entry of the purged context')
      assertBytes(await f.backend.get(theirs), bytesOf('theirs'), 'entry of another context')
    }),

    backendCase(h, 'storage: an exact-entry purge removes that entry only', async (f) => {
      const target = await f.ref({ id: 1 })
      const sibling = await f.ref({ id: 2 })
      await f.put(target, bytesOf('target'), [f.tag('t')])
      await f.put(sibling, bytesOf('sibling'), [f.tag('t')])
      const report = await f.backend.purge({ entries: [target] })
      assertEqual(report.deleted, 1, 'deleted count of the entry purge')
      assertEqual(await f.backend.get(target), null, 'purged entry')
      assertBytes(await f.backend.get(sibling), bytesOf('sibling'), 'sibling entry')
    }),

    backendCase(h, 'storage: a purge advances the epoch; a put with an older ticket is refused only by a relevant marker', async (f) => {
      const tagged = await f.ref({ id: 'tagged' })
      const entry = await f.ref({ id: 'entry' })
      const otherContext = { fn: `${f.context.fn}-other`, version: 'v1' }
      const inContext = await f.ref({ id: 'ctx' }, otherContext)
      const before = await f.backend.ticket()
      await f.backend.purge({ tags: [f.tag('purged')], contexts: [inContext.context], entries: [entry] })
      const after = await f.backend.ticket()
      assert(after.epoch > before.epoch, `epoch must advance with a purge (before ${before.epoch}, after ${after.epoch})`)
      const put = (ref: typeof entry, tags: string[], ticket = before) => f.backend.put({ ref, bytes: bytesOf('x'), tags, ttlMs: 60_000, ticket })
      assertEqual(await put(tagged, [f.tag('kept'), f.tag('purged')]), false, 'put tagged with a purged tag, older ticket')
      assertEqual(await put(inContext, []), false, 'put into a purged context, older ticket')
      assertEqual(await put(entry, []), false, 'put of a purged entry, older ticket')
      assertEqual(await f.backend.get(tagged), null, 'a refused put stores nothing')
      assertEqual(await put(await f.ref({ id: 'unrelated' }), [f.tag('kept')]), true, 'put unrelated to the purge, older ticket')
      assertEqual(await put(tagged, [f.tag('purged')], after), true, 'put with a ticket taken after the purge')
      assertEqual(await put(entry, [], after), true, 'entry put with a ticket taken after the purge')
    }),

    backendCase(h, 'storage: tickets older than markerTtlMs are refused', async (f) => {
      const current = await f.backend.ticket()
      const ref = await f.ref({ id: 1 })
      const old = { epoch: current.epoch, issuedAt: current.issuedAt - f.backend.markerTtlMs - 1_000 }
      assertEqual(await f.backend.put({ ref, bytes: bytesOf('x'), tags: [], ttlMs: 60_000, ticket: old }), false, 'put with an expired ticket')
      assertEqual(await f.backend.get(ref), null, 'nothing stored')
      assertEqual(await f.backend.put({ ref, bytes: bytesOf('x'), tags: [], ttlMs: 60_000, ticket: current }), true, 'put with a current ticket')
    }),

    backendCase(h, 'storage: a lease is exclusive until released', async (f) => {
      const ref = await f.ref({ id: 1 })
      const first = await f.backend.lease(ref, 10_000)
      assert(first !== null, 'first lease must be granted')
      assertEqual(await f.backend.lease(ref, 10_000), null, 'second lease while held')
      assert((await f.backend.lease(await f.ref({ id: 2 }), 10_000)) !== null, 'a lease of another ref is independent')
      await first.release()
      const next = await f.backend.lease(ref, 10_000)
      assert(next !== null, 'lease after release')
      assert(next.token !== first.token, 'a new lease has a new token')
      await next.release()
    }),

    backendCase(h, 'storage: a lease expires, and a stale holder cannot release its successor', async (f) => {
      const ref = await f.ref({ id: 1 })
      const begun = Date.now()
      const crashed = await f.backend.lease(ref, 300)
      assert(crashed !== null, 'first lease')
      const early = await f.backend.lease(ref, 10_000)
      if (Date.now() - begun < 300) assertEqual(early, null, 'lease before expiry')
      await sleep(300 - (Date.now() - begun) + 150)
      const successor = await f.backend.lease(ref, 10_000)
      assert(successor !== null, 'lease after the holder expired')
      await crashed.release()
      assertEqual(await f.backend.lease(ref, 10_000), null, "the expired holder's release must not free the successor's lease")
      await successor.release()
    }),
  ]
}
