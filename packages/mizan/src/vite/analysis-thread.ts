/**
 * The build's analysis thread, seen from the plugin: one `worker_threads` worker per process
 * (`analysis-worker.ts`), started when a `vite build` begins and kept for the next build of the
 * process, that loads app models and rewrites route modules for the browser.
 *
 * Why: Vite runs every plugin hook of the bundler on one JavaScript thread. Analysing 200 route
 * modules there (parse, scope, policies) held that thread for tens of milliseconds in which the
 * bundler waited for hooks; on a second thread it runs while the bundler works on everything
 * else (React, the runtime), and the hooks that need it only wait for their own answer.
 * Dev servers keep analysing in process: there the app model is reloaded module by module as
 * files change, and nothing waits on a whole-app analysis.
 *
 * The worker is unreferenced while idle, so it never keeps a process alive, and a worker that
 * crashed is replaced on the next request (its pending requests fail with its error).
 * @module
 */
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AppModel } from '../compiler/app.ts'
import { MizanBuildError, type BuildProblem } from '../compiler/errors.ts'
import { clearMemos } from '../compiler/memo.ts'
import type { RouteTable } from '../compiler/routes.ts'
import type { TransformOptions } from '../compiler/transform.ts'
import type { AnalysisReply, AnalysisRequest, SentError } from './analysis-worker.ts'
import { debug } from './debug.ts'

/** A browser rewrite as it comes back from the thread (the map as plain fields). */
export interface ThreadTransformOutput {
  readonly code: string
  readonly map: { version: number; file?: string; sources: string[]; sourcesContent?: string[]; names: string[]; mappings: string } | null
}

interface Pending {
  resolve(value: unknown): void
  reject(error: unknown): void
}

type Question = AnalysisRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

class AnalysisThread {
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  #next = 1
  #dead: Error | undefined

  constructor() {
    this.#worker = new Worker(new URL('./analysis-worker.ts', import.meta.url))
    this.#worker.unref()
    this.#worker.on('message', (reply: AnalysisReply) => this.#settle(reply))
    this.#worker.on('error', (error) => this.#fail(error))
    this.#worker.on('exit', (code) => this.#fail(new Error(`Mizan's analysis thread exited (code ${code})`)))
  }

  get alive(): boolean {
    return this.#dead === undefined
  }

  ask(question: Question): Promise<unknown> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead)
    const id = this.#next++
    // Referenced while a request is pending: an idle worker must not keep the process alive,
    // but a build awaiting an answer must not see the event loop end under it either.
    if (this.#pending.size === 0) this.#worker.ref()
    const answer = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }))
    this.#worker.postMessage({ ...question, id } as AnalysisRequest)
    return answer
  }

  clear(): void {
    if (this.#dead === undefined) this.#worker.postMessage({ kind: 'clear' } satisfies AnalysisRequest)
  }

  prime(root: string): void {
    if (this.#dead === undefined) this.#worker.postMessage({ kind: 'prime', root } satisfies AnalysisRequest)
  }

  terminate(): Promise<number> {
    // Pending requests fail now, whatever the worker was about to answer.
    this.#fail(new Error("Mizan's analysis thread was stopped"))
    return this.#worker.terminate()
  }

  #settle(reply: AnalysisReply): void {
    const pending = this.#pending.get(reply.id)
    if (pending === undefined) return
    this.#pending.delete(reply.id)
    if (this.#pending.size === 0) this.#worker.unref()
    if ('error' in reply) pending.reject(received(reply.error))
    else pending.resolve(reply.value)
  }

  #fail(error: Error): void {
    this.#dead ??= error
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}

function received(error: SentError): Error {
  if ('problems' in error) return new MizanBuildError(error.problems)
  const copy = new Error(error.message)
  copy.name = error.name
  if (error.stack !== undefined) copy.stack = error.stack
  if (error.code !== undefined) Object.assign(copy, { code: error.code })
  return copy
}

let thread: AnalysisThread | undefined

function current(): AnalysisThread {
  if (thread === undefined || !thread.alive) {
    debug('starting the analysis thread')
    thread = new AnalysisThread()
  }
  return thread
}

/**
 * Starts the analysis thread now (if it is not running), so that its start-up overlaps the
 * config work before the first request; given the app root, it also starts analysing that
 * app's route modules (the app request later finds them memoised).
 *
 * @example
 * ```ts
 * config(config, env) { if (env.command === 'build') startAnalysisThread(path.resolve(config.root ?? '.')) }
 * ```
 */
export function startAnalysisThread(root?: string): void {
  const started = current()
  if (root !== undefined) started.prime(root)
}

/**
 * `analyzeApp` of `mizan/compiler`, on the analysis thread: the same model, or the same
 * {@link MizanBuildError} with every problem.
 *
 * @example
 * ```ts
 * const app = await analyzeAppOffThread(await collectRoutes(root))
 * ```
 */
export async function analyzeAppOffThread(scanned: { readonly table: RouteTable; readonly problems: readonly BuildProblem[] }): Promise<AppModel> {
  return (await current().ask({ kind: 'app', scanned })) as AppModel
}

/**
 * `transformRouteModule` of `mizan/compiler`, on the analysis thread (which usually analysed the
 * same text for the app model moments before).
 *
 * @example
 * ```ts
 * const out = await transformOffThread(code, { file: 'src/routes/index.tsx', routeId: 'index', target: 'browser', sourcemap: false })
 * ```
 */
export async function transformOffThread(code: string, options: TransformOptions): Promise<ThreadTransformOutput | null> {
  return (await current().ask({ kind: 'browser', code, options })) as ThreadTransformOutput | null
}

/**
 * Forgets every memoised module analysis, in this thread and in the analysis thread (benchmarks
 * that measure a first build; a process that wants its memory back).
 *
 * @example
 * ```ts
 * clearAnalysisCaches()
 * ```
 */
export function clearAnalysisCaches(): void {
  clearMemos()
  thread?.clear()
}

/**
 * How many module analyses the analysis thread has memoised (`0` when it is not running).
 *
 * @example
 * ```ts
 * clearAnalysisCaches(); await analysisThreadCacheSize() // 0
 * ```
 */
export async function analysisThreadCacheSize(): Promise<number> {
  return thread === undefined || !thread.alive ? 0 : ((await thread.ask({ kind: 'size' })) as number)
}

/**
 * Stops the analysis thread; the next build starts a new one.
 *
 * @example
 * ```ts
 * await stopAnalysisThread()
 * ```
 */
export async function stopAnalysisThread(): Promise<void> {
  const stopping = thread
  thread = undefined
  await stopping?.terminate()
}

/**
 * The app root of a `vite build` command line (`vite build`, `vite build <root>`), or `null` for
 * anything else (`vite dev`, a programmatic build). A guess used only to start early: a wrong
 * one costs an analysis of the wrong folder, never a wrong build.
 *
 * @example
 * ```ts
 * buildRootFromArgv(['node', '/app/node_modules/vite/bin/vite.js', 'build', 'site']) // '/cwd/site'
 * ```
 */
export function buildRootFromArgv(argv: readonly string[]): string | null {
  if (!/vite(?:\.js)?$/.test(argv[1] ?? '')) return null
  const at = argv.indexOf('build', 2)
  if (at === -1 || argv.slice(2, at).some((arg) => !arg.startsWith('-'))) return null
  const next = argv[at + 1]
  return path.resolve(next !== undefined && !next.startsWith('-') ? next : '.')
}
