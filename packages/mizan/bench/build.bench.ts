// Build overhead: `vite build` of a 200-route Mizan app (every route with a cacheable data
// function) vs the same 200 components and data functions built by plain Vite +
// @vitejs/plugin-react + @cloudflare/vite-plugin — a browser entry lazy-importing every page
// (one chunk per page, as Mizan's client build) and a Worker importing every page and data
// function and streaming the render (as Mizan's Worker build). Both build the client and the
// Worker environment in one `buildApp()`, in this process, interleaved A B A B … (5 rounds) after one
// warm-up build of each; the value is the median wall time. The memo of module analyses (in this
// process and in the build's analysis thread) is cleared before every Mizan build: a one-off
// `vite build` never finds it warm.
//
// A second row measures what a user waits for: `vite build` run from the command line in a fresh
// Node process (so Node's start, loading Vite and the plugins, and a cold JIT are included), the
// two apps interleaved the same way.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { buildFixture, createFixture } from '../test/support/fixture.ts'
import { median, report } from '../../../bench/lib.ts'
import { manyRoutesApp, manyRoutesBaseline } from './apps.ts'
import { clearAnalysisCaches } from '../src/vite/analysis-thread.ts'

const ROUTES = Number(process.env['MIZAN_BENCH_ROUTES'] ?? 200)
const ROUNDS = Number(process.env['MIZAN_BENCH_ROUNDS'] ?? 5)

const mizanApp = createFixture(manyRoutesApp(ROUTES), 'bench-build')
const plainApp = createFixture(manyRoutesBaseline(ROUTES), 'bench-build-plain')
process.env['FIXTURE_ORIGIN'] = 'http://127.0.0.1:9'

const VITE_BIN = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js')

/** Wall time of `vite build` in a fresh process. */
function timedCli(root: string): number {
  const start = performance.now()
  const run = spawnSync(process.execPath, [VITE_BIN, 'build', '--logLevel', 'silent'], { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, encoding: 'utf8' })
  const took = performance.now() - start
  if (run.status !== 0) throw new Error(`vite build failed in ${root}:\n${run.stderr}`)
  return took
}

async function timed(root: string): Promise<number> {
  clearAnalysisCaches()
  const start = performance.now()
  await buildFixture(root, { quiet: true })
  return performance.now() - start
}

try {
  await timed(mizanApp.root)
  await timed(plainApp.root)
  const mizan: number[] = []
  const plain: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    mizan.push(await timed(mizanApp.root))
    plain.push(await timed(plainApp.root))
  }
  const value = median(mizan)
  const baseline = median(plain)
  report({
    name: `mizan: vite build of ${ROUTES} routes with data functions vs plain Vite+React+Cloudflare`,
    unit: 'ms',
    value,
    baseline,
    goal: 'ratio <= 1.3',
    pass: value / baseline <= 1.3,
    note: `median of ${ROUNDS} interleaved; mizan ${mizan.map(Math.round).join('/')} plain ${plain.map(Math.round).join('/')}`,
  })

  timedCli(mizanApp.root)
  timedCli(plainApp.root)
  const mizanCli: number[] = []
  const plainCli: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    mizanCli.push(timedCli(mizanApp.root))
    plainCli.push(timedCli(plainApp.root))
  }
  report({
    name: `mizan: \`vite build\` (fresh process) of ${ROUTES} routes vs plain Vite+React+Cloudflare`,
    unit: 'ms',
    value: median(mizanCli),
    baseline: median(plainCli),
    goal: 'ratio <= 1.3',
    pass: median(mizanCli) / median(plainCli) <= 1.3,
    note: `median of ${ROUNDS} interleaved; mizan ${mizanCli.map(Math.round).join('/')} plain ${plainCli.map(Math.round).join('/')}`,
  })
} finally {
  mizanApp.remove()
  plainApp.remove()
}
