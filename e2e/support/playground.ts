/**
 * Runs the playground (its backend + `vite dev`, or `vite build` + `vite preview`) as a child
 * process on free ports, through the same `scripts/run.ts` a developer uses, and stops the whole
 * process group (Vite, workerd) at teardown.
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
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** Folder of the playground app. */
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../playground/', import.meta.url))

/** A running playground. */
export interface RunningPlayground {
  url: string
  backendUrl: string
  /** Everything the process printed so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts the playground in `mode` and resolves once it answers HTTP requests.
 *
 * @example
 * ```ts
 * const app = await startPlayground('build')
 * ```
 */
export async function startPlayground(mode: 'dev' | 'build', timeoutMs = 180_000): Promise<RunningPlayground> {
  const [port, backendPort] = [await freePort(), await freePort()]
  const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', 'scripts/run.ts', mode === 'dev' ? 'dev' : 'start'], {
    cwd: PLAYGROUND_DIR,
    env: { ...process.env, PORT: String(port), BACKEND_PORT: String(backendPort), NODE_ENV: mode === 'dev' ? 'development' : 'production' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
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
  return { url, backendUrl: `http://127.0.0.1:${backendPort}`, output: () => log, stop }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
