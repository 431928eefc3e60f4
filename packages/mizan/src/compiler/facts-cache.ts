/**
 * A bounded memo of route module analyses. One `vite build` analyses every route module several
 * times, always from the same text: for the app model (once per Vite environment, because Vite
 * loads the config, and so a new plugin instance, per environment), then in the browser and the
 * Worker transforms. Parsing dominated the build, so each (file, route id, exact source text) is
 * analysed once. It lives at module level because only module state is shared by the plugin
 * instances of one process.
 *
 * The analysis is a pure function of those three inputs, so a hit is always what a fresh
 * analysis would return; a file whose text changed (by one byte) is analysed afresh and replaces
 * its entry.
 * @module
 */
import { analyzeModuleFacts, type AnalyzeOptions, type ModuleFacts } from './analyze.ts'
import { registerMemo } from './memo.ts'

/** Bounds of the memo; the least recently used entries go first once either is exceeded. */
export const FACTS_CACHE_LIMITS = {
  entries: 4096,
  /**
   * Total source text held, in UTF-16 code units. The ASTs held with it are a few dozen times
   * larger (~45× for a small page), so this bounds the memory to about 200 MB at worst.
   */
  codeUnits: 4 * 1024 * 1024,
} as const

interface Entry {
  readonly code: string
  readonly facts: ModuleFacts
}

const entries = new Map<string, Entry>()
let codeUnits = 0

/**
 * {@link analyzeModuleFacts} memoised on (file, route id, exact code). Callers must treat the
 * result as immutable: it is shared with every later caller that passes the same text.
 *
 * @example
 * ```ts
 * const { analysis, sites } = cachedModuleFacts(code, { file: 'src/routes/index.tsx', routeId: 'index' })
 * ```
 */
export function cachedModuleFacts(code: string, options: AnalyzeOptions): ModuleFacts {
  const key = `${options.routeId === null ? '-' : `+${options.routeId}`}\0${options.file}`
  const entry = entries.get(key)
  if (entry !== undefined) {
    entries.delete(key)
    codeUnits -= entry.code.length
  }
  const facts = entry !== undefined && entry.code === code ? entry.facts : analyzeModuleFacts(code, options)
  // Re-inserted last: Map order is the recency order the eviction below walks.
  entries.set(key, { code, facts })
  codeUnits += code.length
  for (const [oldest, { code: old }] of entries) {
    if (entries.size <= FACTS_CACHE_LIMITS.entries && codeUnits <= FACTS_CACHE_LIMITS.codeUnits) break
    entries.delete(oldest)
    codeUnits -= old.length
  }
  return facts
}

/**
 * Drops every memoised analysis (tests; a long-running process that wants its memory back).
 *
 * @example
 * ```ts
 * clearFactsCache()
 * ```
 */
export function clearFactsCache(): void {
  entries.clear()
  codeUnits = 0
}

/**
 * How many module analyses are memoised (tests, diagnostics).
 *
 * @example
 * ```ts
 * clearFactsCache(); factsCacheSize() // 0
 * ```
 */
export function factsCacheSize(): number {
  return entries.size
}

registerMemo(clearFactsCache)
