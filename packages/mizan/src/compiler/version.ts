/**
 * Data function versions: a function's cache entries are keyed by a version that changes when
 * its code changes, so a deploy never serves entries computed by the old code.
 * @module
 */
import { hash } from 'node:crypto'
import type { ParsedModule, AnyNode } from './parse.ts'
import type { ModuleBinding } from './bindings.ts'

interface Range {
  readonly start: number
  readonly end: number
}

/**
 * First 12 hex chars of SHA-256 over the `client(...)` call's source text and the source text of
 * every top-level statement it uses at run time — import declarations, and (transitively) the
 * module's own helpers and constants — in source order. Type-only uses do not count.
 * A change inside another module is not seen (known limit: the version covers this file only).
 *
 * @example
 * ```ts
 * functionVersion(module, bindings, callNode) // '3f9a1c0b2d4e'
 * ```
 */
export function functionVersion(module: ParsedModule, bindings: ReadonlyMap<string, ModuleBinding>, call: Range): string {
  const used = new Set<AnyNode>()
  const pending: Range[] = [call]
  while (pending.length > 0) {
    const range = pending.pop() as Range
    for (const binding of bindings.values()) {
      if (used.has(binding.statement)) continue
      const hit = binding.references.some((r) => !r.isType && r.start >= range.start && r.end <= range.end)
      if (!hit) continue
      used.add(binding.statement)
      if (binding.kind === 'declaration') pending.push(binding.statement)
    }
  }
  const texts = [...used].sort((a, b) => a.start - b.start).map((s) => module.code.slice(s.start, s.end))
  const input = JSON.stringify([module.code.slice(call.start, call.end), ...texts])
  // One-shot: no Hash object per data function, at one call per function per build.
  return hash('sha256', input, 'hex').slice(0, 12)
}
