/**
 * The short summary a build prints: routes, and each route's data functions with their policy and
 * actions with the tags they purge.
 * @module
 */
import type { Manifest } from './manifest-types.ts'

/**
 * A plain-text table (no colours; the caller may add them) of routes and data functions.
 *
 * @example
 * ```ts
 * formatSummary(manifest)
 * // mizan: 2 routes, 3 data functions
 * //   route           function  cache     ttl  swr  tags
 * //   /               posts     public    1m   -    posts
 * //   /posts/[slug]   post      public    5m   1h   post:{slug}, posts
 * //                   viewer    no-store
 * //                   addComment action              purges post:{slug}, posts
 * ```
 */
export function formatSummary(manifest: Manifest): string {
  const rows: string[][] = [['route', 'function', 'cache', 'ttl', 'swr', 'tags']]
  for (const route of manifest.routes) {
    if (route.functions.length === 0) rows.push([route.path, '-', '', '', '', ''])
    route.functions.forEach((id, i) => {
      const fn = manifest.functions[id]
      if (fn === undefined) return
      const p = fn.policy
      rows.push([
        i === 0 ? route.path : '',
        fn.export,
        p === false ? 'no-store' : p.scope,
        p === false ? '' : duration(p.ttl),
        p === false ? '' : p.swr === 0 ? '-' : duration(p.swr),
        p === false ? '' : p.tags.join(', '),
      ])
    })
    for (const a of Object.values(manifest.actions ?? {})) {
      if (a.route === route.id) rows.push(['', a.export, 'action', '', '', a.tags.length === 0 ? '' : `purges ${a.tags.join(', ')}`])
    }
  }
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)))
  const body = rows.map((r) => `  ${r.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ')}`.trimEnd())
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const actions = Object.keys(manifest.actions ?? {}).length
  return [`mizan: ${count(manifest.routes.length, 'route')}, ${count(Object.keys(manifest.functions).length, 'data function')}${actions === 0 ? '' : `, ${count(actions, 'action')}`}`, ...body].join('\n')
}

/** Seconds in the largest whole unit: 300 → '5m', 5400 → '90m', 45 → '45s'. */
function duration(seconds: number): string {
  for (const [unit, size] of [['w', 604_800], ['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}
