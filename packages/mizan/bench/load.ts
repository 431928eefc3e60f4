/**
 * Load generation and process accounting for the plugin's HTTP benchmarks: `wrk` runs, and the
 * CPU time of the workerd process that serves a `vite preview` (read from /proc, which is the
 * stable measure on this machine — DESIGN §8: workerd's tail latency is erratic at saturation).
 * @module
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'

/** One `wrk` run: completed requests, elapsed seconds, requests per second, failures. */
export interface WrkResult {
  requests: number
  seconds: number
  rps: number
  /** Socket errors + non-2xx/3xx responses reported by wrk. */
  errors: number
  /** wrk's own lines about them ('' when there were none). */
  errorDetail: string
}

const WRK = '/usr/bin/wrk'

/**
 * Fails with the install command when `wrk` is missing, before any work is done.
 *
 * @example
 * ```ts
 * requireWrk()
 * ```
 */
export function requireWrk(): void {
  if (existsSync(WRK)) return
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
  } catch (error) {
    // wrk prints its version and exits 1; only a missing binary throws ENOENT.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('This benchmark needs wrk (HTTP load generator). Install it: `apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk`.')
    }
  }
}

/**
 * Runs `wrk -t1 -c<connections> -d<seconds>s <url>` and parses its summary.
 *
 * @example
 * ```ts
 * const { rps } = await wrk('http://127.0.0.1:4173/', { connections: 50, seconds: 5 })
 * ```
 */
export function wrk(url: string, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<WrkResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '10s']
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`)
  args.push(url)
  return new Promise((resolve, reject) => {
    const child = spawn(existsSync(WRK) ? WRK : 'wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => {
      const total = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(out)
      if (code !== 0 || total === null) return reject(new Error(`wrk failed (exit ${code}):\n${out}`))
      const seconds = Number(total[2]) * (total[3] === 'ms' ? 0.001 : total[3] === 'm' ? 60 : 1)
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)
      const errors = (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0)
      const requests = Number(total[1])
      const errorDetail = [socket?.[0], non2xx?.[0]].filter(Boolean).join('; ')
      resolve({ requests, seconds, rps: requests / seconds, errors, errorDetail })
    })
  })
}

/**
 * Direct child process ids of `pid` (Linux /proc).
 *
 * @example
 * ```ts
 * const before = childPids(process.pid)
 * ```
 */
export function childPids(pid: number): number[] {
  const out: number[] = []
  const taskDir = `/proc/${pid}/task`
  for (const task of readdirSync(taskDir)) {
    try {
      const text = readFileSync(`${taskDir}/${task}/children`, 'utf8').trim()
      if (text) out.push(...text.split(/\s+/).map(Number))
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return [...new Set(out)]
}

/**
 * Every descendant process id of `pid`.
 *
 * @example
 * ```ts
 * descendantPids(process.pid).filter((pid) => processName(pid) === 'workerd')
 * ```
 */
export function descendantPids(pid: number): number[] {
  const out: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    for (const child of childPids(queue.shift()!)) {
      out.push(child)
      queue.push(child)
    }
  }
  return out
}

/**
 * The command name of a process (`/proc/<pid>/comm`), or '' once it has exited.
 *
 * @example
 * ```ts
 * processName(process.pid) // 'node'
 * ```
 */
export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/**
 * User + system CPU seconds a process has used so far (fields 14 and 15 of /proc/<pid>/stat).
 *
 * @example
 * ```ts
 * const before = cpuSeconds(pid); await load(); const used = cpuSeconds(pid) - before
 * ```
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may contain spaces; everything after its closing paren is fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** A `vite preview` server and the workerd process behind it. */
export interface ServedWorker {
  url: string
  pids: number[]
  close(): Promise<void>
}

/**
 * Serves a built app with `vite preview` and finds its workerd process (the descendant of this
 * process that appeared meanwhile; Miniflare spawns it for the first request, so one request is
 * made first). Only one preview may run per process at a time: a second one replaces the
 * first one's workerd — so benchmarks interleave by starting and stopping servers.
 *
 * @example
 * ```ts
 * const worker = await serveWorker(() => previewFixture(root))
 * await worker.close()
 * ```
 */
export async function serveWorker(start: () => Promise<{ url: string; server: { close(): Promise<void> } }>): Promise<ServedWorker> {
  const before = new Set(descendantPids(process.pid))
  const { url, server } = await start()
  await (await fetch(url + '/')).arrayBuffer()
  for (let attempt = 0; attempt < 100; attempt++) {
    const pids = descendantPids(process.pid).filter((pid) => !before.has(pid) && processName(pid).startsWith('workerd'))
    if (pids.length > 0) return { url, pids, close: () => server.close() }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await server.close()
  throw new Error('benchmark setup: no workerd process appeared for this server')
}

/**
 * Measures one `wrk` run and the CPU the given processes (and this Node process, which runs
 * `vite preview`'s proxy) spent during it.
 *
 * @example
 * ```ts
 * const m = await measure(url, pids, { connections: 50, seconds: 5 })
 * m.workerdCpuMsPerRequest
 * ```
 */
export async function measure(url: string, pids: readonly number[], options: { connections: number; seconds: number; headers?: Record<string, string> }) {
  const cpu = (): number => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)
  const workerdBefore = cpu()
  const nodeBefore = process.cpuUsage()
  const result = await wrk(url, options)
  const node = process.cpuUsage(nodeBefore)
  const workerdMs = (cpu() - workerdBefore) * 1000
  return {
    ...result,
    workerdCpuMsPerRequest: workerdMs / result.requests,
    proxyCpuMsPerRequest: (node.user + node.system) / 1000 / result.requests,
  }
}
