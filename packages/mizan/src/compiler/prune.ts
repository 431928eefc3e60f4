/**
 * Which top-level code becomes dead once some ranges (the `client()` calls) are removed: the
 * import specifiers and the module's own non-exported helpers whose every use was inside
 * removed code, to a fixpoint (a helper used only by a removed helper goes too).
 *
 * A binding that was never used stays: removing it would change the module's behaviour for
 * reasons unrelated to Mizan.
 * @module
 */
import { node, nodes, type AnyNode } from './parse.ts'
import type { ModuleBinding } from './bindings.ts'

interface Range {
  readonly start: number
  readonly end: number
}

/** What to remove: whole statements, and single specifiers of import declarations that stay. */
export interface PruneResult {
  /** Top-level statements to delete entirely (imports with no specifier left, dead helpers). */
  readonly statements: ReadonlySet<AnyNode>
  /** Import specifiers to delete from declarations that keep other specifiers. */
  readonly specifiers: ReadonlySet<AnyNode>
}

/**
 * Computes the code made dead by removing `removed`.
 *
 * @example
 * ```ts
 * const { statements, specifiers } = pruneDead(body, bindings, [{ start: call.start, end: call.end }])
 * ```
 */
export function pruneDead(body: readonly AnyNode[], bindings: ReadonlyMap<string, ModuleBinding>, removed: readonly Range[]): PruneResult {
  const regions = [...removed]
  const dead = new Set<ModuleBinding>()
  const byStatement = new Map<AnyNode, ModuleBinding[]>()
  for (const b of bindings.values()) byStatement.set(b.statement, [...(byStatement.get(b.statement) ?? []), b])
  const removedStatements = new Set<AnyNode>()
  const inside = (r: Range) => regions.some((g) => g.start <= r.start && r.end <= g.end)

  for (let changed = true; changed;) {
    changed = false
    for (const b of bindings.values()) {
      if (dead.has(b) || b.exported) continue
      const uses = b.references.filter((r) => b.kind === 'import' || r.start < b.statement.start || r.end > b.statement.end)
      if (uses.length === 0 || !uses.every(inside)) continue
      dead.add(b)
      changed = true
      const siblings = byStatement.get(b.statement) ?? []
      if (siblings.every((s) => dead.has(s)) && !removedStatements.has(b.statement)) {
        removedStatements.add(b.statement)
        regions.push(b.statement)
      }
    }
  }

  const specifiers = new Set<AnyNode>()
  const emptiedSources = new Set<string>()
  for (const [statement, group] of byStatement) {
    if (statement.type !== 'ImportDeclaration') continue
    if (removedStatements.has(statement)) {
      emptiedSources.add(sourceOf(statement))
      continue
    }
    for (const b of group) if (dead.has(b) && b.specifier !== null) specifiers.add(b.specifier)
  }
  // A bare `import './x'` of a module whose bindings all went with removed code was there for it.
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration' && nodes(statement, 'specifiers').length === 0 && emptiedSources.has(sourceOf(statement))) {
      removedStatements.add(statement)
    }
  }
  return { statements: removedStatements, specifiers }
}

function sourceOf(statement: AnyNode): string {
  return String(node(statement, 'source')?.['value'])
}
