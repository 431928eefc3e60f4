/**
 * RedisCache's options and their validation (at construction, every problem at once).
 * @module
 */
import type { Cluster, Redis } from 'ioredis'
import { MizanError } from '../errors.ts'

/**
 * How RedisCache connects and behaves. Give exactly one of `client`, `url` or `cluster`.
 *
 * @example
 * ```ts
 * const options: RedisCacheOptions = { url: process.env.REDIS_URL, prefix: 'blog', commandTimeoutMs: 200 }
 * ```
 */
export interface RedisCacheOptions {
  /**
   * Your own ioredis client, used as is: Mizan neither changes its options nor closes it
   * (`close()` leaves it open), so its timeouts and retries are yours to choose. Mizan
   * still applies `commandTimeoutMs` and `maxOfflineQueue` to its own calls.
   */
  readonly client?: Redis | Cluster
  /** `redis://[user:pass@]host:port[/db]` or `rediss://…`; Mizan creates and owns the client. */
  readonly url?: string
  /** Redis Cluster seed nodes; Mizan creates and owns the client. */
  readonly cluster?: { readonly nodes: readonly { readonly host: string; readonly port: number }[] }
  /** Key prefix: letters, digits, `_`, `.`, `-` (default `mz`). */
  readonly prefix?: string
  /** How long any Redis call may take before it fails (default 250 ms). */
  readonly commandTimeoutMs?: number
  /** Calls that may wait for a connection; beyond that they fail at once (default 1000). */
  readonly maxOfflineQueue?: number
  /** How long purge markers are kept, and the oldest ticket `put` accepts (default 300,000 ms). */
  readonly markerTtlMs?: number
  /** Receives configuration warnings (default: `process.emitWarning`). */
  readonly onWarning?: (message: string) => void
}

/** Where the client comes from. */
export type Connection =
  | { readonly kind: 'client'; readonly client: Redis | Cluster }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly { readonly host: string; readonly port: number }[] }

/** Validated options with defaults applied. */
export interface ResolvedOptions {
  readonly connection: Connection
  readonly prefix: string
  readonly commandTimeoutMs: number
  readonly maxOfflineQueue: number
  readonly markerTtlMs: number
  readonly onWarning: (message: string) => void
}

const KNOWN = ['client', 'url', 'cluster', 'prefix', 'commandTimeoutMs', 'maxOfflineQueue', 'markerTtlMs', 'onWarning']
const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/

function defaultWarning(message: string): void {
  process.emitWarning(message, { type: 'MizanWarning', code: 'MIZAN_REDIS_CONFIG' })
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

function looksLikeClient(value: unknown): value is Redis | Cluster {
  const v = value as { defineCommand?: unknown; getBuffer?: unknown; status?: unknown } | null
  return typeof v === 'object' && v !== null && typeof v.defineCommand === 'function' && typeof v.getBuffer === 'function' && typeof v.status === 'string'
}

function connection(o: RedisCacheOptions, problems: string[]): Connection | undefined {
  const given = (['client', 'url', 'cluster'] as const).filter((k) => o[k] !== undefined)
  if (given.length !== 1) {
    problems.push(`give exactly one of client, url or cluster (got ${given.length === 0 ? 'none' : given.join(' and ')}), e.g. new RedisCache({ url: 'redis://127.0.0.1:6379' })`)
    return undefined
  }
  if (o.client !== undefined) {
    if (looksLikeClient(o.client)) return { kind: 'client', client: o.client }
    problems.push('client must be an ioredis Redis or Cluster instance (import { Redis } from "ioredis")')
  } else if (o.url !== undefined) {
    let protocol = ''
    try {
      protocol = new URL(String(o.url)).protocol
    } catch {}
    if (typeof o.url === 'string' && (protocol === 'redis:' || protocol === 'rediss:')) return { kind: 'url', url: o.url }
    problems.push(`url must be a redis:// or rediss:// URL, got ${JSON.stringify(o.url)}`)
  } else {
    const nodes = (o.cluster as { nodes?: unknown } | null)?.nodes
    const valid =
      Array.isArray(nodes) &&
      nodes.length > 0 &&
      nodes.every((n: { host?: unknown; port?: unknown } | null) => typeof n?.host === 'string' && n.host !== '' && isInteger(n.port, 1, 65535))
    if (valid) return { kind: 'cluster', nodes: nodes as { host: string; port: number }[] }
    problems.push("cluster must be { nodes: [{ host: string, port: number }, …] } with at least one node, e.g. { nodes: [{ host: '10.0.0.1', port: 6379 }] }")
  }
  return undefined
}

/**
 * Validates `options` and applies defaults; throws one `MizanError` (`MIZAN_CONFIG`)
 * listing every problem.
 *
 * @example
 * ```ts
 * resolveOptions({ url: 'redis://127.0.0.1:6379' }).commandTimeoutMs // 250
 * ```
 */
export function resolveOptions(options: RedisCacheOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new MizanError('MIZAN_CONFIG', "RedisCache needs options, e.g. new RedisCache({ url: 'redis://127.0.0.1:6379' }).")
  }
  const problems: string[] = []
  const unknown = Object.keys(options).filter((k) => !KNOWN.includes(k))
  if (unknown.length > 0) problems.push(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`)
  const conn = connection(options, problems)
  const { prefix = 'mz', commandTimeoutMs = 250, maxOfflineQueue = 1000, markerTtlMs = 300_000, onWarning = defaultWarning } = options
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) problems.push(`prefix must be 1-64 letters, digits, "_", "." or "-" (no ":" or braces), got ${JSON.stringify(prefix)}`)
  if (!isInteger(commandTimeoutMs, 1, 60_000)) problems.push(`commandTimeoutMs must be an integer from 1 to 60000, got ${String(commandTimeoutMs)}`)
  if (!isInteger(maxOfflineQueue, 0, 1_000_000)) problems.push(`maxOfflineQueue must be an integer from 0 to 1000000, got ${String(maxOfflineQueue)}`)
  if (!isInteger(markerTtlMs, 1_000, 86_400_000)) problems.push(`markerTtlMs must be an integer from 1000 to 86400000 (24 h), got ${String(markerTtlMs)}`)
  if (typeof onWarning !== 'function') problems.push('onWarning must be a function (message: string) => void')
  if (problems.length > 0 || conn === undefined) {
    throw new MizanError('MIZAN_CONFIG', `Invalid RedisCache options:\n- ${problems.join('\n- ')}`)
  }
  return { connection: conn, prefix, commandTimeoutMs, maxOfflineQueue, markerTtlMs, onWarning }
}
