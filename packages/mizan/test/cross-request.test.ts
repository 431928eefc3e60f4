/**
 * Requests that miss the same entry at once, inside real workerd (Miniflare) over the default
 * edge backend. workerd ties a promise's I/O to the request that made it: a request awaiting a
 * computation another request runs hangs once that request ends or is cancelled (workerd then
 * answers 500 "…hung and would never generate a response"). So concurrent misses must share one
 * computation without ever awaiting a promise another request settles: a request joining the
 * isolate's flight watches it with its own timers, and leads itself if it does not end in time.
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestWorker } from './support/workerd.ts'

const ENTRY = fileURLToPath(new URL('./cross-request.worker.ts', import.meta.url))
const BASE = 'http://cross.test'

let mf: Miniflare

beforeAll(async () => {
  mf = await startTestWorker(ENTRY, { MIZAN_SECRET: randomBytes(32).toString('hex') })
  // The isolate's backend and secret are made by a first request, alone.
  expect((await get('/?key=warm')).status).toBe(200)
})

afterAll(async () => {
  await mf?.dispose()
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A request that fails (instead of hanging the test) after `timeoutMs`. */
async function get(path: string, signal: AbortSignal = AbortSignal.timeout(6_000)): Promise<{ status: number; body: string }> {
  const response = await mf.dispatchFetch(BASE + path, { signal })
  return { status: response.status, body: await response.text() }
}

async function computed(key: string): Promise<number> {
  const counts = JSON.parse((await get('/__computed')).body) as Record<string, number>
  return counts[key] ?? 0
}

describe('concurrent misses inside workerd (edge backend)', () => {
  it("a request still answers when the request whose computation it waited for ends first", async () => {
    // The first request stops waiting after 300 ms and ends; its computation (1 s) dies with it.
    const first = get('/?key=abandoned&ms=1000&giveup=300')
    await sleep(100)
    const second = get('/?key=abandoned&ms=0')
    expect((await first).status).toBe(503)
    const answer = await second
    expect(answer.status, answer.body).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ value: 'value of abandoned', state: 'MISS' })
  }, 15_000)

  it('concurrent misses of one entry compute it once and all answer', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => get('/?key=herd&ms=300')))
    for (const answer of answers) expect(answer.status, answer.body).toBe(200)
    expect(answers.map((a) => (JSON.parse(a.body) as { value: string }).value)).toEqual(Array(6).fill('value of herd'))
    // One flight in the isolate: every request gets its outcome (MISS), watched with its own timers.
    expect(answers.map((a) => (JSON.parse(a.body) as { state: string }).state)).toEqual(Array(6).fill('MISS'))
    expect(await computed('herd')).toBe(1)
  }, 15_000)
})
