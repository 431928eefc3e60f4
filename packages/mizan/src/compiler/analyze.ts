/**
 * Route module analysis: finds the `client()` data functions (by parsing, following the
 * `client` import even when renamed), reads their static policies, computes their versions and
 * collects every user error with a code frame.
 * @module
 */
import { findClientBindings, isClientMember, topLevelCandidates } from './client-calls.ts'
import { codeFrame, type BuildProblem, type ProblemReporter } from './errors.ts'
import { exportedName, exportNameAt, readSearch } from './exports.ts'
import { node, nodes, parseModule, staticString, unwrap, type AnyNode, type ParsedModule } from './parse.ts'
import { readActionOptions, readPolicy, type NormalizedPolicy, type TagTemplate } from './policy.ts'
import type { ModuleBinding } from './bindings.ts'
import { analyzeScope } from './scope.ts'
import { functionVersion } from './version.ts'
import { hookName } from './hook-name.ts'

export { hookName }

/**
 * One data function of a route module.
 *
 * @example
 * ```ts
 * const fn: FnInfo = { id: 'posts/[slug]#post', route: 'posts/[slug]', exportName: 'post', hook: 'usePost',
 *   version: '3f9a1c0b2d4e', policy: { ttl: 300, swr: 3600, staleIfError: 0, tags: ['posts'], scope: 'public' }, line: 4, column: 20 }
 * ```
 */
export interface FnInfo {
  /** `<route id>#<export name>`. */
  readonly id: string
  readonly route: string
  readonly exportName: string
  /** `use` + the export name capitalised. */
  readonly hook: string
  readonly version: string
  readonly policy: NormalizedPolicy | false
  /** Position of the `client(` call: 1-based line, 0-based column. */
  readonly line: number
  readonly column: number
}

/**
 * One action (mutation) of a route module.
 *
 * @example
 * ```ts
 * const a: ActionInfo = { id: 'posts/[slug]#addComment', route: 'posts/[slug]', exportName: 'addComment', hook: 'useAddComment',
 *   version: '3f9a1c0b2d4e', tags: ['post:{slug}', 'posts'], line: 9, column: 26 }
 * ```
 */
export interface ActionInfo {
  /** `<route id>#<export name>`. */
  readonly id: string
  readonly route: string
  readonly exportName: string
  readonly hook: string
  readonly version: string
  /** Sorted, deduplicated tag templates purged after a success (`post:{slug}`). */
  readonly tags: readonly string[]
  readonly line: number
  readonly column: number
}

/**
 * What a route module declares.
 *
 * @example
 * ```ts
 * const a = analyzeRouteModule(code, { file: 'src/routes/index.tsx', routeId: 'index' })
 * if (a.errors.length > 0) throw new MizanBuildError(a.errors)
 * ```
 */
export interface RouteModuleAnalysis {
  readonly functions: readonly FnInfo[]
  readonly actions: readonly ActionInfo[]
  /** Declared search params (`export const search = ['page'] as const`), sorted; `null` when not declared. */
  readonly search: readonly string[] | null
  readonly hasDefaultExport: boolean
  readonly errors: readonly BuildProblem[]
}

/** Where a module is analysed from. `routeId: null` marks a module that is not a route. */
export interface AnalyzeOptions {
  /** Path relative to the app root (used in messages). */
  readonly file: string
  readonly routeId: string | null
}

/** A `client()` or `action()` call at a valid site, with what the transform needs. */
export interface ClientSite {
  readonly exportName: string
  readonly call: AnyNode
  readonly kind: 'client' | 'action'
  readonly info: FnInfo | ActionInfo
}

/** The analysis plus the parsed module and scope, shared with the transform. */
export interface ModuleFacts {
  readonly analysis: RouteModuleAnalysis
  readonly module: ParsedModule
  readonly bindings: ReadonlyMap<string, ModuleBinding>
  readonly sites: readonly ClientSite[]
}

const EXAMPLE = `export const post = client({ ttl: '5m' }, async ({ slug }: { slug: string }, ctx) => …)`

/**
 * Analyses one route module's source text. Never throws for user errors: they are returned in
 * `errors`, all of them, each with file, export, position, code frame and fix.
 *
 * @example
 * ```ts
 * const { functions } = analyzeRouteModule(code, { file: 'src/routes/posts/[slug].tsx', routeId: 'posts/[slug]' })
 * functions[0]?.id // 'posts/[slug]#post'
 * ```
 */
export function analyzeRouteModule(code: string, options: AnalyzeOptions): RouteModuleAnalysis {
  return analyzeModuleFacts(code, options).analysis
}

/**
 * {@link analyzeRouteModule} with the parsed module, scope and call sites kept for the transform.
 *
 * @example
 * ```ts
 * const { analysis, sites } = analyzeModuleFacts(code, { file, routeId })
 * ```
 */
export function analyzeModuleFacts(code: string, options: AnalyzeOptions): ModuleFacts {
  const { module, problems } = parseModule(code, options.file)
  const bindings = problems.length > 0 ? new Map<string, ModuleBinding>() : analyzeScope(module.body)
  const errors: BuildProblem[] = [...problems]
  const reporter = (exportName?: string): ProblemReporter => (at, errorCode, message, fix) => {
    const { line, column } = module.locate(at.start)
    errors.push({ code: errorCode, file: options.file, ...(exportName === undefined ? {} : { exportName }), line, column, message, fix, frame: codeFrame(code, line, column) })
  }
  if (problems.length > 0) return { analysis: { functions: [], actions: [], search: null, hasDefaultExport: false, errors }, module, bindings, sites: [] }
  const sites: ClientSite[] = []
  for (const kind of ['client', 'action'] as const) sites.push(...findSites(module, bindings, options, kind, reporter))
  const search = readSearch(module.body, reporter)
  const hasDefaultExport = module.body.some((s) => s.type === 'ExportDefaultDeclaration' ||
    (s.type === 'ExportNamedDeclaration' && nodes(s, 'specifiers').some((sp) => exportedName(sp) === 'default')))
  sites.sort((a, b) => a.call.start - b.call.start)
  const functions = sites.flatMap((s) => (s.kind === 'client' ? [s.info as FnInfo] : []))
  const actions = sites.flatMap((s) => (s.kind === 'action' ? [s.info as ActionInfo] : []))
  return { analysis: { functions, actions, search, hasDefaultExport, errors }, module, bindings, sites }
}

const ACTION_EXAMPLE = `export const addComment = action({ tags: ['post:{slug}'] }, async (input: { slug: string; body: string }, ctx) => …)`

/** The valid `client()` (or `action()`) sites of a module; misplaced uses are reported. */
function findSites(module: ParsedModule, bindings: ReadonlyMap<string, ModuleBinding>, options: AnalyzeOptions, kind: 'client' | 'action',
  reporter: (exportName?: string) => ProblemReporter): ClientSite[] {
  const isAction = kind === 'action'
  const clientBindings = findClientBindings(bindings, kind)
  const candidates = topLevelCandidates(module.body, clientBindings, kind)
  const valid = new Set(candidates.map((c) => c.callee.start))
  for (const binding of clientBindings) {
    for (const ref of binding.references) {
      if (ref.isType || valid.has(ref.start)) continue
      if (binding.specifier?.type === 'ImportNamespaceSpecifier' && !isClientMember(ref.parent, kind)) continue
      const exportName = exportNameAt(module.body, ref.start)
      const called = ref.parent.type === 'MemberExpression' || (ref.parent.type === 'CallExpression' && node(ref.parent, 'callee')?.start === ref.start)
      if (isAction) {
        reporter(exportName)(ref, 'MIZAN_ACTION_NOT_TOP_LEVEL',
          called
            ? 'action() must be the initializer of a top-level `export const`: Mizan finds actions at build time and gives each an id from its export name.'
            : '`action` must be called directly (not stored, passed or re-exported), so Mizan can find every action at build time.',
          `Declare the action at the top level of the route module:\n\n  ${ACTION_EXAMPLE}\n\nand call it through its generated hook (useAddComment) where you need it.`)
        continue
      }
      reporter(exportName)(ref, 'MIZAN_CLIENT_NOT_TOP_LEVEL',
        called
          ? 'client() must be the initializer of a top-level `export const`: Mizan finds data functions at build time and gives each an id from its export name.'
          : '`client` must be called directly (not stored, passed or re-exported), so Mizan can find every data function at build time.',
        `Declare the data function at the top level of the route module:\n\n  ${EXAMPLE}\n\nand read it through its generated hook (usePost) where you need the data.`)
    }
  }

  const sites: ClientSite[] = []
  for (const { exportName, call } of candidates) {
    const report = reporter(exportName)
    if (options.routeId === null) {
      if (isAction) {
        report(call, 'MIZAN_ACTION_OUTSIDE_ROUTE', `action() is only allowed in route modules (files under src/routes), but ${options.file} is not one.`,
          `Move "${exportName}" into a route module (its hook works in any component).`)
      } else {
        report(call, 'MIZAN_CLIENT_OUTSIDE_ROUTE', `client() is only allowed in route modules (files under src/routes), but ${options.file} is not one.`,
          `Move "${exportName}" into the route module whose page uses it, or import it from there.`)
      }
      continue
    }
    const info = isAction ? readActionSite(module, bindings, options.routeId, exportName, call, report) : readSite(module, bindings, options.routeId, exportName, call, report)
    if (info !== null) sites.push({ exportName, call, kind, info })
  }
  return sites
}

function readActionSite(module: ParsedModule, bindings: ReadonlyMap<string, ModuleBinding>, routeId: string, exportName: string, call: AnyNode, report: ProblemReporter): ActionInfo | null {
  const args = nodes(call, 'arguments')
  const [optionsArg, fnArg] = args
  if (args.length !== 2 || optionsArg === undefined || fnArg === undefined || args.some((a) => a.type === 'SpreadElement')) {
    report(call, 'MIZAN_ACTION_ARGUMENTS', `action() takes exactly two arguments, its options and a function, but got ${args.length}${args.some((a) => a.type === 'SpreadElement') ? ' (with a spread)' : ''}.`,
      `Write it as: ${ACTION_EXAMPLE}`)
    return null
  }
  const read = readActionOptions(optionsArg, report)
  if (read === null) return null
  if (!checkTagParams(read.templates, fnArg, report)) return null
  const { line, column } = module.locate(call.start)
  return {
    id: `${routeId}#${exportName}`, route: routeId, exportName, hook: hookName(exportName),
    version: functionVersion(module, bindings, call), tags: read.tags, line, column,
  }
}

function readSite(module: ParsedModule, bindings: ReadonlyMap<string, ModuleBinding>, routeId: string, exportName: string, call: AnyNode, report: ProblemReporter): FnInfo | null {
  const args = nodes(call, 'arguments')
  const [policyArg, fnArg] = args
  if (args.length !== 2 || policyArg === undefined || fnArg === undefined || args.some((a) => a.type === 'SpreadElement')) {
    report(call, 'MIZAN_CLIENT_ARGUMENTS', `client() takes exactly two arguments, a cache policy and a function, but got ${args.length}${args.some((a) => a.type === 'SpreadElement') ? ' (with a spread)' : ''}.`,
      `Write it as: ${EXAMPLE}`)
    return null
  }
  const read = readPolicy(policyArg, report)
  if (read === null) return null
  if (!checkTagParams(read.templates, fnArg, report)) return null
  const { line, column } = module.locate(call.start)
  return {
    id: `${routeId}#${exportName}`, route: routeId, exportName,
    hook: hookName(exportName),
    version: functionVersion(module, bindings, call),
    policy: read.policy, line, column,
  }
}


/** Tag placeholders must name keys of the params type, when that type is written as a literal. */
function checkTagParams(templates: readonly TagTemplate[], fnArg: AnyNode, report: ProblemReporter): boolean {
  const fn = unwrap(fnArg)
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return true
  let param = nodes(fn, 'params')[0]
  if (param?.type === 'AssignmentPattern') param = node(param, 'left')
  const annotation = param === undefined ? undefined : node(param, 'typeAnnotation')
  const literal = annotation === undefined ? undefined : node(annotation, 'typeAnnotation')
  if (literal?.type !== 'TSTypeLiteral') return true
  const names: string[] = []
  for (const member of nodes(literal, 'members')) {
    const key = member.type === 'TSPropertySignature' && member['computed'] !== true ? node(member, 'key') : undefined
    const name = key === undefined ? null : key.type === 'Identifier' ? (key['name'] as string) : staticString(key)
    if (name === null) return true
    names.push(name)
  }
  let ok = true
  for (const t of templates) {
    for (const placeholder of t.placeholders) {
      if (names.includes(placeholder)) continue
      ok = false
      report(t.at, 'MIZAN_UNKNOWN_TAG_PARAM',
        `the tag "${t.template}" uses {${placeholder}}, but the function's params type has no "${placeholder}" (${names.length === 0 ? 'it has no keys' : `it has ${names.map((n) => `"${n}"`).join(', ')}`}).`,
        names.length === 0 ? `Add "${placeholder}" to the params type, or remove the placeholder.` : `Use one of {${names.join('}, {')}} or add "${placeholder}" to the params type.`)
    }
  }
  return ok
}
