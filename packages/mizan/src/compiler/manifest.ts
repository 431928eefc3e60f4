/**
 * The build manifest: routes, data functions with their policies and versions, actions with the
 * tags they purge, and the purge manifest (tag template → functions, routes and actions). Deterministic: same app, same bytes.
 * @module
 */
import { createHash } from 'node:crypto'
import type { AppModel } from './app.ts'
import type { Manifest, ManifestAction, ManifestFunction, ManifestPolicy, ManifestPurgeEntry, ManifestRoute, WorkerManifest } from './manifest-types.ts'

/**
 * Options of {@link buildManifest}.
 *
 * @example
 * ```ts
 * buildManifest(app, { inputs: [clientManifestJson] })
 * ```
 */
export interface BuildManifestOptions {
  /** Extra build inputs folded into the build id (e.g. the client bundle's manifest). */
  readonly inputs?: readonly string[]
}

/**
 * Builds the manifest of an app model. The result is frozen (and the same object for the same
 * model and inputs).
 *
 * @example
 * ```ts
 * const manifest = buildManifest(await loadApp(root))
 * manifest.purge.tags['posts'] // { functions: ['index#posts', …], routes: ['index', …] }
 * ```
 */
export function buildManifest(app: AppModel, options: BuildManifestOptions = {}): Manifest {
  // A build asks twice with the same inputs (the Worker's manifest module, then manifest.json).
  const inputs = options.inputs ?? []
  const last = lastBuilt.get(app)
  if (last !== undefined && last.inputs.length === inputs.length && last.inputs.every((text, i) => text === inputs[i])) return last.manifest
  const manifest = deepFreeze(freshManifest(app, inputs))
  lastBuilt.set(app, { inputs: [...inputs], manifest })
  return manifest
}

/** Frozen all the way down: a manifest is handed to every caller that asks with the same inputs. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

/** The last manifest built for each app model, with the inputs it was built from. */
const lastBuilt = new WeakMap<AppModel, { readonly inputs: readonly string[]; readonly manifest: Manifest }>()

function freshManifest(app: AppModel, inputs: readonly string[]): Manifest {
  const routes: ManifestRoute[] = app.routes.map((r) => ({
    id: r.id, path: r.path, pattern: r.pattern, file: r.file,
    params: [...r.params], catchAll: r.catchAll, search: r.search === null ? null : [...r.search],
    functions: r.functions.map((f) => f.id),
  }))
  const functions = sortedRecord(app.functions.map((f): [string, ManifestFunction] => [f.id, {
    route: f.route, export: f.exportName, hook: f.hook, version: f.version,
    policy: f.policy === false ? false : { ttl: f.policy.ttl, swr: f.policy.swr, staleIfError: f.policy.staleIfError, tags: [...f.policy.tags], scope: f.policy.scope },
  }]))
  const actions = sortedRecord(app.actions.map((a): [string, ManifestAction] => [a.id, {
    route: a.route, export: a.exportName, hook: a.hook, version: a.version, tags: [...a.tags],
  }]))
  const byTag = new Map<string, { functions: Set<string>; routes: Set<string>; actions: Set<string> }>()
  const entryOf = (tag: string) => {
    let entry = byTag.get(tag)
    if (entry === undefined) byTag.set(tag, (entry = { functions: new Set(), routes: new Set(), actions: new Set() }))
    return entry
  }
  for (const f of app.functions) {
    for (const tag of f.policy === false ? [] : f.policy.tags) {
      const entry = entryOf(tag)
      entry.functions.add(f.id)
      entry.routes.add(f.route)
    }
  }
  for (const a of app.actions) for (const tag of a.tags) entryOf(tag).actions.add(a.id)
  const tags = sortedRecord([...byTag].map(([tag, e]): [string, ManifestPurgeEntry] => [tag, {
    functions: [...e.functions].sort(), routes: [...e.routes].sort(), actions: [...e.actions].sort(),
  }]))
  const body = { routes, functions, actions, purge: { tags } }
  const buildId = createHash('sha256')
    .update(JSON.stringify({ body, sources: app.inputs, inputs }))
    .digest('hex')
    .slice(0, 16)
  return { version: 1, buildId, ...body }
}

/**
 * The manifest as JSON text: fixed key order, 2-space indent, trailing newline, no timestamps.
 * Any manifest object gives the same text as its freshly built twin, whatever its key order.
 *
 * @example
 * ```ts
 * await writeFile('dist/manifest.json', stringifyManifest(manifest))
 * ```
 */
export function stringifyManifest(manifest: Manifest): string {
  return `${JSON.stringify(orderedManifest(manifest), null, 2)}\n`
}

/**
 * The manifest as a fresh object whose keys are in the fixed order of {@link stringifyManifest},
 * for any other serialisation of it.
 *
 * @example
 * ```ts
 * JSON.stringify(orderedManifest(manifest)) // the compact twin of stringifyManifest(manifest)
 * ```
 */
export function orderedManifest(manifest: Manifest): Manifest {
  return {
    version: manifest.version,
    buildId: manifest.buildId,
    routes: manifest.routes.map((r) => ({
      id: r.id, path: r.path, pattern: r.pattern, file: r.file, params: r.params, catchAll: r.catchAll, search: r.search, functions: r.functions,
    })),
    functions: sortedRecord(Object.entries(manifest.functions).map(([id, f]) => [id, {
      route: f.route, export: f.export, hook: f.hook, version: f.version,
      policy: orderedPolicy(f.policy),
    }])),
    actions: sortedRecord(Object.entries(manifest.actions ?? {}).map(([id, a]) => [id, { route: a.route, export: a.export, hook: a.hook, version: a.version, tags: a.tags }])),
    purge: { tags: sortedRecord(Object.entries(manifest.purge.tags).map(([tag, e]) => [tag, { functions: e.functions, routes: e.routes, actions: e.actions ?? [] }])) },
  }
}

/**
 * The fields of the manifest the render Worker reads, in the fixed key order of
 * {@link orderedManifest}: what `virtual:mizan/manifest` embeds.
 *
 * @example
 * ```ts
 * JSON.stringify(workerManifest(manifest)) // no purge manifest, paths or hook names
 * ```
 */
export function workerManifest(manifest: Manifest): WorkerManifest {
  return {
    version: manifest.version,
    buildId: manifest.buildId,
    routes: manifest.routes.map((r) => ({ id: r.id, file: r.file, search: r.search, functions: r.functions })),
    functions: sortedRecord(Object.entries(manifest.functions).map(([id, f]) => [id, {
      route: f.route, export: f.export, version: f.version, policy: orderedPolicy(f.policy),
    }])),
    actions: sortedRecord(Object.entries(manifest.actions ?? {}).map(([id, a]) => [id, { route: a.route, export: a.export, tags: a.tags }])),
  }
}

function orderedPolicy(policy: ManifestPolicy | false): ManifestPolicy | false {
  return policy === false ? false : { ttl: policy.ttl, swr: policy.swr, staleIfError: policy.staleIfError, tags: policy.tags, scope: policy.scope }
}

/** An object with keys in code-unit order; `Object.fromEntries` keeps `__proto__` an own key. */
function sortedRecord<T>(entries: readonly [string, T][]): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
