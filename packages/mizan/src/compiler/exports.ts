/**
 * Reading a route module's exports: the declared `search` params, and which export a position
 * belongs to (for error messages).
 * @module
 */
import type { ProblemReporter } from './errors.ts'
import { node, nodes, staticString, unwrap, type AnyNode } from './parse.ts'
import { declaredNames } from './bindings.ts'

/**
 * The declared search params (`export const search = ['page'] as const`), sorted and
 * deduplicated; `null` when not declared. A non-literal declaration is reported.
 *
 * @example
 * ```ts
 * readSearch(body, reporter) // ['page', 'sort']
 * ```
 */
export function readSearch(body: readonly AnyNode[], reporter: (exportName?: string) => ProblemReporter): string[] | null {
  const fix = `Declare the search params the page reads as a literal array: export const search = ['page', 'sort'] as const`
  for (const statement of body) {
    if (statement.type !== 'ExportNamedDeclaration') continue
    for (const sp of nodes(statement, 'specifiers')) {
      if (exportedName(sp) === 'search') {
        reporter('search')(sp, 'MIZAN_SEARCH_NOT_STATIC', '`search` must be declared with `export const search = [...]`, not re-exported.', fix)
        return null
      }
    }
    const decl = node(statement, 'declaration')
    if (decl === undefined || !declaredNames(decl).includes('search')) continue
    const declarator = nodes(decl, 'declarations').find((d) => node(d, 'id')?.['name'] === 'search')
    const init = declarator === undefined ? undefined : node(declarator, 'init')
    const array = init === undefined ? undefined : unwrap(init)
    const values = array?.type === 'ArrayExpression' ? (array['elements'] as (AnyNode | null)[]).map((e) => (e === null ? null : staticString(e))) : null
    if (decl['kind'] !== 'const' || values === null || values.some((v) => v === null || v === '')) {
      reporter('search')(array ?? decl, 'MIZAN_SEARCH_NOT_STATIC', '`search` must be a `const` array of non-empty string literals: Mizan reads it at build time to decide which search params reach the page (and its cache key).', fix)
      return null
    }
    return [...new Set(values as string[])].sort()
  }
  return null
}

/**
 * The name of the export whose top-level statement contains `offset`, if any.
 *
 * @example
 * ```ts
 * exportNameAt(body, callNode.start) // 'post'
 * ```
 */
export function exportNameAt(body: readonly AnyNode[], offset: number): string | undefined {
  const statement = body.find((s) => s.start <= offset && offset < s.end)
  if (statement?.type === 'ExportDefaultDeclaration') return 'default'
  const decl = statement?.type === 'ExportNamedDeclaration' ? node(statement, 'declaration') : undefined
  if (decl === undefined) return undefined
  const declarator = nodes(decl, 'declarations').find((d) => d.start <= offset && offset < d.end)
  return declaredNames(declarator === undefined ? decl : { ...decl, declarations: [declarator] })[0]
}

/**
 * The exported name of an export specifier (`export { a as b }` → `b`).
 *
 * @example
 * ```ts
 * exportedName(specifier) // 'default'
 * ```
 */
export function exportedName(specifier: AnyNode): string | null {
  const exported = node(specifier, 'exported')
  return exported === undefined ? null : exported.type === 'Identifier' ? (exported['name'] as string) : staticString(exported)
}
