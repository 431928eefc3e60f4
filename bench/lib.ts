/**
 * Helpers for `pnpm bench`: every benchmark reports a measurement *and* the baseline it
 * was measured against in the same run, so results are ratios, not machine-dependent
 * absolute numbers.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One row of the benchmark table. */
export interface BenchResult {
  readonly name: string
  /** What `value` and `baseline` measure, e.g. `ops/s`. */
  readonly unit: string
  readonly value: number
  readonly baseline?: number
  /** Human description of the goal, e.g. `ratio >= 0.8`. */
  readonly goal: string
  readonly pass: boolean
  readonly note?: string
}

/** Prints the result as the last stdout line for the runner (scripts/bench.mjs). */
export function report(result: BenchResult): void {
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`)
}

/** Runs `fn` in a loop with `concurrency` in flight for `durationMs`; returns completed ops/s. */
export async function throughput(fn: () => Promise<unknown>, options: { concurrency: number; durationMs: number }): Promise<number> {
  let done = 0
  const end = performance.now() + options.durationMs
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      await fn()
      done++
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return done / ((performance.now() - start) / 1000)
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** A throwaway `redis-server` on a free port (benchmarks never touch the shared 6379). */
export async function startRedis(extraArgs: readonly string[] = []): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'mizan-bench-redis-'))
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs], { stdio: 'ignore' })
  const { Redis } = await import('ioredis')
  for (let i = 0; i < 100; i++) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      probe.disconnect()
      break
    } catch {
      probe.disconnect()
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
