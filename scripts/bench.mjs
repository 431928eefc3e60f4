// `pnpm bench`: runs every `packages/*/bench/*.bench.ts` (and playground/e2e benches) in its
// own Node process, one after another so they do not compete for the 2 cores, and prints
// one table of ratios measured within each benchmark's own run.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const filter = process.argv[2]
const files = []
for (const base of ['packages', '.']) {
  const dirs = base === 'packages' ? readdirSync(join(root, base)).map((d) => join(root, base, d, 'bench')) : [join(root, 'playground', 'bench'), join(root, 'e2e', 'bench')]
  for (const dir of dirs) {
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.bench.ts')) files.push(join(dir, f))
  }
}
const selected = files.filter((f) => !filter || f.includes(filter))
const results = []
for (const file of selected) {
  const rel = relative(root, file)
  process.stderr.write(`running ${rel} …\n`)
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 })
  const lines = (run.stdout ?? '').split('\n').filter((l) => l.startsWith('BENCH '))
  if (run.status !== 0 || lines.length === 0) {
    results.push({ name: rel, unit: '', value: NaN, goal: 'runs', pass: false, note: `exit ${run.status}` })
    continue
  }
  for (const l of lines) results.push(JSON.parse(l.slice(6)))
}
const fmt = (n) => (n === undefined ? '' : Number.isFinite(n) ? (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toPrecision(3)) : String(n))
const rows = [['benchmark', 'value', 'baseline', 'ratio', 'goal', 'ok', 'note']]
for (const r of results) {
  const ratio = r.baseline ? r.value / r.baseline : undefined
  rows.push([r.name, `${fmt(r.value)} ${r.unit}`, r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`, ratio === undefined ? '' : `${ratio.toFixed(2)}×`, r.goal, r.pass ? 'yes' : 'NO', r.note ?? ''])
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
for (const [i, row] of rows.entries()) {
  console.log(row.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd())
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
writeFileSync(join(root, 'bench', 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n')
process.exitCode = results.every((r) => r.pass) ? 0 : 1
