/**
 * Runs the playground (its backend + `vite dev`, or `vite build` + `vite preview`) as a child
 * process on free ports with a throwaway database, through the same `scripts/run.ts` that
 * `pnpm start` runs, and stops the whole process group (Vite, workerd) at teardown.
 *
 * @example
 * ```ts
 * const app = await startPlayground('dev')
 * await fetch(app.url)
 * await app.stop()
 * ```
 * @module
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** Folder of the playground app. */
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../playground/', import.meta.url))

/** A running playground. */
export interface RunningPlayground {
  url: string
  backendUrl: string
  /** The `scripts/run.ts` process (its own process group). */
  child: ChildProcess
  /** Resolves with the exit code once the process exited. */
  exited: Promise<number | null>
  /** Everything the process printed so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** Options of {@link startPlayground}. */
export interface PlaygroundOptions {
  /** Cache the backend's reads in this Redis (RedisCache) instead of memory. */
  redisUrl?: string
  redisPrefix?: string
  /** Backend port (default: a free one). Give the same one to reuse a build: its URL is baked into the Worker. */
  backendPort?: number
  /** Skip `vite build` when `dist/` was built for the same backend URL (`PLAYGROUND_REUSE_BUILD=1`). */
  reuseBuild?: boolean
  timeoutMs?: number
}

/**
 * Starts the playground in `mode` and resolves once it answers HTTP requests.
 *
 * @example
 * ```ts
 * const app = await startPlayground('build')
 * ```
 */
export async function startPlayground(mode: 'dev' | 'build', options: PlaygroundOptions = {}): Promise<RunningPlayground> {
  const timeoutMs = options.timeoutMs ?? 180_000
  const [port, backendPort] = [await freePort(), options.backendPort ?? (await freePort())]
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizan-playground-'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    BACKEND_PORT: String(backendPort),
    PLAYGROUND_DB: path.join(dataDir, 'news.db'),
    NODE_ENV: mode === 'dev' ? 'development' : 'production',
  }
  delete env['REDIS_URL']
  if (options.redisUrl !== undefined) env['REDIS_URL'] = options.redisUrl
  if (options.redisPrefix !== undefined) env['REDIS_PREFIX'] = options.redisPrefix
  if (options.reuseBuild) env['PLAYGROUND_REUSE_BUILD'] = '1'
  const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', 'scripts/run.ts', mode === 'dev' ? 'dev' : 'start'], {
    cwd: PLAYGROUND_DIR,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return void fs.rmSync(dataDir, { recursive: true, force: true })
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      return
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
    }, 5_000)
    await exited
    clearTimeout(timer)
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  while (!log.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null) throw new Error(`The playground (${mode}) exited with ${child.exitCode}:\n${log}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`The playground (${mode}) did not start within ${timeoutMs} ms:\n${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { url, backendUrl: `http://127.0.0.1:${backendPort}`, child, exited, output: () => log, stop }
}

/**
 * A free TCP port on 127.0.0.1.
 *
 * @example
 * ```ts
 * const port = await freePort()
 * ```
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
