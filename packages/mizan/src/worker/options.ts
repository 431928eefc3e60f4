/**
 * `createHandler()` options, checked and compiled once when the Worker starts: routes into a
 * matcher, data functions into an id map with their `Cache-Control` precomputed.
 * @module
 */
import { MizanError } from '@mizan/core'
import type { CacheBackend, CacheContext, CachePolicy, ReplayStore } from '@mizan/core'
import type { ComponentType } from 'react'
import { ACTION_FN, CLIENT_FN } from '../brand.ts'
import type { ManifestPolicy, WorkerManifest } from '../compiler/manifest-types.ts'
import { createMatcher, type RouteMatcher } from '../compiler/match.ts'
import type { DocumentComponent } from '../react/page.ts'
import type { ActionFn, ClientFn, DataContext } from '../types.ts'
import { CacheFreshness, policyCacheControl } from './cache-control.ts'
import type { SessionFunction } from './context.ts'
import type { TagPurger } from './purge.ts'
import type { FromEnv } from './runtime.ts'
import { stylesheetLinks, utf8 } from './html.ts'

/**
 * A route as the generated Worker entry lists it: the module namespace holds the page
 * component (default export), its data functions and `search`.
 *
 * @example
 * ```ts
 * import * as m0 from './routes/index.tsx'
 * const route: HandlerRoute = { id: 'index', pattern: '/', module: m0 }
 * ```
 */
export interface HandlerRoute {
  readonly id: string
  readonly pattern: string
  readonly module: Readonly<Record<string, unknown>>
}

/**
 * What the generated Worker entry passes to `createHandler()`.
 *
 * @example
 * ```ts
 * createHandler({ manifest, document: Document, routes: [{ id: 'index', pattern: '/', module: m0 }], clientEntry: '/assets/client.js' })
 * ```
 */
export interface HandlerOptions {
  /** `virtual:mizan/manifest` (a full `Manifest` works too). */
  readonly manifest: WorkerManifest
  readonly document: DocumentComponent
  /** The 404 page component (`src/routes/_404.tsx`); a plain one is used without it. */
  readonly notFound?: ComponentType | undefined
  /** What `ctx.session()` returns (`src/session.server.ts`). */
  readonly session?: SessionFunction | undefined
  /** Every route, in the manifest's order. */
  readonly routes: readonly HandlerRoute[]
  /** URL of the browser entry, loaded as the page's bootstrap module. */
  readonly clientEntry: string
  /** Stylesheets linked from every page. */
  readonly css?: readonly string[]
  /** Error details in responses (also enabled by the `MIZAN_DEV` var). */
  readonly dev?: boolean
  /** Called with every unexpected error (default: `console.error`, which Workers logs). */
  readonly onError?: (error: unknown, request: Request) => void
  /**
   * The cache (default: the edge backend on the `MIZAN_PURGE` Durable Object). A backend, or
   * a function making one from the Worker's env (called once per env). Tests pass a `MemoryCache`.
   */
  readonly backend?: FromEnv<CacheBackend>
  /** Where accepted purge ids are remembered against replays (default: the Durable Object). */
  readonly replay?: FromEnv<ReplayStore>
  /**
   * Purges a CDN by tag after each accepted purge (default: Cloudflare's API when the Worker
   * has `CF_API_TOKEN` and `CF_ZONE_ID`; `null` for none).
   */
  readonly cdn?: FromEnv<TagPurger | null>
}

/** A data function ready to call. */
export interface CompiledFunction {
  readonly id: string
  readonly call: (params: object, ctx: DataContext) => unknown
  readonly policy: ManifestPolicy | false
  readonly cacheControl: string
  /** Where its entries live: `{ fn: <id>, version: <function version> }`. */
  readonly context: CacheContext
  /** Lifetimes for `cacheFetch`, or `null` when its results are never shared (`false`, `scope: 'user'`). */
  readonly cachePolicy: CachePolicy | null
  readonly tagTemplates: readonly string[]
}

/** An action ready to call. */
export interface CompiledAction {
  readonly id: string
  readonly call: (input: object, ctx: DataContext) => unknown
  /** Tag templates purged after a success, filled from the input. */
  readonly tagTemplates: readonly string[]
}

/** A page route ready to render. */
export interface CompiledRoute {
  readonly id: string
  readonly pattern: string
  readonly page: ComponentType<any>
  readonly search: readonly string[] | undefined
  /**
   * The lifetimes of the page's cache entry (the shortest of its module's cacheable
   * functions), or `null` when the page is never cached: it has no cacheable data function.
   */
  readonly cachePolicy: CachePolicy | null
  /**
   * Whether its module has uncacheable functions (`false`, `scope: 'user'`): the page is
   * cached as a prerendered shell with those as holes, resumed per request (docs/psr.md).
   */
  readonly holes: boolean
  /** `{ fn: 'page:' + id, version: buildId }`. */
  readonly context: CacheContext
}

/** The compiled options. */
export interface Compiled {
  readonly functions: ReadonlyMap<string, CompiledFunction>
  readonly actions: ReadonlyMap<string, CompiledAction>
  readonly match: RouteMatcher<CompiledRoute>
  readonly document: DocumentComponent
  readonly notFound: ComponentType | undefined
  readonly session: SessionFunction | undefined
  readonly bootstrapModules: string[]
  /** Bytes written before `</head>` (stylesheet links). */
  readonly head: Uint8Array
  readonly dev: boolean
  readonly onError: (error: unknown, request: Request) => void
  readonly backend: FromEnv<CacheBackend> | undefined
  readonly replay: FromEnv<ReplayStore> | undefined
  readonly cdn: FromEnv<TagPurger | null> | undefined
}

/**
 * Checks the options against each other (routes ↔ manifest ↔ modules) and compiles them.
 * Every problem is reported at once in one `MizanError` (`MIZAN_CONFIG`).
 *
 * @example
 * ```ts
 * const compiled = compileOptions(options)
 * compiled.functions.get('posts/[slug]#post')?.cacheControl
 * ```
 */
export function compileOptions(options: HandlerOptions): Compiled {
  const problems: string[] = []
  const { manifest } = options
  if (manifest?.version !== 1) throw config([`the manifest has version ${String(manifest?.version)}, this runtime reads version 1: rebuild the app with this version of mizan.`])
  if (typeof options.document !== 'function') problems.push('`document` must be the default export of src/root.tsx (a component).')
  if (typeof options.clientEntry !== 'string' || options.clientEntry === '') problems.push('`clientEntry` must be the URL of the browser entry script.')

  const modules = new Map(options.routes.map((r) => [r.id, r]))
  const appHasHoles = Object.values(manifest.functions).some((fn) => fn.policy === false || fn.policy.scope === 'user')
  const routes: CompiledRoute[] = []
  for (const [i, entry] of manifest.routes.entries()) {
    const route = modules.get(entry.id)
    if (route === undefined || options.routes[i]?.id !== entry.id) {
      problems.push(`route "${entry.id}" is in the manifest but not at position ${i} of \`routes\`: the Worker entry and the manifest come from different builds.`)
      continue
    }
    const page = route.module.default
    if (typeof page !== 'function' && !(typeof page === 'object' && page !== null)) {
      problems.push(`${entry.file} has no default export: export the page component (export default function Page() { … }).`)
      continue
    }
    // Uncacheable functions become holes of the page's shell; its lifetimes come from the rest.
    // Hooks are app-wide (a layout in root.tsx may call another route's `viewer`), so any
    // uncacheable function in the app may leave holes: the prerender finds out (none → a plain page).
    const freshness = new CacheFreshness()
    let holes = appHasHoles
    for (const id of entry.functions) {
      const policy = manifest.functions[id]?.policy ?? false
      if (policy === false || policy.scope === 'user') holes = true
      else freshness.add(policy)
    }
    routes.push({
      id: entry.id,
      pattern: route.pattern,
      page: page as ComponentType,
      search: entry.search ?? undefined,
      cachePolicy: freshness.policy(),
      holes,
      context: { fn: `page:${entry.id}`, version: manifest.buildId },
    })
  }
  for (const [name, value] of [['backend', options.backend], ['replay', options.replay], ['cdn', options.cdn]] as const) {
    if (value !== undefined && value !== null && typeof value !== 'function' && typeof value !== 'object') problems.push(`\`${name}\` must be an object or a function of the Worker's env returning one.`)
  }
  if (options.routes.length !== manifest.routes.length) problems.push(`\`routes\` has ${options.routes.length} entries, the manifest ${manifest.routes.length}: rebuild the app.`)

  const functions = new Map<string, CompiledFunction>()
  for (const [id, fn] of Object.entries(manifest.functions)) {
    const value = modules.get(fn.route)?.module[fn.export] as ClientFn | undefined
    if (typeof value !== 'object' || value === null || value[CLIENT_FN] !== true || typeof value.fn !== 'function') {
      problems.push(`data function "${id}": the module of route "${fn.route}" has no client() export named "${fn.export}": rebuild the app.`)
      continue
    }
    functions.set(id, {
      id,
      call: value.fn,
      policy: fn.policy,
      cacheControl: policyCacheControl(fn.policy),
      context: { fn: id, version: fn.version },
      cachePolicy: fn.policy === false || fn.policy.scope === 'user' ? null : { ttl: fn.policy.ttl, swr: fn.policy.swr, staleIfError: fn.policy.staleIfError },
      tagTemplates: fn.policy === false ? [] : fn.policy.tags,
    })
  }
  const actions = compileActions(manifest, modules, problems)
  if (problems.length > 0) throw config(problems)

  return {
    functions,
    actions,
    match: createMatcher(routes),
    document: options.document,
    notFound: options.notFound,
    session: options.session,
    bootstrapModules: [options.clientEntry],
    head: utf8(stylesheetLinks(options.css ?? [])),
    dev: options.dev === true,
    onError: options.onError ?? logError,
    backend: options.backend,
    replay: options.replay,
    cdn: options.cdn,
  }
}

/** The manifest's actions, each checked against its route module's export. */
function compileActions(manifest: WorkerManifest, modules: ReadonlyMap<string, HandlerRoute>, problems: string[]): Map<string, CompiledAction> {
  const actions = new Map<string, CompiledAction>()
  // `?? {}`: a manifest from a build before actions existed has none.
  for (const [id, a] of Object.entries(manifest.actions ?? {})) {
    const value = modules.get(a.route)?.module[a.export] as ActionFn | undefined
    if (typeof value !== 'object' || value === null || value[ACTION_FN] !== true || typeof value.fn !== 'function') {
      problems.push(`action "${id}": the module of route "${a.route}" has no action() export named "${a.export}": rebuild the app.`)
      continue
    }
    actions.set(id, { id, call: value.fn, tagTemplates: a.tags })
  }
  return actions
}

function config(problems: readonly string[]): MizanError {
  return new MizanError('MIZAN_CONFIG', `createHandler(): ${problems.length === 1 ? problems[0] : '\n- ' + problems.join('\n- ')}`)
}

function logError(error: unknown, request: Request): void {
  console.error(`[mizan] ${request.method} ${request.url} failed:`, error)
}
