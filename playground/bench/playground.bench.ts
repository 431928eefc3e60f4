// The playground as `pnpm start` runs it (built Worker under vite preview + its backend), on
// free ports with a throwaway database:
//  1. requests/s of the article page's three paths, interleaved in rounds (medians):
//     HIT  — the article's data endpoint answered from the edge cache (what <Link> navigation fetches),
//     PSR  — the article page: cached shell + the viewer hole resumed per request (SHELL-HIT+RESUME),
//     MISS — the article page right after a signed purge of its tag: re-render + backend fetch
//            (sequential, purge time excluded);
//  2. the backend's requests per 1,000 page views under a steady mix of 95% page views and 5%
//     comment writes (through the action endpoint) — the fraction of the read load the edge takes off it.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalParams, createKeyring, createPurger, createSecret } from '@mizan/core'
import { freePort, median, report, throughput } from '../../bench/lib.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ROUNDS = 3
const DURATION_MS = 4_000
const CONCURRENCY = 16
const MISSES = 40
const MIX_VIEWS = 2_000
const SLUGS = ['edge-rendering', 'purging-by-tag', 'partial-static', 'city-council-bikes', 'autumn-market', 'observatory-open-night']

const [port, backendPort] = [await freePort(), await freePort()]
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizan-playground-bench-'))
const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', 'scripts/run.ts', 'start'], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(port), BACKEND_PORT: String(backendPort), PLAYGROUND_DB: path.join(dataDir, 'news.db'), REDIS_URL: '' },
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
})
let log = ''
child.stdout.on('data', (c: Buffer) => (log += c.toString()))
child.stderr.on('data', (c: Buffer) => (log += c.toString()))
const exited = new Promise((resolve) => child.once('exit', resolve))

const url = `http://127.0.0.1:${port}`
const backend = `http://127.0.0.1:${backendPort}`
const get = async (pathname: string, headers: Record<string, string> = {}): Promise<string | null> => {
  const res = await fetch(url + pathname, { headers })
  const body = await res.text()
  if (!res.ok) throw new Error(`${pathname} answered ${res.status} (${res.headers.get('x-mizan-cache')}): ${body.slice(0, 500)}`)
  return res.headers.get('x-mizan-cache')
}
const stats = async (): Promise<{ reads: number; writes: number }> => (await fetch(`${backend}/api/stats`)).json() as Promise<{ reads: number; writes: number }>

try {
  const deadline = Date.now() + 240_000
  while (!log.includes('Ctrl-C stops everything')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the playground did not start:\n${log}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const secret = fs.readFileSync(path.join(ROOT, '.mizan/dev-secret'), 'utf8').trim()
  const purger = createPurger({ keyring: createKeyring(await createSecret(secret)), edges: [url] })

  const slug = 'partial-static'
  const page = `/articles/${slug}`
  const data = `/_mizan/data/${encodeURIComponent('articles/[slug]#article')}?p=${encodeURIComponent(canonicalParams({ slug }))}`
  await get(page)
  await get(data)
  const states = [await get(data), await get(page, { cookie: 'user=Ada' })]
  if (!/HIT/.test(states[0] ?? '') || !/HIT/.test(states[1] ?? '')) throw new Error(`expected hits, got ${states.join(', ')}`)

  const hit: number[] = []
  const psr: number[] = []
  const miss: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    hit.push(await throughput(() => get(data), { concurrency: CONCURRENCY, durationMs: DURATION_MS }))
    psr.push(await throughput(() => get(page, { cookie: 'user=Ada' }), { concurrency: CONCURRENCY, durationMs: DURATION_MS }))
    const times: number[] = []
    for (let i = 0; i < MISSES; i++) {
      await purger.purge({ tags: [`article:${slug}`] })
      const start = performance.now()
      const state = await get(page, { cookie: 'user=Ada' })
      times.push(performance.now() - start)
      if (!/MISS/.test(state ?? '')) throw new Error(`expected a miss after the purge, got ${state}`)
    }
    miss.push(1000 / median(times))
  }
  await purger.close()
  const [hitRate, psrRate, missRate] = [median(hit), median(psr), median(miss)]
  const note = `medians of ${ROUNDS} interleaved rounds; ${CONCURRENCY} in flight (MISS: one at a time)`
  report({ name: 'playground: article data endpoint HIT vs article page PSR (shell hit + viewer hole)', unit: 'req/s', value: hitRate, baseline: psrRate, goal: 'measured', pass: hitRate > 0, note })
  report({ name: 'playground: article page PSR (SHELL-HIT+RESUME) vs MISS after a purge', unit: 'req/s', value: psrRate, baseline: missRate, goal: 'ratio >= 2', pass: psrRate / missRate >= 2, note })

  // Steady mix: 95% page views (front page and articles, signed in or not), 5% comments.
  const before = await stats()
  let views = 0
  let writes = 0
  let next = 0
  let failures = 0
  const one = async (): Promise<void> => {
    const i = next++
    if (i % 20 === 19) {
      writes++
      const target = SLUGS[(i * 7) % SLUGS.length]!
      const res = await fetch(`${url}/_mizan/action/${encodeURIComponent('articles/[slug]#addComment')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'user=Bench' },
        body: JSON.stringify({ slug: target, body: `comment ${i}` }),
      })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`the comment action answered ${res.status}`)
      return
    }
    views++
    const pick = (i * 13) % (SLUGS.length + 2)
    await get(pick >= SLUGS.length ? '/' : `/articles/${SLUGS[pick]}`, i % 3 === 0 ? { cookie: 'user=Ada' } : {}).catch((error: unknown) => {
      if (failures++ === 0) process.stderr.write(`first failed page view: ${String(error)}\n`)
    })
  }
  const workers = Array.from({ length: 8 }, async () => {
    while (next < MIX_VIEWS) await one()
  })
  await Promise.all(workers)
  const after = await stats()
  const backendRequests = after.reads - before.reads + (after.writes - before.writes)
  const perThousand = (backendRequests / (views + writes)) * 1000
  report({
    name: 'playground: backend requests per 1,000 requests (95% page views, 5% comments)',
    unit: 'req',
    value: perThousand,
    baseline: 1000,
    goal: 'ratio <= 0.25, no failed view',
    pass: perThousand / 1000 <= 0.25 && failures === 0,
    note: `${failures} failed; ${views} views + ${writes} writes → ${after.reads - before.reads} backend reads + ${after.writes - before.writes} writes; the edge took ${(100 - perThousand / 10).toFixed(1)}% off the backend`,
  })
} finally {
  try {
    process.kill(-child.pid!, 'SIGINT')
  } catch {}
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
  fs.rmSync(dataDir, { recursive: true, force: true })
}
