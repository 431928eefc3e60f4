/**
 * The ioredis clients RedisCache creates for itself, configured for a cache: ioredis'
 * defaults (no command timeout, 20 retries a command, an unbounded offline queue) would
 * make a request wait on a sick Redis instead of computing its value.
 * @module
 */
import { debuglog } from 'node:util'
import { Cluster, Redis } from 'ioredis'
import type { RedisOptions } from 'ioredis'
import type { RedisClient } from './guard.ts'
import type { Connection } from './options.ts'

const debug = debuglog('mizan:redis')

/** Reconnect delay: exponential from 50 ms, capped at 2 s, with jitter so a fleet does not reconnect in lockstep. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(2_000, 50 * 2 ** Math.min(attempt, 6))
  return Math.round(base * (0.5 + Math.random() / 2))
}

/** A client and whether RedisCache owns it (creates, configures and closes it). */
export interface Connected {
  readonly client: RedisClient
  readonly owned: boolean
}

/** Connects as `connection` says, with cache-suited options when Mizan creates the client. */
export function connect(connection: Connection, commandTimeoutMs: number): Connected {
  if (connection.kind === 'client') return { client: connection.client, owned: false }
  const nodeOptions: RedisOptions = {
    commandTimeout: commandTimeoutMs,
    // 0: a failed connection attempt fails the queued commands at once (reads then compute)
    // instead of keeping them for the next attempt.
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(1_000, commandTimeoutMs * 4),
    enableOfflineQueue: true,
    enableAutoPipelining: true,
  }
  const client: RedisClient =
    connection.kind === 'url'
      ? new Redis(connection.url, { ...nodeOptions, retryStrategy: reconnectDelay })
      : new Cluster(
          connection.nodes.map((n) => ({ host: n.host, port: n.port })),
          {
            redisOptions: nodeOptions,
            enableAutoPipelining: true,
            enableOfflineQueue: true,
            scaleReads: 'master',
            clusterRetryStrategy: reconnectDelay,
            slotsRefreshTimeout: Math.max(1_000, commandTimeoutMs * 4),
          },
        )
  // Connection errors surface as failed calls; ioredis would otherwise log each event itself.
  client.on('error', (error: Error) => debug('redis error: %s', error.message))
  if (client instanceof Cluster) client.on('node error', (error: Error, node: string) => debug('redis node %s error: %s', node, error.message))
  return { client, owned: true }
}
