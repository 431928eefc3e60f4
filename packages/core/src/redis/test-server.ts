/**
 * Throwaway `redis-server` processes and a local Redis Cluster for tests (the Vitest
 * global setup and tests that need a server of their own). Not part of the public API.
 * @module
 */
import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Whether a Redis answers PING on `port` within `timeoutMs`. */
export function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

/** Runs `redis-cli -p <port> <args…>` and returns its output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args])
  return stdout
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A `redis-server` this process started. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Kills it with SIGKILL (a crash: no data survives, `--save ''`). */
  kill(): Promise<void>
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>
  /** Stops it and removes its temp dir. */
  stop(): Promise<void>
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()))
}

/**
 * Starts `redis-server` on a free port with no persistence, plus `args` (e.g.
 * `['--maxmemory-policy', 'allkeys-lru']`), and waits until it answers.
 */
export async function startRedisServer(args: readonly string[] = [], dir?: string): Promise<RedisServer> {
  const port = await freePort()
  const own = dir === undefined
  const workDir = dir ?? (await mkdtemp(join(tmpdir(), 'mizan-redis-')))
  let child: ChildProcess
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir, ...args], { stdio: 'ignore' })
    child.once('error', () => {})
    await until(`redis-server on port ${port}`, () => ping(port))
  }
  await launch()
  const kill = async (): Promise<void> => {
    child.kill('SIGKILL')
    await exited(child)
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: launch,
    stop: async () => {
      await kill()
      if (own) await rm(workDir, { recursive: true, force: true })
    },
  }
}

/** A local Redis Cluster of `masters` nodes (no replicas). */
export interface RedisClusterHandle {
  readonly nodes: { host: string; port: number }[]
  stop(): Promise<void>
}

/** Starts `masters` cluster-enabled servers in one temp dir, creates the cluster, waits for `cluster_state:ok`. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'mizan-cluster-'))
  const servers: RedisServer[] = []
  try {
    for (let i = 0; i < masters; i++) {
      servers.push(await startRedisServer(['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-node-timeout', '2000'], dir))
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'])
    for (const s of servers) {
      await until(`cluster_state:ok on ${s.port}`, async () => (await redisCli(s.port, 'cluster', 'info')).includes('cluster_state:ok'))
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()))
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return {
    nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()))
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Counts, or deletes, the keys RedisCache wrote under `prefix` (its keys are `{<prefix>…}…`) on a
 * shared Redis; returns how many there were. For tests that must leave a shared Redis as found.
 *
 * @example
 * ```ts
 * await prefixKeys('redis://127.0.0.1:6379', 'e2e-1234:', { delete: true })
 * ```
 */
export async function prefixKeys(url: string, prefix: string, options: { delete?: boolean } = {}): Promise<number> {
  const { Redis } = await import('ioredis')
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    let count = 0
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000)
      count += keys.length
      if (options.delete === true && keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
    return count
  } finally {
    redis.disconnect()
  }
}
