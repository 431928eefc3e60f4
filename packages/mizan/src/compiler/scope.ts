/**
 * Module-level bindings and where they are referenced, resolved through nested scopes (a
 * parameter or local that shadows an import is not a use of the import). This is what lets the
 * browser transform drop exactly the imports and helpers that only removed code used.
 *
 * Deliberately conservative: identifiers in type positions count as references, and type-level
 * bindings (type parameters) do not shadow. Over-counting a reference only keeps code; it never
 * removes code that is still needed.
 * @module
 */
import { visitorKeys } from 'oxc-parser'
import { collectBindings, type ModuleBinding, type Reference } from './bindings.ts'
import { isNode, node, nodes, type AnyNode } from './parse.ts'

interface PendingRef extends Reference {
  readonly name: string
  readonly scopes: readonly AnyNode[]
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'])
const BLOCKS = new Set(['BlockStatement', 'StaticBlock', 'SwitchStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause'])
const TYPE_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'superTypeArguments', 'implements'])
const TYPE_DECLARATIONS = new Set(['TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSDeclareFunction', 'TSEnumDeclaration', 'TSModuleDeclaration', 'TSImportEqualsDeclaration'])
const SKIPPED = new Set(['MetaProperty', 'BreakStatement', 'ContinueStatement', 'ExportAllDeclaration', 'JSXClosingElement', 'JSXNamespacedName', 'PrivateIdentifier'])
const KEYED = new Set(['Property', 'MethodDefinition', 'PropertyDefinition', 'AccessorProperty', 'TSAbstractMethodDefinition', 'TSAbstractPropertyDefinition', 'TSAbstractAccessorProperty'])

/**
 * Every module-level binding of a program with its resolved references.
 *
 * @example
 * ```ts
 * const bindings = analyzeScope(parseModule(code, file).module.body)
 * bindings.get('client')?.references.length
 * ```
 */
export function analyzeScope(body: readonly AnyNode[]): Map<string, ModuleBinding> {
  const program: AnyNode = { type: 'Program', start: 0, end: 0 }
  const declared = new Map<AnyNode, Set<string>>()
  const pending: PendingRef[] = []
  const scopes: AnyNode[] = [program]

  const declare = (name: string, hoist: boolean) => {
    let target = scopes[scopes.length - 1] as AnyNode
    if (hoist) target = scopes.findLast((s) => FUNCTIONS.has(s.type) || s === program) as AnyNode
    let set = declared.get(target)
    if (set === undefined) declared.set(target, (set = new Set()))
    set.add(name)
  }
  const bindings = collectBindings(body)
  const reference = (id: AnyNode, parent: AnyNode, isType: boolean) => {
    // Only uses of module-level names matter; skipping the rest keeps the walk cheap.
    if (!bindings.has(id['name'] as string)) return
    pending.push({ name: id['name'] as string, start: id.start, end: id.end, parent, isType, scopes: scopes.slice(1) })
  }
  const inScope = (scope: AnyNode, fn: () => void) => {
    scopes.push(scope)
    fn()
    scopes.pop()
  }

  const pattern = (n: AnyNode, hoist: boolean): void => {
    switch (n.type) {
      case 'Identifier':
        declare(n['name'] as string, hoist)
        break
      case 'ObjectPattern':
        for (const p of nodes(n, 'properties')) {
          if (p.type === 'RestElement') pattern(p, hoist)
          else {
            if (p['computed'] === true) value(node(p, 'key'), p)
            const v = node(p, 'value')
            if (v !== undefined) pattern(v, hoist)
          }
        }
        break
      case 'ArrayPattern':
        for (const e of nodes(n, 'elements')) pattern(e, hoist)
        break
      case 'AssignmentPattern':
        pattern(node(n, 'left') as AnyNode, hoist)
        value(node(n, 'right'), n)
        break
      case 'RestElement':
        pattern(node(n, 'argument') as AnyNode, hoist)
        break
      case 'TSParameterProperty':
        pattern(node(n, 'parameter') as AnyNode, hoist)
        break
      default:
        value(n, n)
        return
    }
    for (const d of nodes(n, 'decorators')) value(d, n)
    type(node(n, 'typeAnnotation'), n, 'typeAnnotation')
  }

  const fn = (n: AnyNode) => {
    const id = node(n, 'id')
    if (id !== undefined && n.type === 'FunctionDeclaration') declare(id['name'] as string, false)
    inScope(n, () => {
      if (id !== undefined && n.type !== 'FunctionDeclaration') declare(id['name'] as string, false)
      type(node(n, 'typeParameters'), n, 'typeParameters')
      for (const p of nodes(n, 'params')) pattern(p, false)
      type(node(n, 'returnType'), n, 'returnType')
      value(node(n, 'body'), n)
    })
  }

  const cls = (n: AnyNode) => {
    const id = node(n, 'id')
    if (id !== undefined && n.type === 'ClassDeclaration') declare(id['name'] as string, false)
    for (const d of nodes(n, 'decorators')) value(d, n)
    inScope(n, () => {
      if (id !== undefined && n.type === 'ClassExpression') declare(id['name'] as string, false)
      for (const key of ['typeParameters', 'superTypeArguments', 'implements']) type(n[key], n, key)
      value(node(n, 'superClass'), n)
      value(node(n, 'body'), n)
    })
  }

  const jsxName = (n: AnyNode, parent: AnyNode, isElementName: boolean) => {
    if (n.type === 'JSXIdentifier') {
      const name = n['name'] as string
      if (!isElementName || (!/^[a-z]/.test(name) && !name.includes('-'))) reference(n, parent, false)
    } else if (n.type === 'JSXMemberExpression') {
      jsxName(node(n, 'object') as AnyNode, n, false)
    }
  }

  function value(n: AnyNode | undefined, parent: AnyNode): void {
    if (n === undefined || SKIPPED.has(n.type)) return
    if (FUNCTIONS.has(n.type)) return fn(n)
    if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') return cls(n)
    if (TYPE_DECLARATIONS.has(n.type)) return type(n, parent, '')
    switch (n.type) {
      case 'Identifier':
        return reference(n, parent, false)
      case 'ImportDeclaration':
        for (const s of nodes(n, 'specifiers')) declare((node(s, 'local') as AnyNode)['name'] as string, false)
        return
      case 'VariableDeclaration':
        for (const d of nodes(n, 'declarations')) {
          pattern(node(d, 'id') as AnyNode, n['kind'] === 'var')
          value(node(d, 'init'), d)
        }
        return
      case 'ExportNamedDeclaration':
        value(node(n, 'declaration'), n)
        if (n['source'] === null) for (const s of nodes(n, 'specifiers')) value(node(s, 'local'), s)
        return
      case 'MemberExpression':
        value(node(n, 'object'), n)
        if (n['computed'] === true) value(node(n, 'property'), n)
        return
      case 'LabeledStatement':
        return value(node(n, 'body'), n)
      case 'CatchClause':
        return inScope(n, () => {
          const param = node(n, 'param')
          if (param !== undefined) pattern(param, false)
          value(node(n, 'body'), n)
        })
      case 'JSXOpeningElement':
        jsxName(node(n, 'name') as AnyNode, n, true)
        type(node(n, 'typeArguments'), n, 'typeArguments')
        for (const a of nodes(n, 'attributes')) value(a, n)
        return
      case 'JSXAttribute':
        return value(node(n, 'value'), n)
    }
    if (KEYED.has(n.type)) {
      for (const d of nodes(n, 'decorators')) value(d, n)
      if (n['computed'] === true) value(node(n, 'key'), n)
      type(node(n, 'typeAnnotation'), n, 'typeAnnotation')
      return value(node(n, 'value'), n)
    }
    const visit = () => children(n, (child, key) => (TYPE_KEYS.has(key) ? type(child, n, key) : value(child, n)))
    if (BLOCKS.has(n.type)) inScope(n, visit)
    else visit()
  }

  function type(n: unknown, parent: AnyNode, key: string): void {
    if (Array.isArray(n)) {
      for (const item of n) type(item, parent, key)
      return
    }
    if (!isNode(n)) return
    if (n.type === 'Identifier') {
      const p = parent.type
      const used = (p === 'TSTypeReference' && key === 'typeName') || (p === 'TSTypeQuery' && key === 'exprName') ||
        (p === 'TSQualifiedName' && key === 'left') || ((p === 'TSInterfaceHeritage' || p === 'TSClassImplements') && key === 'expression')
      if (used) reference(n, parent, true)
      return
    }
    children(n, (child, childKey) => type(child, n, childKey))
  }

  for (const statement of body) value(statement, program)

  for (const ref of pending) {
    if (ref.scopes.some((s) => declared.get(s)?.has(ref.name) === true)) continue
    bindings.get(ref.name)?.references.push({ start: ref.start, end: ref.end, parent: ref.parent, isType: ref.isType })
  }
  return bindings
}

function children(n: AnyNode, visit: (child: AnyNode, key: string) => void): void {
  for (const key of visitorKeys[n.type] ?? []) {
    const slot = n[key]
    if (Array.isArray(slot)) {
      for (const item of slot) if (isNode(item)) visit(item, key)
    } else if (isNode(slot)) {
      visit(slot, key)
    }
  }
}
