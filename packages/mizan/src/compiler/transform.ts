/**
 * The route module transform. For the browser, every `client(POLICY, FN)` and `action(OPTIONS, FN)`
 * call is replaced by a stub carrying the function id, and the imports and helpers only those calls used are removed
 * explicitly — never left to tree-shaking, because a server secret must not reach the browser
 * even in an unminified dev build. Line numbers are kept (removed code leaves its newlines).
 * @module
 */
import MagicString, { SourceMap } from 'magic-string'
import type { ModuleFacts } from './analyze.ts'
import { MizanBuildError } from './errors.ts'
import { cachedModuleFacts } from './facts-cache.ts'
import { node, nodes, type AnyNode } from './parse.ts'
import { pruneDead } from './prune.ts'
import { REACT_RUNTIME } from './specifiers.ts'

/**
 * Transform options.
 *
 * @example
 * ```ts
 * const options: TransformOptions = { file: 'src/routes/index.tsx', routeId: 'index', target: 'browser' }
 * ```
 */
export interface TransformOptions {
  /** Path of the module relative to the app root (messages, sourcemap `source`). */
  readonly file: string
  /** The route id, or `null` for a module that is not a route (any `client()` there is an error). */
  readonly routeId: string | null
  readonly target: 'browser' | 'worker'
  /**
   * `false` when the build emits no sourcemaps: the output's `map` is then `null` and never
   * generated (a high-resolution map costs about as much as the rewrite itself). Default `true`.
   */
  readonly sourcemap?: boolean
}

/**
 * Transform output: the new code and a high-resolution sourcemap.
 *
 * @example
 * ```ts
 * const out: TransformOutput | null = transformRouteModule(code, options)
 * ```
 */
export interface TransformOutput {
  readonly code: string
  readonly map: SourceMap
}

/**
 * Transforms a route module for `target`. Throws a {@link MizanBuildError} with every problem of
 * the module; returns `null` when the module needs no change (the worker target, or no
 * `client()` call).
 *
 * @example
 * ```ts
 * const out = transformRouteModule(code, { file: 'src/routes/posts/[slug].tsx', routeId: 'posts/[slug]', target: 'browser' })
 * // export const post = /*#__PURE__*\/ __mizanClient("posts/[slug]#post")
 * ```
 */
export function transformRouteModule(code: string, options: TransformOptions & { readonly sourcemap: false }): { code: string; map: null } | null
export function transformRouteModule(code: string, options: TransformOptions & { readonly sourcemap?: true }): TransformOutput | null
export function transformRouteModule(code: string, options: TransformOptions): TransformOutput | { code: string; map: null } | null
export function transformRouteModule(code: string, options: TransformOptions): TransformOutput | { code: string; map: null } | null {
  // Usually a hit: loadApp analysed the same text moments before (see facts-cache.ts).
  const facts = cachedModuleFacts(code, options)
  if (facts.analysis.errors.length > 0) throw new MizanBuildError([...facts.analysis.errors])
  if (options.target === 'worker' || facts.sites.length === 0) return null
  let out = browserOutputs.get(facts)
  if (out === undefined) browserOutputs.set(facts, (out = rewriteForBrowser(code, facts)))
  if (options.sourcemap === false) return { code: out.code, map: null }
  if (out.map === undefined) {
    out.map = out.magic!.generateMap({ hires: true, source: options.file, includeContent: true })
    out.magic = undefined
  }
  const { file, sources, sourcesContent, names, mappings } = out.map
  // A map object of its own for every caller, which may adjust it in place.
  return { code: out.code, map: new SourceMap({ file, sources: [...sources], sourcesContent: sourcesContent?.slice(), names: [...names], mappings }) }
}

/**
 * The browser output of each memoised analysis, so that it too is computed once per exact text
 * (a rebuild in the same process, e.g. `vite build --watch`, reuses it for unchanged modules).
 */
const browserOutputs = new WeakMap<ModuleFacts, BrowserOutput>()

/** The rewritten code, and its map once asked for (until then the edits it is made from). */
interface BrowserOutput {
  readonly code: string
  map: SourceMap | undefined
  magic: MagicString | undefined
}

function rewriteForBrowser(code: string, { module, bindings, sites }: ModuleFacts): BrowserOutput {
  const s = new MagicString(code)
  const stubs = { client: freeName('__mizanClient', bindings), action: freeName('__mizanAction', bindings) }
  for (const site of sites) {
    const { start, end } = site.call
    s.overwrite(start, end, `/*#__PURE__*/ ${stubs[site.kind]}(${JSON.stringify(site.info.id)})${newlines(code.slice(start, end))}`)
  }
  const { statements, specifiers } = pruneDead(module.body, bindings, sites.map((site) => site.call))
  for (const statement of statements) s.overwrite(statement.start, statement.end, newlines(code.slice(statement.start, statement.end)))
  for (const statement of module.body) {
    if (statement.type !== 'ImportDeclaration' || statements.has(statement)) continue
    const kept = nodes(statement, 'specifiers').filter((sp) => !specifiers.has(sp))
    if (kept.length === nodes(statement, 'specifiers').length) continue
    s.overwrite(statement.start, statement.end, importText(code, statement, kept) + newlines(code.slice(statement.start, statement.end)))
  }
  const first = module.body.find((st) => !(st.type === 'ExpressionStatement' && typeof st['directive'] === 'string'))
  const imports = [...new Set(sites.map((site) => site.kind))].map((kind) => `${kind}Stub as ${stubs[kind]}`)
  s.appendLeft(first?.start ?? code.length, `import { ${imports.join(', ')} } from ${JSON.stringify(REACT_RUNTIME)};`)
  return { code: s.toString(), map: undefined, magic: s }
}

/** `name`, prefixed with `_` until no module binding has it. */
function freeName(name: string, bindings: ReadonlyMap<string, unknown>): string {
  while (bindings.has(name)) name = `_${name}`
  return name
}

/** The import declaration rebuilt with the kept specifiers; all type-only → `import type`. */
function importText(code: string, statement: AnyNode, kept: readonly AnyNode[]): string {
  const source = node(statement, 'source') as AnyNode
  const tail = code.slice(source.start, statement.end)
  const typeOnly = statement['importKind'] === 'type' || kept.every((sp) => sp['importKind'] === 'type')
  const named: string[] = []
  const head: string[] = []
  for (const sp of kept) {
    if (sp.type === 'ImportSpecifier') {
      const text = code.slice(sp.start, sp.end)
      named.push(typeOnly ? text.replace(/^type\s+/, '') : text)
    } else {
      head.push(code.slice(sp.start, sp.end))
    }
  }
  if (named.length > 0) head.push(`{ ${named.join(', ')} }`)
  return `import ${typeOnly ? 'type ' : ''}${head.join(', ')} from ${tail}`
}

/** The line breaks of removed text, so every following line keeps its number. */
function newlines(text: string): string {
  return text.replace(/[^\r\n]/g, '')
}
