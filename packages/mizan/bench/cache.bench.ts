// Edge cache through the built Worker under `vite preview` (Node proxy → workerd), one app:
//  1. cached page HIT (`/`: the 200-row table from a `{ ttl: '1h' }` function) vs a Worker that
//     answers the same HTML bytes from memory, served the same way (with a static file, so it
//     sits behind the same assets layer as the Mizan app) — goal >= 0.8×;
//  2. HIT vs MISS: `/` vs `/uncached`, the same table from a `client(false)` function, rendered
//     on every request in the same Worker — goal >= 5×;
//  3. purge-to-fresh: a signed tag purge (`POST /_mizan/purge`), then the time from its answer
//     to the first response showing the origin's new value, over 100 purges, one at a time (no
//     load: DESIGN §8 — latency is measured unloaded, throughput at saturation).
// wrk -c50 -d5s, interleaved rounds (Mizan HIT + MISS, then bytes) on fresh servers — one
// `vite preview` at a time, a second one in the same process replaces the first one's workerd —
// medians; workerd CPU per request (from /proc) in the notes.
import fs from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { PURGE_PATH, PURGE_SIGNATURE_HEADER, createSecret, encodePurgeBody, signPurgeRequest } from '@mizan/core'
import { median, report } from '../../../bench/lib.ts'
import { buildFixture, createFixture, previewFixture } from '../test/support/fixture.ts'
import { bytesWorker, cachedTableApp } from './apps.ts'
import { measure, requireWrk, serveWorker } from './load.ts'
import type { ServedWorker } from './load.ts'

requireWrk()
const ROUNDS = 3
const PURGES = 100
const LOAD = { connections: 50, seconds: 5 }
const SECRET = randomBytes(32).toString('hex')

let counter = 0
const origin = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ value: counter }))
})
await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
process.env['FIXTURE_ORIGIN'] = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`

const app = createFixture(cachedTableApp(), 'bench-cache')
let bytesApp: ReturnType<typeof createFixture> | undefined

type Run = Awaited<ReturnType<typeof measure>>
const cpu = (runs: Run[]): number => median(runs.map((r) => r.workerdCpuMsPerRequest))
const each = (runs: Run[]): string => runs.map((r) => Math.round(r.rps)).join('/')

/** A fresh preview of the Mizan app with `/` already cached; throws unless its second request HITs. */
async function serveMizan(): Promise<ServedWorker & { html: string }> {
  const worker = await serveWorker(() => previewFixture(app.root))
  await (await fetch(worker.url + '/')).arrayBuffer()
  const hit = await fetch(worker.url + '/')
  const html = await hit.text()
  if (hit.headers.get('x-mizan-cache') !== 'HIT') {
    await worker.close()
    throw new Error(`benchmark setup: the second request of a cacheable page answered x-mizan-cache: ${hit.headers.get('x-mizan-cache')} (expected HIT) — is edge caching wired into the Worker?`)
  }
  return { ...worker, html }
}

async function warmAndMeasure(url: string, pids: number[]): Promise<Run> {
  await measure(url, pids, { connections: 10, seconds: 1 })
  return measure(url, pids, LOAD)
}

try {
  await buildFixture(app.root, { quiet: true })
  fs.writeFileSync(path.join(app.root, 'dist/ssr/.dev.vars'), `MIZAN_SECRET=${SECRET}\n`)
  const first = await serveMizan()
  const html = first.html
  await first.close()
  bytesApp = createFixture(bytesWorker(html), 'bench-bytes')
  await buildFixture(bytesApp.root, { quiet: true })

  const runs = { hit: [] as Run[], bytes: [] as Run[], miss: [] as Run[] }
  for (let round = 0; round < ROUNDS; round++) {
    const mizan = await serveMizan()
    try {
      if (mizan.html !== html) throw new Error('benchmark setup: the cached page changed between rounds')
      runs.hit.push(await warmAndMeasure(mizan.url + '/', mizan.pids))
      runs.miss.push(await warmAndMeasure(mizan.url + '/uncached', mizan.pids))
    } finally {
      await mizan.close()
    }
    const bytes = await serveWorker(() => previewFixture(bytesApp!.root))
    try {
      if ((await (await fetch(bytes.url + '/')).text()) !== html) throw new Error('benchmark setup: the bytes Worker does not answer the HIT page')
      runs.bytes.push(await warmAndMeasure(bytes.url + '/', bytes.pids))
    } finally {
      await bytes.close()
    }
  }
  const errors = [...runs.hit, ...runs.bytes, ...runs.miss].reduce((sum, r) => sum + r.errors, 0)
  if (errors > 0) throw new Error(`benchmark: ${errors} failed requests under load`)
  const hitRps = median(runs.hit.map((r) => r.rps))
  const bytesRps = median(runs.bytes.map((r) => r.rps))
  const missRps = median(runs.miss.map((r) => r.rps))
  report({
    name: 'mizan: cached page HIT vs Worker answering the same bytes from memory',
    unit: 'req/s',
    value: hitRps,
    baseline: bytesRps,
    goal: 'ratio >= 0.8',
    pass: hitRps / bytesRps >= 0.8,
    note: `vite preview, wrk -c50 -d5s ×${ROUNDS} (${each(runs.hit)} vs ${each(runs.bytes)}), ${html.length} B page; workerd CPU/req ${cpu(runs.hit).toFixed(2)} vs ${cpu(runs.bytes).toFixed(2)} ms (${(cpu(runs.bytes) / cpu(runs.hit)).toFixed(2)}×)`,
  })
  report({
    name: 'mizan: cached page HIT vs MISS (same table, client(false), rendered per request)',
    unit: 'req/s',
    value: hitRps,
    baseline: missRps,
    goal: 'ratio >= 5',
    pass: hitRps / missRps >= 5,
    // The bytes Worker is the ceiling of any HIT here: when ceiling/MISS < 5 the goal cannot be met
    // on this path (vite preview proxy + assets layer cost every request the same).
    note: `MISS rounds ${each(runs.miss)}; ceiling (bytes Worker) / MISS ${(bytesRps / missRps).toFixed(2)}×; workerd CPU/req HIT ${cpu(runs.hit).toFixed(2)} vs MISS ${cpu(runs.miss).toFixed(2)} ms (${(cpu(runs.miss) / cpu(runs.hit)).toFixed(1)}×), bytes ${cpu(runs.bytes).toFixed(2)} ms`,
  })

  const mizan = await serveMizan()
  try {
    const secret = await createSecret(SECRET)
    const show = async (): Promise<string | undefined> => /<p id="counter">(\d+)<\/p>/.exec(await (await fetch(mizan.url + '/counter')).text())?.[1]
    await show()
    const times: number[] = []
    let staleAnswers = 0
    for (let i = 0; i < PURGES; i++) {
      counter++
      const body = encodePurgeBody({ id: randomBytes(12).toString('base64url'), tags: ['counter'] })
      const signature = await signPurgeRequest(secret, { method: 'POST', path: PURGE_PATH, body })
      const res = await fetch(mizan.url + PURGE_PATH, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { [PURGE_SIGNATURE_HEADER]: signature, 'content-type': 'application/json' } })
      if (res.status !== 200) throw new Error(`benchmark: purge answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
      const start = performance.now()
      let attempts = 0
      while ((await show()) !== String(counter)) {
        if (++attempts > 1000) throw new Error(`benchmark: the page never showed value ${counter} after its purge`)
      }
      staleAnswers += attempts
      times.push(performance.now() - start)
    }
    const sorted = [...times].sort((a, b) => a - b)
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!
    report({
      name: `mizan: purge-to-fresh, ${PURGES} tag purges (purge answered → first fresh page)`,
      unit: 'ms p50',
      value: median(times),
      goal: 'p99 <= 1000 ms (the default purgeSyncMs bound)',
      pass: p99 <= 1000,
      note: `p99 ${p99.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; ${staleAnswers} stale answers seen after purges`,
    })
  } finally {
    await mizan.close()
  }
} finally {
  app.remove()
  bytesApp?.remove()
  origin.closeAllConnections()
  origin.close()
}
