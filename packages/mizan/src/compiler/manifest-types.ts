/**
 * The shape of `manifest.json`, read by `@mizan/core`'s purger, and of its subset compiled into
 * the render Worker as `virtual:mizan/manifest` ({@link WorkerManifest}). Types only, no imports, so every runtime can use them.
 * @module
 */

/**
 * The build manifest.
 *
 * @example
 * ```ts
 * const manifest: Manifest = JSON.parse(await readFile('dist/manifest.json', 'utf8'))
 * const fn = manifest.functions['posts/[slug]#post'] // { route, export, hook, version, policy }
 * ```
 */
export interface Manifest {
  /** Manifest format version. */
  readonly version: 1
  /** 16 hex chars identifying this build's inputs (same inputs → same id). */
  readonly buildId: string
  /** Routes in match order (most specific first). */
  readonly routes: readonly ManifestRoute[]
  /** Data functions by id (`<route id>#<export>`), keys sorted. */
  readonly functions: Readonly<Record<string, ManifestFunction>>
  /** Actions (mutations) by id (`<route id>#<export>`), keys sorted. */
  readonly actions: Readonly<Record<string, ManifestAction>>
  readonly purge: ManifestPurge
}

/**
 * One page route.
 *
 * @example
 * ```ts
 * const r: ManifestRoute = { id: 'posts/[slug]', path: '/posts/[slug]', pattern: '/posts/:slug',
 *   file: 'src/routes/posts/[slug].tsx', params: ['slug'], catchAll: null, search: ['page'], functions: ['posts/[slug]#post'] }
 * ```
 */
export interface ManifestRoute {
  /** File path under the routes folder without extension. */
  readonly id: string
  /** The path as written in `PageProps<'/posts/[slug]'>`. */
  readonly path: string
  /** Matcher pattern: static segments, `:param`, `*catchAll` (last, one or more segments). */
  readonly pattern: string
  /** Route module path relative to the app root. */
  readonly file: string
  /** Every param name in order (the catch-all included). */
  readonly params: readonly string[]
  /** The catch-all param's name, or null. */
  readonly catchAll: string | null
  /** Declared search params (sorted), or null when the route declares none: then none reach the page. */
  readonly search: readonly string[] | null
  /** Ids of the data functions the route module exports, in source order. */
  readonly functions: readonly string[]
}

/**
 * One data function.
 *
 * @example
 * ```ts
 * const f: ManifestFunction = { route: 'index', export: 'posts', hook: 'usePosts', version: '3f9a1c0b2d4e', policy: false }
 * ```
 */
export interface ManifestFunction {
  readonly route: string
  readonly export: string
  readonly hook: string
  /** 12 hex chars; changes when the function's code changes. */
  readonly version: string
  /** The static policy with defaults filled in, or `false` (never cached). */
  readonly policy: ManifestPolicy | false
}

/**
 * One action: `POST /_mizan/action/<id>` runs it, then purges its tags (filled from the input).
 *
 * @example
 * ```ts
 * const a: ManifestAction = { route: 'posts/[slug]', export: 'addComment', hook: 'useAddComment', version: '3f9a1c0b2d4e', tags: ['post:{slug}', 'posts'] }
 * ```
 */
export interface ManifestAction {
  readonly route: string
  readonly export: string
  readonly hook: string
  /** 12 hex chars; changes when the action's code changes. */
  readonly version: string
  /** Tag templates purged after a success, sorted; `{field}` is filled from the input. */
  readonly tags: readonly string[]
}

/**
 * A cache policy, durations in seconds.
 *
 * @example
 * ```ts
 * const p: ManifestPolicy = { ttl: 300, swr: 3600, staleIfError: 0, tags: ['post:{slug}', 'posts'], scope: 'public' }
 * ```
 */
export interface ManifestPolicy {
  readonly ttl: number
  readonly swr: number
  readonly staleIfError: number
  /** Tag templates, sorted; `{param}` is filled from the function's params at run time. */
  readonly tags: readonly string[]
  readonly scope: 'public' | 'user'
}

/**
 * The purge manifest: for each tag template, the functions whose entries carry it, the routes
 * whose pages use those functions (and so carry it on their cached shells), and the actions
 * that purge it.
 *
 * @example
 * ```ts
 * manifest.purge.tags['post:{slug}'] // { functions: ['posts/[slug]#post'], routes: ['posts/[slug]'], actions: ['posts/[slug]#addComment'] }
 * ```
 */
export interface ManifestPurge {
  readonly tags: Readonly<Record<string, ManifestPurgeEntry>>
}

/** Functions and routes carrying one tag template and the actions purging it, all sorted. */
export interface ManifestPurgeEntry {
  readonly functions: readonly string[]
  readonly routes: readonly string[]
  readonly actions: readonly string[]
}

/**
 * The part of the manifest the render Worker reads, the default export of
 * `virtual:mizan/manifest`: every field it leaves out (the purge manifest, paths, params,
 * hook names) would only add weight to the Worker bundle. A full {@link Manifest} is one too.
 *
 * @example
 * ```ts
 * import manifest from 'virtual:mizan/manifest'
 * manifest.functions['posts/[slug]#post'] // { route, export, version, policy }
 * ```
 */
export interface WorkerManifest {
  readonly version: 1
  readonly buildId: string
  readonly routes: readonly Pick<ManifestRoute, 'id' | 'file' | 'search' | 'functions'>[]
  readonly functions: Readonly<Record<string, Pick<ManifestFunction, 'route' | 'export' | 'version' | 'policy'>>>
  readonly actions: Readonly<Record<string, Pick<ManifestAction, 'route' | 'export' | 'tags'>>>
}
