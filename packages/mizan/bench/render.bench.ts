// Uncached render in the Worker: a Mizan page showing a 200-row table from a data function
// declared `client(false, …)` — uncacheable, so every request runs the function and renders
// (also once edge caching lands: `false` means BYPASS) — vs a hand-written Worker calling
// `renderToReadableStream` on the same Document and Table with the same rows (embedded as JSON
// for hydration, as Mizan does) and a static file so it sits behind the same assets layer.
// Both are built with `vite build` and served by `vite preview`
// (Node proxy → workerd), `wrk -c50 -d5s` interleaved A B A B A B — one server at a time (a
// second `vite preview` in the same process replaces the first one's workerd), each round on
// a fresh server after a 1 s warm-up.
// The value is the median req/s; the note gives workerd CPU per request (from /proc/<pid>/stat),
// the stable measure here (DESIGN §8), and the preview proxy's CPU per request.
import { median, report } from '../../../bench/lib.ts'
import { buildFixture, createFixture, previewFixture } from '../test/support/fixture.ts'
import { tableApp, tableBaseline } from './apps.ts'
import { measure, requireWrk, serveWorker } from './load.ts'

requireWrk()
const ROUNDS = 3
const LOAD = { connections: 50, seconds: 5 }

process.env['FIXTURE_ORIGIN'] = 'http://127.0.0.1:9'
const mizanApp = createFixture(tableApp('false'), 'bench-render')
const plainApp = createFixture(tableBaseline(), 'bench-render-plain')
type Run = Awaited<ReturnType<typeof measure>>

/** One round on one app: a fresh preview, a check of the page, a warm-up, then the measured run. */
async function round(root: string, name: string): Promise<Run> {
  const worker = await serveWorker(() => previewFixture(root))
  try {
    const res = await fetch(worker.url + '/')
    const html = await res.text()
    if (res.status !== 200 || (html.match(/<tr>/g) ?? []).length !== 201) throw new Error(`benchmark setup: ${name} page is not the 200-row table (status ${res.status})`)
    const cache = res.headers.get('x-mizan-cache')
    if (name === 'mizan' && cache !== null && cache !== 'BYPASS') throw new Error(`benchmark setup: the uncached page answered x-mizan-cache: ${cache}`)
    await measure(worker.url + '/', worker.pids, { connections: 10, seconds: 1 })
    return await measure(worker.url + '/', worker.pids, LOAD)
  } finally {
    await worker.close()
  }
}

try {
  await buildFixture(mizanApp.root, { quiet: true })
  await buildFixture(plainApp.root, { quiet: true })
  const runs = { mizan: [] as Run[], plain: [] as Run[] }
  for (let r = 0; r < ROUNDS; r++) {
    runs.mizan.push(await round(mizanApp.root, 'mizan'))
    runs.plain.push(await round(plainApp.root, 'plain'))
  }
  const errors = [...runs.mizan, ...runs.plain].reduce((sum, r) => sum + r.errors, 0)
  if (errors > 0) throw new Error(`benchmark: ${errors} failed requests under load`)
  const value = median(runs.mizan.map((r) => r.rps))
  const baseline = median(runs.plain.map((r) => r.rps))
  const cpu = (list: Run[]) => median(list.map((r) => r.workerdCpuMsPerRequest))
  const proxy = (list: Run[]) => median(list.map((r) => r.proxyCpuMsPerRequest))
  report({
    name: 'mizan: uncached page render (200-row table, client(false)) vs hand-written renderToReadableStream Worker',
    unit: 'req/s',
    value,
    baseline,
    goal: 'ratio >= 0.9',
    pass: value / baseline >= 0.9,
    note: `vite preview, wrk -c50 -d5s ×${ROUNDS} (${runs.mizan.map((r) => Math.round(r.rps)).join('/')} vs ${runs.plain.map((r) => Math.round(r.rps)).join('/')}); workerd CPU/req ${cpu(runs.mizan).toFixed(2)} vs ${cpu(runs.plain).toFixed(2)} ms (${(cpu(runs.plain) / cpu(runs.mizan)).toFixed(2)}×); proxy CPU/req ${proxy(runs.mizan).toFixed(2)} vs ${proxy(runs.plain).toFixed(2)} ms`,
  })
} finally {
  mizanApp.remove()
  plainApp.remove()
}
