/**
 * Route entries: how a file under `src/routes` becomes a route id, path and pattern, and the
 * deterministic order in which routes are matched.
 * @module
 */
import type { BuildProblem } from './errors.ts'
import type { ManifestRoute } from './manifest-types.ts'
import type { PatternSegment } from './match.ts'

/**
 * One page route, as scanned from a file.
 *
 * @example
 * ```ts
 * const entry: RouteEntry = { id: 'posts/[slug]', path: '/posts/[slug]', pattern: '/posts/:slug',
 *   file: 'src/routes/posts/[slug].tsx', params: ['slug'], catchAll: null,
 *   segments: [{ kind: 'static', value: 'posts' }, { kind: 'param', value: 'slug' }] }
 * ```
 */
export interface RouteEntry extends Omit<ManifestRoute, 'search' | 'functions'> {
  readonly segments: readonly PatternSegment[]
}

/**
 * The scanned app: routes in match order plus the special files.
 *
 * @example
 * ```ts
 * const table = await scanRoutes('/path/to/app')
 * table.routes.map((r) => r.pattern) // ['/', '/posts/:slug', '/docs/*rest']
 * ```
 */
export interface RouteTable {
  /** Absolute app root. */
  readonly root: string
  /** Routes folder relative to the root (`src/routes`). */
  readonly routesDir: string
  readonly routes: readonly RouteEntry[]
  /** The document component file (`src/root.tsx`). */
  readonly document: string
  /** The 404 page file (`src/routes/_404.tsx`), if any. */
  readonly notFound: string | null
  /** The session function file (`src/session.server.ts`), if any. */
  readonly session: string | null
}

const PARAM_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const RESERVED_PARAMS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Builds the entry for one route file. `id` is the file path under the routes folder without
 * its extension; `file` is the path relative to the app root.
 *
 * @example
 * ```ts
 * routeFromFile('docs/[...rest]', 'src/routes/docs/[...rest].tsx') // { entry: { pattern: '/docs/*rest', … } }
 * ```
 */
export function routeFromFile(id: string, file: string): { entry: RouteEntry } | { problem: BuildProblem } {
  const parts = id.split('/')
  if (parts[parts.length - 1] === 'index') parts.pop()
  const segments: PatternSegment[] = []
  const fail = (message: string, fix: string) => ({ problem: { code: 'MIZAN_INVALID_ROUTE_SEGMENT' as const, file, message, fix } })
  for (const [i, part] of parts.entries()) {
    const param = /^\[(\.\.\.)?(.*)\]$/.exec(part)
    if (param !== null) {
      const name = param[2] ?? ''
      if (!PARAM_NAME.test(name) || RESERVED_PARAMS.has(name)) {
        return fail(`"${part}" is not a valid route param: the name must be a JavaScript identifier other than __proto__, constructor or prototype.`, `Rename it, e.g. "[slug]" or "[...rest]".`)
      }
      if (param[1] !== undefined && i !== parts.length - 1) {
        return fail(`the catch-all "${part}" must be the last segment of the route.`, `Move the file to "${parts.slice(0, i + 1).join('/')}.tsx", or use "[${name}]" for a single segment.`)
      }
      segments.push({ kind: param[1] === undefined ? 'param' : 'catchAll', value: name })
    } else if (/[[\]]/.test(part) || part.startsWith(':') || part.startsWith('*') || part === '') {
      return fail(`"${part}" is not a valid route segment: brackets must enclose a whole segment and a static segment cannot start with ":" or "*".`, `Rename it to plain text, "[param]" or "[...rest]".`)
    } else {
      segments.push({ kind: 'static', value: part })
    }
  }
  const names = segments.filter((s) => s.kind !== 'static').map((s) => s.value)
  const repeated = names.find((name, i) => names.indexOf(name) !== i)
  if (repeated !== undefined) {
    return {
      problem: {
        code: 'MIZAN_DUPLICATE_PARAM', file,
        message: `the param "${repeated}" appears twice in the route path, so one value would overwrite the other.`,
        fix: `Rename one of the "[${repeated}]" segments (e.g. "[${repeated}2]").`,
      },
    }
  }
  const last = segments[segments.length - 1]
  const text = (s: PatternSegment) => (s.kind === 'static' ? s.value : s.kind === 'param' ? `:${s.value}` : `*${s.value}`)
  return {
    entry: {
      id, file, segments,
      path: `/${parts.join('/')}`,
      pattern: `/${segments.map(text).join('/')}`,
      params: names,
      catchAll: last?.kind === 'catchAll' ? last.value : null,
    },
  }
}

const RANK = { static: 0, param: 1, catchAll: 2 } as const

/**
 * Match order: segment by segment, static before param before catch-all; then fewer segments
 * first; ties broken by the path string (code-unit order, locale-independent).
 *
 * @example
 * ```ts
 * entries.sort(compareRoutes) // '/posts/new' before '/posts/:slug' before '/posts/*rest'
 * ```
 */
export function compareRoutes(a: RouteEntry, b: RouteEntry): number {
  const n = Math.min(a.segments.length, b.segments.length)
  for (let i = 0; i < n; i++) {
    const diff = RANK[(a.segments[i] as PatternSegment).kind] - RANK[(b.segments[i] as PatternSegment).kind]
    if (diff !== 0) return diff
  }
  if (a.segments.length !== b.segments.length) return a.segments.length - b.segments.length
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

/** Two routes with the same shape match exactly the same pathnames. */
export function routeShape(entry: RouteEntry): string {
  return entry.segments.map((s) => (s.kind === 'static' ? `s:${s.value}` : s.kind === 'param' ? ':' : '*')).join('/')
}
