// PSR (docs/psr.md) through the built Worker on Miniflare's own socket, as cache.bench.ts:
//  1. TTFB (time to the first body byte) of `/psr-slow` — the 200-row table in the shell, a
//     hole taking 200 ms — vs a plain cached HIT of the table (`/`): goal <= 1.5×. Measured one
//     request at a time, 20 ms apart (rate-limited, not at saturation: DESIGN §8), interleaved.
//  2. req/s of `/psr` (shell hit + one cheap hole) vs the plain HIT: goal >= 0.5×;
//  3. req/s of `/psr` vs the same page rendered whole per request (the same Worker with
//     MIZAN_PAGE_CACHE=off: data still cached, the page rendered): goal >= 2×.
// wrk -c50 -d5s, interleaved rounds, medians; workerd CPU per request in the notes.
import http from 'node:http'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { median, report } from '../../../bench/lib.ts'
import { buildFixture, createFixture } from '../test/support/fixture.ts'
import { psrTableApp } from './apps.ts'
import { measure, requireWrk } from './load.ts'
import type { ServedWorker } from './load.ts'
import { serveBuilt } from './miniflare.ts'

requireWrk()
const ROUNDS = 3
const TTFB_SAMPLES = 40
const LOAD = { connections: 50, seconds: 5 }
const SECRET = randomBytes(32).toString('hex')

const app = createFixture(psrTableApp(), 'bench-psr')
type Run = Awaited<ReturnType<typeof measure>>
const rps = (runs: Run[]): number => median(runs.map((r) => r.rps))
const cpu = (runs: Run[]): number => median(runs.map((r) => r.workerdCpuMsPerRequest))
const each = (runs: Run[]): string => runs.map((r) => Math.round(r.rps)).join('/')

/** Milliseconds from sending a GET to its first body byte (and the cache state it answered). */
function firstByte(url: string): Promise<{ ms: number; state: string | undefined }> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    http
      .get(url, { agent: false }, (res) => {
        res.once('data', () => {
          const ms = performance.now() - start
          res.resume()
          res.once('end', () => resolve({ ms, state: res.headers['x-mizan-cache'] as string | undefined }))
        })
        res.once('error', reject)
      })
      .once('error', reject)
  })
}

async function expectState(url: string, expected: string): Promise<void> {
  const res = await fetch(url)
  await res.arrayBuffer()
  if (res.headers.get('x-mizan-cache') !== expected) throw new Error(`benchmark setup: ${url} answered x-mizan-cache: ${res.headers.get('x-mizan-cache')} (expected ${expected})`)
}

let cached: ServedWorker | undefined
let full: ServedWorker | undefined
try {
  await buildFixture(app.root, { quiet: true })
  const ssr = path.join(app.root, 'dist/ssr')
  cached = await serveBuilt(ssr, { MIZAN_SECRET: SECRET })
  full = await serveBuilt(ssr, { MIZAN_SECRET: SECRET, MIZAN_PAGE_CACHE: 'off' })
  for (const route of ['/', '/psr', '/psr-slow']) await (await fetch(cached.url + route)).arrayBuffer()
  await expectState(cached.url + '/', 'HIT')
  await expectState(cached.url + '/psr', 'SHELL-HIT+RESUME')
  await expectState(cached.url + '/psr-slow', 'SHELL-HIT+RESUME')
  await expectState(full.url + '/psr', 'BYPASS')

  // 1. TTFB, unloaded, interleaved.
  const ttfb = { hit: [] as number[], psr: [] as number[] }
  for (let i = 0; i < TTFB_SAMPLES + 3; i++) {
    const hit = await firstByte(cached.url + '/')
    await new Promise((resolve) => setTimeout(resolve, 20))
    const psr = await firstByte(cached.url + '/psr-slow')
    await new Promise((resolve) => setTimeout(resolve, 20))
    if (hit.state !== 'HIT' || psr.state !== 'SHELL-HIT+RESUME') throw new Error(`benchmark: states changed under TTFB sampling (${hit.state}, ${psr.state})`)
    if (i >= 3) {
      ttfb.hit.push(hit.ms)
      ttfb.psr.push(psr.ms)
    }
  }
  const ttfbHit = median(ttfb.hit)
  const ttfbPsr = median(ttfb.psr)
  report({
    name: 'mizan: PSR TTFB (shell hit, 200 ms hole) vs cached page HIT',
    unit: 'ms p50',
    value: ttfbPsr,
    baseline: ttfbHit,
    goal: 'ratio <= 1.5',
    pass: ttfbPsr / ttfbHit <= 1.5,
    note: `${TTFB_SAMPLES} sequential requests each, 20 ms apart, interleaved; first body byte; PSR p90 ${[...ttfb.psr].sort((a, b) => a - b)[Math.floor(TTFB_SAMPLES * 0.9)]!.toFixed(2)} ms`,
  })

  // 2 + 3. Throughput at saturation, interleaved.
  const runs = { hit: [] as Run[], psr: [] as Run[], full: [] as Run[] }
  const warmAndMeasure = async (url: string, pids: number[]): Promise<Run> => {
    await measure(url, pids, { connections: 10, seconds: 1 })
    return measure(url, pids, LOAD)
  }
  for (let round = 0; round < ROUNDS; round++) {
    runs.hit.push(await warmAndMeasure(cached.url + '/', cached.pids))
    runs.psr.push(await warmAndMeasure(cached.url + '/psr', cached.pids))
    runs.full.push(await warmAndMeasure(full.url + '/psr', full.pids))
  }
  const failed = Object.entries(runs).flatMap(([name, list]) => list.filter((r) => r.errors > 0).map((r) => `${name}: ${r.errorDetail}`))
  if (failed.length > 0) throw new Error(`benchmark: failed requests under load (${failed.join(' | ')})`)
  await expectState(cached.url + '/psr', 'SHELL-HIT+RESUME')
  report({
    name: 'mizan: PSR page (shell hit + cheap hole) vs cached page HIT',
    unit: 'req/s',
    value: rps(runs.psr),
    baseline: rps(runs.hit),
    goal: 'ratio >= 0.5',
    pass: rps(runs.psr) / rps(runs.hit) >= 0.5,
    note: `Miniflare socket, wrk -c50 -d5s ×${ROUNDS} (${each(runs.psr)} vs ${each(runs.hit)}); workerd CPU/req ${cpu(runs.psr).toFixed(2)} vs ${cpu(runs.hit).toFixed(2)} ms`,
  })
  report({
    name: 'mizan: PSR page (shell hit + cheap hole) vs the same page rendered whole per request',
    unit: 'req/s',
    value: rps(runs.psr),
    baseline: rps(runs.full),
    goal: 'ratio >= 2',
    pass: rps(runs.psr) / rps(runs.full) >= 2,
    note: `MIZAN_PAGE_CACHE=off (data still cached) rounds ${each(runs.full)}; workerd CPU/req PSR ${cpu(runs.psr).toFixed(2)} vs whole ${cpu(runs.full).toFixed(2)} ms`,
  })
} finally {
  await full?.close()
  await cached?.close()
  app.remove()
}
