// Edge cache through the built Worker, served the way DESIGN §8 measured Workers: the bundle in
// dist/ssr (with its wrangler.json: vars, the purge-state Durable Object) on Miniflare's own
// socket — workerd with the Cache API, no `vite preview` proxy or assets layer in front — for
// every side of every ratio:
//  1. cached page HIT (`/`: the 200-row table from a `{ ttl: '1h' }` function) vs a Worker that
//     answers the same HTML bytes from memory — goal >= 0.8×;
//  2. HIT vs MISS: `/` vs `/uncached`, the same table from a `client(false)` function, rendered
//     on every request in the same Worker — goal >= 5×;
//  3. purge-to-fresh: a signed tag purge (`POST /_mizan/purge`), then the time from its answer
//     to the first response showing the origin's new value, over 100 purges, one at a time (no
//     load: DESIGN §8 — latency is measured unloaded, throughput at saturation).
// wrk -c50 -d5s, interleaved rounds (HIT, bytes, MISS) against the same two servers, medians;
// workerd CPU per request (from /proc) in the notes.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { PURGE_PATH, PURGE_SIGNATURE_HEADER, createSecret, encodePurgeBody, signPurgeRequest } from '@mizan/core'
import { median, report } from '../../../bench/lib.ts'
import { buildFixture, createFixture } from '../test/support/fixture.ts'
import { bytesWorkerScript, cachedTableApp } from './apps.ts'
import { measure, requireWrk } from './load.ts'
import type { ServedWorker } from './load.ts'
import { serveBuilt, serveScript } from './miniflare.ts'

requireWrk()
const ROUNDS = 5
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

type Run = Awaited<ReturnType<typeof measure>>
const cpu = (runs: Run[]): number => median(runs.map((r) => r.workerdCpuMsPerRequest))
const each = (runs: Run[]): string => runs.map((r) => Math.round(r.rps)).join('/')

/** The built Mizan app with `/` already cached; throws unless its second request HITs. */
async function serveMizan(): Promise<ServedWorker & { html: string }> {
  const worker = await serveBuilt(path.join(app.root, 'dist/ssr'), { MIZAN_SECRET: SECRET })
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

let mizan: (ServedWorker & { html: string }) | undefined
let bytes: ServedWorker | undefined
try {
  await buildFixture(app.root, { quiet: true })
  mizan = await serveMizan()
  const html = mizan.html
  bytes = await serveScript(bytesWorkerScript(html))
  if ((await (await fetch(bytes.url + '/')).text()) !== html) throw new Error('benchmark setup: the bytes Worker does not answer the HIT page')

  const runs = { hit: [] as Run[], bytes: [] as Run[], miss: [] as Run[] }
  for (let round = 0; round < ROUNDS; round++) {
    runs.hit.push(await warmAndMeasure(mizan.url + '/', mizan.pids))
    runs.bytes.push(await warmAndMeasure(bytes.url + '/', bytes.pids))
    runs.miss.push(await warmAndMeasure(mizan.url + '/uncached', mizan.pids))
  }
  const check = await fetch(mizan.url + '/')
  if (check.headers.get('x-mizan-cache') !== 'HIT' || (await check.text()) !== html) throw new Error('benchmark: the cached page stopped being a HIT of the same bytes under load')
  await bytes.close()
  bytes = undefined
  const failed = Object.entries(runs).flatMap(([name, list]) => list.filter((r) => r.errors > 0).map((r) => `${name}: ${r.errorDetail}`))
  if (failed.length > 0) throw new Error(`benchmark: failed requests under load (${failed.join(' | ')})`)
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
    note: `Miniflare socket, wrk -c50 -d5s ×${ROUNDS} (${each(runs.hit)} vs ${each(runs.bytes)}), ${html.length} B page; workerd CPU/req ${cpu(runs.hit).toFixed(2)} vs ${cpu(runs.bytes).toFixed(2)} ms (${(cpu(runs.bytes) / cpu(runs.hit)).toFixed(2)}×)`,
  })
  report({
    name: 'mizan: cached page HIT vs MISS (same table, client(false), rendered per request)',
    unit: 'req/s',
    value: hitRps,
    baseline: missRps,
    goal: 'ratio >= 5',
    pass: hitRps / missRps >= 5,
    // The bytes Worker is the ceiling of any HIT here: when ceiling/MISS < 5 the goal cannot be met.
    note: `MISS rounds ${each(runs.miss)}; ceiling (bytes Worker) / MISS ${(bytesRps / missRps).toFixed(2)}×; workerd CPU/req HIT ${cpu(runs.hit).toFixed(2)} vs MISS ${cpu(runs.miss).toFixed(2)} ms (${(cpu(runs.miss) / cpu(runs.hit)).toFixed(1)}×), bytes ${cpu(runs.bytes).toFixed(2)} ms`,
  })

  {
    const secret = await createSecret(SECRET)
    const show = async (): Promise<string | undefined> => /<p id="counter">(\d+)<\/p>/.exec(await (await fetch(mizan!.url + '/counter')).text())?.[1]
    await show()
    const times: number[] = []
    let staleAnswers = 0
    for (let i = 0; i < PURGES; i++) {
      counter++
      const body = encodePurgeBody({ id: randomBytes(12).toString('base64url'), tags: ['counter'] })
      const signature = await signPurgeRequest(secret, { method: 'POST', path: PURGE_PATH, body })
      const res = await fetch(mizan!.url + PURGE_PATH, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { [PURGE_SIGNATURE_HEADER]: signature, 'content-type': 'application/json' } })
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
  }
} finally {
  await bytes?.close()
  await mizan?.close()
  app.remove()
  origin.closeAllConnections()
  origin.close()
}
