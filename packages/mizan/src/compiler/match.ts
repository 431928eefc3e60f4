/**
 * The route matcher shared by the build, the render Worker and the browser router. It imports
 * nothing, so `mizan/worker` and `mizan/react` can use it as is.
 *
 * Patterns: `/` for the root, otherwise `/`-separated segments that are static text, `:name`
 * (one segment) or `*name` (one or more segments, last only). Routes are tried in the order
 * given, which for a scanned route table is most-specific first.
 * @module
 */

/** One parsed pattern segment. */
export interface PatternSegment {
  readonly kind: 'static' | 'param' | 'catchAll'
  /** The static text, or the param name. */
  readonly value: string
}

/**
 * A successful match: the route and its params (decoded; a catch-all param is an array).
 *
 * @example
 * ```ts
 * const m: RouteMatch<{ pattern: string }> = { route: { pattern: '/posts/:slug' }, params: { slug: 'hello' } }
 * ```
 */
export interface RouteMatch<R> {
  readonly route: R
  readonly params: Record<string, string | string[]>
}

/** A compiled matcher: pathname (no query, no hash) → match or `null`. */
export type RouteMatcher<R> = (pathname: string) => RouteMatch<R> | null

/**
 * Splits a pattern into its segments.
 *
 * @example
 * ```ts
 * parsePattern('/docs/*rest') // [{ kind: 'static', value: 'docs' }, { kind: 'catchAll', value: 'rest' }]
 * ```
 */
export function parsePattern(pattern: string): PatternSegment[] {
  if (pattern === '/') return []
  return pattern.slice(1).split('/').map((part): PatternSegment => {
    if (part.startsWith(':')) return { kind: 'param', value: part.slice(1) }
    if (part.startsWith('*')) return { kind: 'catchAll', value: part.slice(1) }
    return { kind: 'static', value: part }
  })
}

/**
 * Compiles routes once into a matcher. Fully static routes are looked up in a map (they always
 * win over dynamic routes matching the same path); the others are tried in order.
 *
 * @example
 * ```ts
 * const match = createMatcher([{ id: 'posts/[slug]', pattern: '/posts/:slug' }])
 * match('/posts/hello')?.params // { slug: 'hello' }
 * ```
 */
export function createMatcher<R extends { readonly pattern: string }>(routes: readonly R[]): RouteMatcher<R> {
  const statics = new Map<string, R>()
  const dynamic: { route: R; segments: PatternSegment[] }[] = []
  for (const route of routes) {
    const segments = parsePattern(route.pattern)
    if (segments.every((s) => s.kind === 'static')) {
      const key = segments.map((s) => s.value).join('/')
      if (!statics.has(key)) statics.set(key, route)
    } else {
      dynamic.push({ route, segments })
    }
  }
  return (pathname) => {
    const parts = splitPathname(pathname)
    if (parts === null) return null
    if (!parts.some((p) => p.includes('/'))) {
      const route = statics.get(parts.join('/'))
      if (route !== undefined) return { route, params: {} }
    }
    for (const { route, segments } of dynamic) {
      const params = matchSegments(segments, parts)
      if (params !== null) return { route, params }
    }
    return null
  }
}

const compiled = new WeakMap<readonly object[], RouteMatcher<never>>()

/**
 * Matches a pathname against a route table (or a plain list of routes), compiling the routes on
 * first use and caching the matcher per list.
 *
 * @example
 * ```ts
 * matchRoute(table, '/docs/a/b')?.params // { rest: ['a', 'b'] }
 * matchRoute(table, '/nope') // null
 * ```
 */
export function matchRoute<R extends { readonly pattern: string }>(
  table: readonly R[] | { readonly routes: readonly R[] },
  pathname: string,
): RouteMatch<R> | null {
  const routes: readonly R[] = isRouteList(table) ? table : table.routes
  let matcher = compiled.get(routes) as RouteMatcher<R> | undefined
  if (matcher === undefined) {
    matcher = createMatcher(routes)
    compiled.set(routes, matcher as RouteMatcher<never>)
  }
  return matcher(pathname)
}

function isRouteList<R>(table: readonly R[] | { readonly routes: readonly R[] }): table is readonly R[] {
  return Array.isArray(table)
}

/** Decoded segments; one trailing slash is ignored; a malformed escape matches nothing. */
function splitPathname(pathname: string): string[] | null {
  if (!pathname.startsWith('/')) return null
  const raw = pathname.split('/')
  raw.shift()
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop()
  const out: string[] = []
  for (const part of raw) {
    if (!part.includes('%')) {
      out.push(part)
      continue
    }
    try {
      out.push(decodeURIComponent(part))
    } catch {
      return null
    }
  }
  return out
}

function matchSegments(segments: readonly PatternSegment[], parts: readonly string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {}
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PatternSegment
    if (segment.kind === 'catchAll') {
      const rest = parts.slice(i)
      if (rest.length === 0 || rest.includes('')) return null
      params[segment.value] = rest
      return params
    }
    const part = parts[i]
    if (part === undefined) return null
    if (segment.kind === 'static') {
      if (part !== segment.value) return null
    } else {
      if (part === '') return null
      params[segment.value] = part
    }
  }
  return parts.length === segments.length ? params : null
}
