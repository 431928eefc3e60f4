/**
 * Wording helpers for user errors: what an expression is, and the closest valid word to a typo.
 * @module
 */
import type { AnyNode } from './parse.ts'

/**
 * A short description of what an expression is, for messages ("a variable (`policy`)").
 *
 * @example
 * ```ts
 * describeNode(identifierNode) // 'a variable (`policy`)'
 * ```
 */
export function describeNode(n: AnyNode): string {
  switch (n.type) {
    case 'Identifier': return `a variable (\`${n['name'] as string}\`)`
    case 'CallExpression': return 'a function call'
    case 'MemberExpression': return 'a property access'
    case 'SpreadElement': return 'a spread (`...`)'
    case 'TemplateLiteral': return 'a template literal with ${…} expressions'
    case 'ConditionalExpression': return 'a conditional expression'
    case 'BinaryExpression': return 'a computed expression'
    case 'Literal': return `the literal ${String(n['raw'] ?? n['value'])}`
    case 'Property':
      if (n['computed'] === true) return 'a computed key (`[key]: …`)'
      if (n['shorthand'] === true) return 'a shorthand property (its value is a variable)'
      return n['method'] === true || n['kind'] !== 'init' ? 'a method or accessor' : 'a property with a non-literal key'
    default: return `an expression (${n.type})`
  }
}

/**
 * The option closest to `word` (edit distance, case-insensitive), or `null` when none is close.
 *
 * @example
 * ```ts
 * closest('tll', ['ttl', 'swr']) // 'ttl'
 * ```
 */
export function closest(word: string, options: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1
  for (const option of options) {
    const d = distance(word.toLowerCase(), option.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [option, d]
  }
  return best
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)))
    }
    prev = row
  }
  return prev[b.length] ?? 0
}
