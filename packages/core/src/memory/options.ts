/**
 * Options of `MemoryCache`, their defaults and their validation.
 * @module
 */

import { MizanError } from '../errors.ts'

/**
 * Options of `MemoryCache`. Every field is optional; the defaults suit a single process.
 *
 * @example
 * ```ts
 * const options: MemoryCacheOptions = { maxEntries: 50_000, maxBytes: 256 << 20 }
 * ```
 */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used go first. Default 10,000. */
  readonly maxEntries?: number
  /** Most bytes kept, counted as described by `ENTRY_OVERHEAD_BYTES`. Default 64 MiB. */
  readonly maxBytes?: number
  /** How long purge markers live; tickets older than this are refused. Default 300,000 ms. */
  readonly markerTtlMs?: number
  /** The clock in ms since the epoch. Default `Date.now`; tests pass a fake one. */
  readonly now?: () => number
}

/** The options with every default applied. */
export interface ResolvedMemoryCacheOptions {
  readonly maxEntries: number
  readonly maxBytes: number
  readonly markerTtlMs: number
  readonly now: () => number
}

/**
 * The defaults of `MemoryCacheOptions`.
 *
 * @example
 * ```ts
 * new MemoryCache({ maxBytes: MEMORY_CACHE_DEFAULTS.maxBytes * 4 })
 * ```
 */
export const MEMORY_CACHE_DEFAULTS = {
  maxEntries: 10_000,
  maxBytes: 64 * 1024 * 1024,
  markerTtlMs: 300_000,
} as const

const KNOWN_OPTIONS = new Set(['maxEntries', 'maxBytes', 'markerTtlMs', 'now'])

/** Applies defaults and rejects nonsense, naming every problem at once. */
export function resolveMemoryCacheOptions(options: MemoryCacheOptions = {}): ResolvedMemoryCacheOptions {
  if (typeof options !== 'object' || options === null) {
    throw new MizanError('MIZAN_CONFIG', `MemoryCache options must be an object, got ${describe(options)}.`)
  }
  const problems: string[] = []
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) problems.push(`unknown option "${key}" (known: ${[...KNOWN_OPTIONS].join(', ')})`)
  }
  const maxEntries = positiveInteger(options.maxEntries, 'maxEntries', MEMORY_CACHE_DEFAULTS.maxEntries, problems)
  const maxBytes = positiveInteger(options.maxBytes, 'maxBytes', MEMORY_CACHE_DEFAULTS.maxBytes, problems)
  const markerTtlMs = positiveInteger(options.markerTtlMs, 'markerTtlMs', MEMORY_CACHE_DEFAULTS.markerTtlMs, problems)
  const now = options.now ?? Date.now
  if (typeof now !== 'function') problems.push(`now must be a function returning ms since the epoch, got ${describe(now)}`)
  if (problems.length > 0) {
    throw new MizanError('MIZAN_CONFIG', `Invalid MemoryCache options: ${problems.join('; ')}. Example: new MemoryCache({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }).`)
  }
  return { maxEntries, maxBytes, markerTtlMs, now }
}

function positiveInteger(value: unknown, name: string, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    problems.push(`${name} must be a positive integer, got ${describe(value)}`)
    return fallback
  }
  return value
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  return String(value)
}
