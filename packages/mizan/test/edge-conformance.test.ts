/**
 * The core's conformance suite, run against the edge backend inside real workerd (Miniflare):
 * a test Worker is bundled with esbuild and served with the `MizanPurgeState` Durable Object
 * (SQLite) and the Cache API; each case is one request and one `it`.
 */
import { fileURLToPath } from 'node:url'
import type { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestWorker } from './support/workerd.ts'
import { conformanceCases } from '@mizan/core/conformance'

const ENTRY = fileURLToPath(new URL('./edge-conformance.worker.ts', import.meta.url))
const RUN = `edge-${process.pid}-${Date.now().toString(36)}`

// Only the names and their order: the worker builds the same list with a real harness.
const unused = async (): Promise<never> => {
  throw new Error('not run in Node')
}
const CASES = conformanceCases({ makeBackend: unused, breakBackend: unused }).map((c) => c.name)
const EDGE_CASES = [
  'another isolate honours a purge within purgeSyncMs; the purging isolate at once',
  'bytes that reach the cache after a purge (admitted before it) are never served',
  'a missing Durable Object binding is a MIZAN_CONFIG error naming the fix',
  'the replay store accepts a purge id once, from any isolate, until it expires',
  'a stored entry carries its tags in Cache-Tag and its lifetime in max-age',
]

let mf: Miniflare

beforeAll(async () => {
  mf = await startTestWorker(ENTRY)
})

afterAll(async () => {
  await mf?.dispose()
})

async function runCase(query: string, name: string): Promise<void> {
  const response = await mf.dispatchFetch(`http://edge.test/?run=${RUN}&${query}`)
  const result = (await response.json()) as { name?: string; ok: boolean; error?: string }
  expect(result.name, 'the worker ran the case this test names').toBe(name)
  if (!result.ok) throw new Error(`inside workerd: ${result.error}`)
}

describe('conformance: edge backend inside workerd', () => {
  for (const [index, name] of CASES.entries()) it(name, () => runCase(`case=${index}`, name), 20_000)
})

describe('edge backend: isolates, late writes, configuration (inside workerd)', () => {
  for (const name of EDGE_CASES) it(name, () => runCase(`edge=${encodeURIComponent(name)}`, name), 20_000)
})

describe('edge backend: one backend object across requests (Durable Object stubs are per request)', () => {
  it('a backend made in one request gets, leases and purges in the next', async () => {
    const made = await mf.dispatchFetch(`http://edge.test/?run=${RUN}&across=make`)
    expect(await made.json()).toEqual({ ok: true })
    const used = await mf.dispatchFetch(`http://edge.test/?run=${RUN}&across=use`)
    expect(await used.json()).toEqual({ ok: true, held: [7], lease: true, deleted: 1, after: null })
  })
})
