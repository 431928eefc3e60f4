/**
 * Finding `client()` (and `action()`) calls: the bindings that import `client` from `mizan` (renamed, or through a
 * namespace), and the `export const x = client(…)` sites — the only form Mizan accepts.
 * @module
 */
import { node, nodes, staticString, unwrap, type AnyNode } from './parse.ts'
import type { ModuleBinding } from './bindings.ts'
import { MIZAN_PACKAGE } from './specifiers.ts'

/** A valid `client()` call site: the export, the call and the node whose references are `client`. */
export interface ClientCandidate {
  readonly exportName: string
  readonly call: AnyNode
  /** The `client` identifier, or the namespace identifier of `ns.client`. */
  readonly callee: AnyNode
}

/**
 * The module bindings through which `client` from `mizan` is reached (value imports only).
 *
 * @example
 * ```ts
 * findClientBindings(analyzeScope(body)).map((b) => b.name) // ['client'] or ['c'] for `client as c`
 * ```
 */
export function findClientBindings(bindings: ReadonlyMap<string, ModuleBinding>, name: 'client' | 'action' = 'client'): ModuleBinding[] {
  const out: ModuleBinding[] = []
  for (const b of bindings.values()) {
    if (b.kind !== 'import' || b.specifier === null) continue
    const source = node(b.statement, 'source')
    if (source?.['value'] !== MIZAN_PACKAGE || b.statement['importKind'] === 'type' || b.specifier['importKind'] === 'type') continue
    if (b.specifier.type === 'ImportNamespaceSpecifier') out.push(b)
    else if (b.specifier.type === 'ImportSpecifier' && importedName(b.specifier) === name) out.push(b)
  }
  return out
}

/**
 * Every `export const x = client(…)` (or `ns.client(…)`) at the top level of the module.
 *
 * @example
 * ```ts
 * topLevelCandidates(body, clients).map((c) => c.exportName) // ['post', 'viewer']
 * ```
 */
export function topLevelCandidates(body: readonly AnyNode[], clients: readonly ModuleBinding[], name: 'client' | 'action' = 'client'): ClientCandidate[] {
  const direct = new Set(clients.filter((b) => b.specifier?.type === 'ImportSpecifier').map((b) => b.name))
  const namespaces = new Set(clients.filter((b) => b.specifier?.type === 'ImportNamespaceSpecifier').map((b) => b.name))
  const out: ClientCandidate[] = []
  for (const statement of body) {
    const decl = statement.type === 'ExportNamedDeclaration' ? node(statement, 'declaration') : undefined
    if (decl?.type !== 'VariableDeclaration' || decl['kind'] !== 'const') continue
    for (const d of nodes(decl, 'declarations')) {
      const id = node(d, 'id')
      const init = node(d, 'init')
      const call = init === undefined ? undefined : unwrap(init)
      const callee = call?.type === 'CallExpression' ? unwrap(node(call, 'callee') as AnyNode) : undefined
      if (id?.type !== 'Identifier' || call === undefined || callee === undefined) continue
      const isDirect = callee.type === 'Identifier' && direct.has(callee['name'] as string)
      const object = callee.type === 'MemberExpression' ? node(callee, 'object') : undefined
      const isMember = object?.type === 'Identifier' && namespaces.has(object['name'] as string) && isClientMember(callee, name)
      if (isDirect || isMember) out.push({ exportName: id['name'] as string, call, callee: isDirect ? callee : (object as AnyNode) })
    }
  }
  return out
}

/**
 * Whether a member expression reads `.client` (or `['client']`).
 *
 * @example
 * ```ts
 * isClientMember(parse('m.client')) // true
 * ```
 */
export function isClientMember(member: AnyNode, name: 'client' | 'action' = 'client'): boolean {
  if (member.type !== 'MemberExpression') return false
  const property = node(member, 'property')
  if (property === undefined) return false
  return member['computed'] === true ? staticString(property) === name : property['name'] === name
}


function importedName(specifier: AnyNode): string | null {
  const imported = node(specifier, 'imported')
  return imported === undefined ? null : imported.type === 'Identifier' ? (imported['name'] as string) : staticString(imported)
}

