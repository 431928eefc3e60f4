/**
 * Source text of the virtual modules: the hooks, the render Worker's entry, the browser entry
 * and the manifest module. How a user file is imported (`/src/routes/index.tsx`, an absolute
 * path, …) is the caller's choice, passed in as `importPath`.
 * @module
 */
import type { AppModel } from './app.ts'
import type { Manifest } from './manifest-types.ts'
import type { RouteEntry } from './routes.ts'
import { workerManifest } from './manifest.ts'
import { MANIFEST_MODULE, REACT_CLIENT_RUNTIME, REACT_RUNTIME, WORKER_RUNTIME } from './specifiers.ts'
import { GENERATED_HEADER } from './typegen.ts'

/**
 * How generated entries import user files.
 *
 * @example
 * ```ts
 * const options: ImportOptions = { importPath: (file) => `/${file}` }
 * ```
 */
export interface ImportOptions {
  /** The specifier for a file given relative to the app root (`src/routes/index.tsx`). */
  readonly importPath: (file: string) => string
}

/**
 * What the render Worker takes from the browser build, embedded by {@link generateManifestModule}.
 *
 * @example
 * ```ts
 * generateManifestModule(manifest, { clientEntry: '/assets/client-3f9a.js', css: ['/assets/app-1b2c.css'] })
 * ```
 */
export interface ClientAssetUrls {
  /** URL of the browser entry script, as the page's bootstrap module. */
  readonly clientEntry: string
  /** Stylesheet URLs linked from every page. */
  readonly css?: readonly string[]
}

/**
 * `virtual:mizan/hooks`: one `createDataHook(id)` per data function and one `createActionHook(id)`
 * per action, sorted by hook name.
 *
 * @example
 * ```ts
 * generateHooksModule(app)
 * // export const usePost = /*#__PURE__*\/ createDataHook("posts/[slug]#post")
 * ```
 */
export function generateHooksModule(app: AppModel): string {
  const actions = app.actions ?? []
  const hooks = [...app.functions.map((f) => ({ f, make: 'createDataHook' })), ...actions.map((f) => ({ f, make: 'createActionHook' }))]
    .sort((a, b) => (a.f.hook < b.f.hook ? -1 : a.f.hook > b.f.hook ? 1 : 0))
    .map(({ f, make }) => `export const ${f.hook} = /*#__PURE__*/ ${make}(${str(f.id)})`)
  const imports = actions.length > 0 ? 'createActionHook, createDataHook' : 'createDataHook'
  return lines([GENERATED_HEADER, `import { ${imports} } from ${str(REACT_RUNTIME)}`, ...hooks])
}

/**
 * `virtual:mizan/worker-entry`: imports the document, every route module (namespace imports,
 * so the Worker sees the data functions), the 404 page and session function, and the manifest
 * module (with the browser build's URLs), and exports the handler and the purge-state Durable
 * Object class (`MIZAN_PURGE`). Routes are listed in match order, like `manifest.routes`. It
 * depends on nothing of the browser build, so a build can bundle the Worker while the browser
 * build is still running (the built manifest module imports the browser build's part from a
 * file written afterwards: {@link generateClientBuildModule}).
 *
 * @example
 * ```ts
 * generateWorkerEntry(app, { importPath: (f) => `/${f}` })
 * ```
 */
export function generateWorkerEntry(app: AppModel, options: ImportOptions): string {
  const routes = app.routes.map((r, i) => `    { id: ${str(r.id)}, pattern: ${str(r.pattern)}, module: m${i} },`)
  return lines([
    GENERATED_HEADER,
    `import { createHandler } from ${str(WORKER_RUNTIME)}`,
    // Wrangler binds Durable Object classes by name from the main module's exports.
    `export { MizanPurgeState } from ${str(WORKER_RUNTIME)}`,
    `import Document from ${str(options.importPath(app.document))}`,
    ...app.routes.map((r, i) => `import * as m${i} from ${str(options.importPath(r.file))}`),
    app.notFound === null ? 'const NotFound = undefined' : `import NotFound from ${str(options.importPath(app.notFound))}`,
    app.session === null ? 'const session = undefined' : `import session from ${str(options.importPath(app.session))}`,
    `import manifest, { clientEntry, css } from ${str(MANIFEST_MODULE)}`,
    '',
    'export default createHandler({',
    '  manifest,',
    '  document: Document,',
    '  notFound: NotFound,',
    '  session,',
    '  routes: [',
    ...routes,
    '  ],',
    '  clientEntry,',
    '  css,',
    '})',
  ])
}

/**
 * `virtual:mizan/client-entry`: hydrates the page, loading each route module lazily.
 *
 * @example
 * ```ts
 * generateClientEntry(app, { importPath: (f) => `/${f}` })
 * ```
 */
export function generateClientEntry(app: Pick<AppModel, 'document' | 'notFound'> & { readonly routes: readonly RouteEntry[] }, options: ImportOptions): string {
  const routes = app.routes.map((r) => `    { id: ${str(r.id)}, pattern: ${str(r.pattern)}, load: () => import(${str(options.importPath(r.file))}) },`)
  return lines([
    GENERATED_HEADER,
    `import { hydrate } from ${str(REACT_CLIENT_RUNTIME)}`,
    `import Document from ${str(options.importPath(app.document))}`,
    '',
    'hydrate({',
    '  document: Document,',
    '  routes: [',
    ...routes,
    '  ],',
    `  notFound: ${app.notFound === null ? 'undefined' : `() => import(${str(options.importPath(app.notFound))})`},`,
    '})',
  ])
}

/**
 * `virtual:mizan/manifest`: the part of the manifest the Worker reads ({@link workerManifest})
 * as the default export, and the browser build's entry and stylesheet URLs as `clientEntry` and
 * `css` — given, or (`{ from }`, in a build) imported with the build id from the module
 * {@link generateClientBuildModule} writes. The manifest goes through `JSON.parse` because in an
 * object literal a `"__proto__"` key would set the prototype.
 *
 * @example
 * ```ts
 * generateManifestModule(buildManifest(app), { clientEntry: '/assets/client-3f9a.js' })
 * // 'export default JSON.parse("{\\"version\\":1,…}")\nexport const clientEntry = "/assets/client-3f9a.js"…'
 * ```
 */
export function generateManifestModule(manifest: Manifest, assets: ClientAssetUrls | { readonly from: string }): string {
  if ('from' in assets) {
    // The build id and the URLs come from a module written once the browser build is done.
    const compact = JSON.stringify(workerManifest({ ...manifest, buildId: '' }))
    return lines([
      GENERATED_HEADER,
      `import { buildId, clientEntry, css } from ${str(assets.from)}`,
      `const manifest = JSON.parse(${str(compact)})`,
      'manifest.buildId = buildId',
      'export default manifest',
      'export { clientEntry, css }',
    ])
  }
  const compact = JSON.stringify(workerManifest(manifest))
  return lines([
    GENERATED_HEADER,
    `export default /*#__PURE__*/ JSON.parse(${str(compact)})`,
    `export const clientEntry = ${str(assets.clientEntry)}`,
    `export const css = [${(assets.css ?? []).map(str).join(', ')}]`,
  ])
}

/**
 * The module a built Worker's manifest module imports (`generateManifestModule(…, { from })`):
 * the build id and the browser build's entry and stylesheet URLs. A build writes it next to the
 * Worker once the browser build is done, so the Worker is bundled without waiting for it.
 *
 * @example
 * ```ts
 * generateClientBuildModule('04401af7fbb29f07', { clientEntry: '/assets/client-3f9a.js', css: [] })
 * // 'export const buildId = "04401af7fbb29f07"\nexport const clientEntry = …'
 * ```
 */
export function generateClientBuildModule(buildId: string, assets: ClientAssetUrls): string {
  return lines([
    GENERATED_HEADER,
    `export const buildId = ${str(buildId)}`,
    `export const clientEntry = ${str(assets.clientEntry)}`,
    `export const css = [${(assets.css ?? []).map(str).join(', ')}]`,
  ])
}

function str(value: string): string {
  return JSON.stringify(value)
}

function lines(parts: readonly string[]): string {
  return `${parts.join('\n')}\n`
}
