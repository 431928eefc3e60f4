/**
 * Options of the edge backend, their defaults and their validation.
 * @module
 */
import { MizanError } from '@mizan/core'

/**
 * Options of {@link import('./index.ts').createEdgeBackend}. Every field is optional.
 *
 * @example
 * ```ts
 * const options: EdgeBackendOptions = { purgeSyncMs: 500, tier: { maxEntries: 2_000 } }
 * ```
 */
export interface EdgeBackendOptions {
  /**
   * How stale an isolate's copy of the purge state may get, in ms (default 1,000): a purge
   * served by another isolate is honoured here within this bound. The isolate that served the
   * purge honours it at once.
   */
  readonly purgeSyncMs?: number
  /** How long purge markers live; tickets older than this are refused (default 300,000 ms). */
  readonly markerTtlMs?: number
  /** The in-isolate tier in front of the Cache API: most entries and bytes (defaults 1,000 and 32 MiB). */
  readonly tier?: { readonly maxEntries?: number; readonly maxBytes?: number }
  /** Name of the Durable Object binding (default `MIZAN_PURGE`). */
  readonly binding?: string
  /** Name of the Durable Object instance holding the purge state (default `purge-state`). */
  readonly stateName?: string
  /** Name of the Cache API cache (default `mizan`). */
  readonly cacheName?: string
  /** Most entries one purge deletes from this data centre's Cache API right away (default 500); markers cover the rest. */
  readonly purgeDeleteLimit?: number
}

/** The options with every default applied. */
export interface ResolvedEdgeOptions {
  readonly purgeSyncMs: number
  readonly markerTtlMs: number
  readonly tierMaxEntries: number
  readonly tierMaxBytes: number
  readonly binding: string
  readonly stateName: string
  readonly cacheName: string
  readonly purgeDeleteLimit: number
}

/**
 * The defaults of {@link EdgeBackendOptions}.
 *
 * @example
 * ```ts
 * createEdgeBackend(env, ctx, { purgeSyncMs: EDGE_BACKEND_DEFAULTS.purgeSyncMs / 2 })
 * ```
 */
export const EDGE_BACKEND_DEFAULTS = Object.freeze({
  purgeSyncMs: 1_000,
  markerTtlMs: 300_000,
  tierMaxEntries: 1_000,
  tierMaxBytes: 32 * 1024 * 1024,
  binding: 'MIZAN_PURGE',
  stateName: 'purge-state',
  cacheName: 'mizan',
  purgeDeleteLimit: 500,
})

const KNOWN = new Set(['purgeSyncMs', 'markerTtlMs', 'tier', 'binding', 'stateName', 'cacheName', 'purgeDeleteLimit'])

/** Applies defaults and rejects nonsense, naming every problem at once. */
export function resolveEdgeOptions(options: EdgeBackendOptions = {}): ResolvedEdgeOptions {
  if (typeof options !== 'object' || options === null) throw new MizanError('MIZAN_CONFIG', `createEdgeBackend: options must be an object, got ${String(options)}.`)
  const problems: string[] = []
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) problems.push(`unknown option "${key}" (known: ${[...KNOWN].join(', ')})`)
  const tier = options.tier ?? {}
  const resolved: ResolvedEdgeOptions = {
    purgeSyncMs: count(options.purgeSyncMs, 'purgeSyncMs', EDGE_BACKEND_DEFAULTS.purgeSyncMs, 1, problems),
    markerTtlMs: count(options.markerTtlMs, 'markerTtlMs', EDGE_BACKEND_DEFAULTS.markerTtlMs, 1, problems),
    tierMaxEntries: count(tier.maxEntries, 'tier.maxEntries', EDGE_BACKEND_DEFAULTS.tierMaxEntries, 0, problems),
    tierMaxBytes: count(tier.maxBytes, 'tier.maxBytes', EDGE_BACKEND_DEFAULTS.tierMaxBytes, 0, problems),
    binding: name(options.binding, 'binding', EDGE_BACKEND_DEFAULTS.binding, problems),
    stateName: name(options.stateName, 'stateName', EDGE_BACKEND_DEFAULTS.stateName, problems),
    cacheName: name(options.cacheName, 'cacheName', EDGE_BACKEND_DEFAULTS.cacheName, problems),
    purgeDeleteLimit: count(options.purgeDeleteLimit, 'purgeDeleteLimit', EDGE_BACKEND_DEFAULTS.purgeDeleteLimit, 0, problems),
  }
  if (problems.length > 0) {
    throw new MizanError('MIZAN_CONFIG', `Invalid edge backend options: ${problems.join('; ')}. Example: createEdgeBackend(env, ctx, { purgeSyncMs: 1000 }).`)
  }
  return resolved
}

function count(value: unknown, label: string, fallback: number, min: number, problems: string[]): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    problems.push(`${label} must be an integer ≥ ${min}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    return fallback
  }
  return value
}

function name(value: unknown, label: string, fallback: string, problems: string[]): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value === '') {
    problems.push(`${label} must be a non-empty string, got ${String(value)}`)
    return fallback
  }
  return value
}
