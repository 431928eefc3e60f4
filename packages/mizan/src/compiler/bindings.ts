/**
 * The names a module declares at its top level (imports and declarations), before any reference
 * is resolved to them.
 * @module
 */
import { node, nodes, type AnyNode } from './parse.ts'

/** One use of a module-level binding. */
export interface Reference {
  readonly start: number
  readonly end: number
  /** The node holding the identifier (e.g. the CallExpression whose callee it is). */
  readonly parent: AnyNode
  /** Only used as a type (erased at run time). */
  readonly isType: boolean
}

/**
 * A name declared at the top level of a module: by an import specifier or a declaration.
 *
 * @example
 * ```ts
 * const b = analyzeScope(module.body).get('db') // { kind: 'import', references: […] }
 * ```
 */
export interface ModuleBinding {
  readonly name: string
  readonly kind: 'import' | 'declaration'
  /** The top-level statement declaring it (the `export` wrapper included). */
  readonly statement: AnyNode
  /** The import specifier, for `kind: 'import'`. */
  readonly specifier: AnyNode | null
  /** Declared by an `export` statement: such bindings are never removed. */
  readonly exported: boolean
  readonly references: Reference[]
}

/**
 * Every top-level binding of a module body, with an empty reference list to fill.
 *
 * @example
 * ```ts
 * collectBindings(body).get('db')?.kind // 'import'
 * ```
 */
export function collectBindings(body: readonly AnyNode[]): Map<string, ModuleBinding> {
  const out = new Map<string, ModuleBinding>()
  const add = (name: string, kind: ModuleBinding['kind'], statement: AnyNode, specifier: AnyNode | null, exported: boolean) => {
    if (!out.has(name)) out.set(name, { name, kind, statement, specifier, exported, references: [] })
  }
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') {
      for (const s of nodes(statement, 'specifiers')) add((node(s, 'local') as AnyNode)['name'] as string, 'import', statement, s, false)
      continue
    }
    const exported = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
    const decl = exported ? node(statement, 'declaration') : statement
    if (decl === undefined) continue
    for (const name of declaredNames(decl)) add(name, 'declaration', statement, null, exported)
  }
  return out
}

/**
 * The value names a top-level declaration introduces.
 *
 * @example
 * ```ts
 * declaredNames(parse('const { a, b: [c] } = x')) // ['a', 'c']
 * ```
 */
export function declaredNames(decl: AnyNode): string[] {
  if (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') {
    const id = node(decl, 'id')
    return id === undefined ? [] : [id['name'] as string]
  }
  if (decl.type !== 'VariableDeclaration') return []
  const names: string[] = []
  const walk = (p: AnyNode | undefined): void => {
    if (p === undefined) return
    if (p.type === 'Identifier') names.push(p['name'] as string)
    else if (p.type === 'ObjectPattern') for (const prop of nodes(p, 'properties')) walk(prop.type === 'RestElement' ? prop : node(prop, 'value'))
    else if (p.type === 'ArrayPattern') for (const e of nodes(p, 'elements')) walk(e)
    else if (p.type === 'AssignmentPattern') walk(node(p, 'left'))
    else if (p.type === 'RestElement') walk(node(p, 'argument'))
  }
  for (const d of nodes(decl, 'declarations')) walk(node(d, 'id'))
  return names
}
