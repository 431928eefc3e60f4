/**
 * The app model: the scanned routes with every route module read and analysed. One call finds
 * every problem of the app and reports them together.
 * @module
 */
import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { invariant } from '@mizan/core/policy'
import type { ActionInfo, FnInfo } from './analyze.ts'
import { codeFrame, MizanBuildError, type BuildProblem } from './errors.ts'
import { hookName } from './hook-name.ts'
import type { RouteEntry, RouteTable } from './routes.ts'
import { collectRoutes, type ScanOptions } from './scan.ts'

/**
 * A route with what its module declares.
 *
 * @example
 * ```ts
 * app.routes[0] // { id: 'index', pattern: '/', search: null, functions: [...] , ... }
 * ```
 */
export interface RouteModel extends RouteEntry {
  readonly search: readonly string[] | null
  readonly functions: readonly FnInfo[]
  readonly actions: readonly ActionInfo[]
}

/**
 * Everything the generators need to know about the app.
 *
 * @example
 * ```ts
 * const app = await loadApp(root)
 * app.functions.map((f) => f.id) // ['index#posts', 'posts/[slug]#post', …]
 * ```
 */
export interface AppModel {
  /** Absolute app root. */
  readonly root: string
  readonly routesDir: string
  /** Paths relative to the root, `/` separators. */
  readonly document: string
  readonly notFound: string | null
  readonly session: string | null
  /** In match order. */
  readonly routes: readonly RouteModel[]
  /** Every data function, in route order then source order. */
  readonly functions: readonly FnInfo[]
  /** Every action, in route order then source order. */
  readonly actions: readonly ActionInfo[]
  /** SHA-256 (hex) of each source file read, sorted by file: the inputs of the build id. */
  readonly inputs: readonly { readonly file: string; readonly sha256: string }[]
}

/**
 * Scans and reads the app at `root`. Throws one {@link MizanBuildError} with every problem
 * (routes, policies, misplaced `client()` calls, duplicate hooks, missing default exports).
 *
 * @example
 * ```ts
 * try { const app = await loadApp(process.cwd()) } catch (e) { if (e instanceof MizanBuildError) console.error(e.message) }
 * ```
 */
export async function loadApp(root: string, options: ScanOptions = {}): Promise<AppModel> {
  return await analyzeApp(await collectRoutes(root, options))
}

/**
 * The second half of {@link loadApp}: reads and analyses the modules of an already scanned app
 * (`collectRoutes`), so a caller that needs the route table early scans only once.
 *
 * @example
 * ```ts
 * const scanned = await collectRoutes(root)
 * const app = await analyzeApp(scanned) // throws MizanBuildError with the scan's problems too
 * ```
 */
export async function analyzeApp(scanned: { readonly table: RouteTable; readonly problems: readonly BuildProblem[] }): Promise<AppModel> {
  // Loaded on first use: a process that only reads models (a build's main thread) never loads the parser.
  const { cachedModuleFacts } = await import('./facts-cache.ts')
  const { table } = scanned
  const problems = [...scanned.problems]
  const document = problems.some((p) => p.code === 'MIZAN_NO_ROOT') ? null : table.document
  const files = [...table.routes.map((r) => r.file), document, table.notFound, table.session].filter((f) => f !== null)
  // Synchronously: small local files, for which a promise round trip through the fs thread pool
  // per file costs several times the read itself (see scan.ts).
  const sources = new Map(files.map((file) => [file, readFileSync(path.join(table.root, file), 'utf8')] as const))
  const inputs: { file: string; sha256: string }[] = []
  const read = (file: string): string => {
    const code = sources.get(file)
    invariant(code !== undefined, `${file} was not read with the app's other files`)
    inputs.push({ file, sha256: sourceHash(code) })
    return code
  }
  const routes: RouteModel[] = []
  // Memoised: Vite loads the app model once per environment, each time from the same files.
  for (const entry of table.routes) {
    const { analysis } = cachedModuleFacts(read(entry.file), { file: entry.file, routeId: entry.id })
    problems.push(...analysis.errors)
    if (analysis.errors.length === 0 && !analysis.hasDefaultExport) problems.push(noDefaultExport(entry.file, 'page component', 'Page', `<h1>${entry.path}</h1>`))
    routes.push({ ...entry, search: analysis.search, functions: analysis.functions, actions: analysis.actions })
  }
  const special: [string | null, string, string, string][] = [
    [document, 'document component', 'Document', '<html><body>{children}</body></html>'],
    [table.notFound, '404 page', 'NotFound', '<h1>Not found</h1>'],
  ]
  for (const [file, what, name, jsx] of special) {
    if (file === null) continue
    const { analysis } = cachedModuleFacts(read(file), { file, routeId: null })
    problems.push(...analysis.errors)
    if (analysis.errors.length === 0 && !analysis.hasDefaultExport) problems.push(noDefaultExport(file, what, name, jsx))
  }
  if (table.session !== null) {
    const { analysis } = cachedModuleFacts(read(table.session), { file: table.session, routeId: null })
    problems.push(...analysis.errors)
    if (analysis.errors.length === 0 && !analysis.hasDefaultExport) {
      problems.push({
        code: 'MIZAN_NO_DEFAULT_EXPORT', file: table.session,
        message: 'the session module has no default export; Mizan calls it to answer ctx.session().',
        fix: `Export the session function:\n\n  export default async function session(request: Request, env: unknown) {\n    return null // e.g. look up the user from a cookie\n  }`,
      })
    }
  }
  const functions = routes.flatMap((r) => r.functions)
  const actions = routes.flatMap((r) => r.actions)
  problems.push(...duplicateHooks(routes, sources))
  if (problems.length > 0) throw new MizanBuildError(problems)
  const app: AppModel = {
    root: table.root, routesDir: table.routesDir, document: table.document, notFound: table.notFound, session: table.session,
    routes, functions, actions,
    inputs: inputs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  }
  sourcesOf.set(app, sources)
  return app
}

/**
 * Whether `code` is exactly the text of `file` that `app` was loaded from. `loadApp` analysed
 * that text, as the route (or non-route) module it is, and would have thrown on any problem in
 * it: validating the same text again cannot find anything.
 *
 * @example
 * ```ts
 * if (target === 'worker' && loadedFrom(app, 'src/routes/index.tsx', code)) return null // nothing to check or change
 * ```
 */
export function loadedFrom(app: AppModel, file: string, code: string): boolean {
  // The text itself when this process loaded the model: one string comparison, no hashing.
  const text = sourcesOf.get(app)?.get(file)
  if (text !== undefined) return text === code
  const input = app.inputs.find((i) => i.file === file)
  return input !== undefined && input.sha256 === sourceHash(code)
}

/** The source text of every file each model of this process was loaded from, for {@link loadedFrom}. */
const sourcesOf = new WeakMap<AppModel, ReadonlyMap<string, string>>()

/** One-shot `hash()`: no Hash object per call, which matters at a call per module per build. */
function sourceHash(code: string): string {
  return hash('sha256', code, 'hex')
}

function noDefaultExport(file: string, what: string, name: string, jsx: string): BuildProblem {
  const props = name === 'Document' ? '{ children }: { children: React.ReactNode }' : ''
  return {
    code: 'MIZAN_NO_DEFAULT_EXPORT', file,
    message: `the module has no default export, so Mizan has no ${what} to render.`,
    fix: `Export the component as the default export:\n\n  export default function ${name}(${props}) {\n    return ${jsx}\n  }`,
  }
}

function duplicateHooks(routes: readonly RouteModel[], sources: ReadonlyMap<string, string>): BuildProblem[] {
  const byHook = new Map<string, { fn: FnInfo | ActionInfo; route: RouteModel }[]>()
  for (const route of routes) {
    for (const fn of [...route.functions, ...route.actions]) byHook.set(fn.hook, [...(byHook.get(fn.hook) ?? []), { fn, route }])
  }
  const problems: BuildProblem[] = []
  for (const [hook, [first, ...rest]] of byHook) {
    if (first === undefined) continue
    for (const { fn, route } of rest) {
      const prefix = route.segments.filter((s) => s.kind === 'static').at(-1)?.value.replace(/[^A-Za-z0-9]/g, '') || 'home'
      const renamed = `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}${fn.exportName.charAt(0).toUpperCase()}${fn.exportName.slice(1)}`
      problems.push({
        code: 'MIZAN_DUPLICATE_HOOK', file: route.file, exportName: fn.exportName, line: fn.line, column: fn.column,
        message: `the data functions "${first.fn.exportName}" in ${first.route.file} and "${fn.exportName}" in ${route.file} would both generate the hook ${hook} (all hooks share one module, virtual:mizan/hooks).`,
        fix: `Rename one of the two exports, e.g. "${fn.exportName}" in ${route.file} to "${renamed}" (its hook becomes ${hookName(renamed)}).`,
        frame: codeFrame(sources.get(route.file) ?? '', fn.line, fn.column),
      })
    }
  }
  return problems
}
