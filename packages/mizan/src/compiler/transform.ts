/**
 * The route module transform. For the browser, every `client(POLICY, FN)` call is replaced by a
 * stub carrying the function id, and the imports and helpers only those calls used are removed
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
export function transformRouteModule(code: string, options: TransformOptions): TransformOutput | null {
  // Usually a hit: loadApp analysed the same text moments before (see facts-cache.ts).
  const facts = cachedModuleFacts(code, options)
  if (facts.analysis.errors.length > 0) throw new MizanBuildError([...facts.analysis.errors])
  if (options.target === 'worker' || facts.sites.length === 0) return null
  let out = browserOutputs.get(facts)
  if (out === undefined) browserOutputs.set(facts, (out = rewriteForBrowser(code, options.file, facts)))
  const { file, sources, sourcesContent, names, mappings } = out.map
  // A map object of its own for every caller, which may adjust it in place.
  return { code: out.code, map: new SourceMap({ file, sources: [...sources], sourcesContent: sourcesContent?.slice(), names: [...names], mappings }) }
}

/**
 * The browser output of each memoised analysis, so that it too is computed once per exact text
 * (a rebuild in the same process, e.g. `vite build --watch`, reuses it for unchanged modules).
 */
const browserOutputs = new WeakMap<ModuleFacts, TransformOutput>()

function rewriteForBrowser(code: string, file: string, { module, bindings, sites }: ModuleFacts): TransformOutput {
  const s = new MagicString(code)
  let stub = '__mizanClient'
  while (bindings.has(stub)) stub = `_${stub}`
  for (const site of sites) {
    const { start, end } = site.call
    s.overwrite(start, end, `/*#__PURE__*/ ${stub}(${JSON.stringify(site.info.id)})${newlines(code.slice(start, end))}`)
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
  s.appendLeft(first?.start ?? code.length, `import { clientStub as ${stub} } from ${JSON.stringify(REACT_RUNTIME)};`)
  return { code: s.toString(), map: s.generateMap({ hires: true, source: file, includeContent: true }) }
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
