/**
 * The part of the build manifest a purger reads: data function ids and their current
 * versions, so a backend can purge a function without knowing its version.
 * @module
 */
import { MizanError, PurgeError } from '../errors.ts'
import type { CacheContext } from '../types.ts'

/**
 * The purge manifest emitted by `vite build` (other manifest fields are ignored).
 *
 * @example
 * ```ts
 * import manifest from './dist/mizan/manifest.json' with { type: 'json' }
 * const purger = createPurger({ secret, edges, manifest })
 * ```
 */
export interface PurgeManifest {
  readonly functions: Readonly<Record<string, { readonly version: string }>>
}

/**
 * A purge named a data function the manifest does not list. `suggestions` holds the
 * closest ids (a typo, a renamed export).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof UnknownFunctionError) console.error(e.fn, e.suggestions) }
 * ```
 */
export class UnknownFunctionError extends PurgeError {
  readonly fn: string
  readonly suggestions: readonly string[]
  constructor(fn: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => JSON.stringify(s)).join(', ')}?` : ''
    super(`Unknown data function ${JSON.stringify(fn)}: the build manifest does not list it.${hint} Function ids are '<route file without extension>#<export>', e.g. 'posts/[slug]#post'; rebuild if the function is new.`)
    this.fn = fn
    this.suggestions = suggestions
  }
}

/** Throws a config error unless `manifest` has the shape of a purge manifest. */
export function checkPurgeManifest(manifest: PurgeManifest): void {
  const functions = (manifest as { functions?: unknown } | null)?.functions
  if (typeof functions !== 'object' || functions === null || Array.isArray(functions)) {
    throw new MizanError('MIZAN_CONFIG', 'createPurger: manifest.functions must be an object of { "<fn id>": { "version": "…" } }; pass the manifest.json that `vite build` emits.')
  }
  for (const [fn, entry] of Object.entries(functions)) {
    const version = (entry as { version?: unknown } | null)?.version
    if (typeof version !== 'string' || version === '') {
      throw new MizanError('MIZAN_CONFIG', `createPurger: manifest.functions[${JSON.stringify(fn)}].version must be a non-empty string.`)
    }
  }
}

/**
 * The cache context of data function `fn` in `manifest`, or `UnknownFunctionError`.
 *
 * @example
 * ```ts
 * resolveFunction({ functions: { 'posts#list': { version: 'a1' } } }, 'posts#list') // { fn: 'posts#list', version: 'a1' }
 * ```
 */
export function resolveFunction(manifest: PurgeManifest, fn: string): CacheContext {
  const entry = Object.hasOwn(manifest.functions, fn) ? manifest.functions[fn] : undefined
  if (entry === undefined) throw new UnknownFunctionError(fn, closeMatches(fn, Object.keys(manifest.functions)))
  return { fn, version: entry.version }
}

/** Up to three ids within a small edit distance of `wanted` (or containing it), closest first. */
export function closeMatches(wanted: string, known: readonly string[]): string[] {
  const target = wanted.toLowerCase()
  const budget = Math.max(2, Math.floor(wanted.length / 3))
  return known
    .map((id) => {
      const candidate = id.toLowerCase()
      const contains = target.length >= 3 && (candidate.includes(target) || target.includes(candidate))
      return { id, distance: contains ? 0 : editDistance(target, candidate, budget) }
    })
    .filter((match) => match.distance <= budget)
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
    .slice(0, 3)
    .map((match) => match.id)
}

// Levenshtein distance, giving up (returning budget + 1) once every path exceeds the budget.
function editDistance(a: string, b: string, budget: number): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      current.push(value)
      best = Math.min(best, value)
    }
    if (best > budget) return budget + 1
    previous = current
  }
  return previous[b.length]!
}
