/**
 * The analysis thread of a `vite build`: a `worker_threads` entry that loads app models and
 * rewrites route modules for the browser with the compiler's own functions, so that parsing and
 * analysing every route module runs beside the bundler instead of on the thread that serves its
 * plugin hooks. Its memo of module analyses lives here, shared by the app model and the browser
 * transforms of one build (and kept for the next, as the in-process memo is). Started and spoken
 * to by `analysis-thread.ts`; the protocol is the {@link AnalysisRequest} / {@link AnalysisReply}
 * pair.
 * @module
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parentPort } from 'node:worker_threads'
import { analyzeApp } from '../compiler/app.ts'
import { MizanBuildError, type BuildProblem } from '../compiler/errors.ts'
import { clearFactsCache, factsCacheSize } from '../compiler/facts-cache.ts'
import { useRawTransfer } from '../compiler/parse.ts'
import type { RouteTable } from '../compiler/routes.ts'
import { collectRoutes } from '../compiler/scan.ts'
import { transformRouteModule, type TransformOptions } from '../compiler/transform.ts'

/**
 * A request to the analysis thread; every kind but `clear` and `prime` (start analysing the app
 * at `root` before anyone asks, so that the app request finds the memo warm) is answered by one
 * reply with its `id`.
 */
export type AnalysisRequest =
  | { readonly kind: 'app'; readonly id: number; readonly scanned: { readonly table: RouteTable; readonly problems: readonly BuildProblem[] } }
  | { readonly kind: 'browser'; readonly id: number; readonly code: string; readonly options: TransformOptions }
  | { readonly kind: 'size'; readonly id: number }
  | { readonly kind: 'clear' }
  | { readonly kind: 'prime'; readonly root: string }

/** An error crossing the thread boundary: a build error's problems, or any other error's text. */
export type SentError =
  | { readonly problems: readonly BuildProblem[] }
  | { readonly name: string; readonly message: string; readonly stack: string | undefined; readonly code: unknown }

/** The answer to one request. */
export type AnalysisReply = { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: SentError }

function sendable(error: unknown): SentError {
  if (error instanceof MizanBuildError) return { problems: error.problems }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack, code: (error as { code?: unknown }).code }
  return { name: 'Error', message: String(error), stack: undefined, code: undefined }
}

/** Lets queued requests (a browser transform waiting for its module) run between two modules. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Analyses every route module of the app into the memo and rewrites it for the browser, one
 * module per turn of the event loop, so that a browser transform asked for meanwhile is answered
 * after at most one module instead of after the whole app. Problems are left for `analyzeApp`,
 * which reports them all.
 */
async function analyzeRoutes(table: RouteTable): Promise<void> {
  for (const route of table.routes) {
    await turn()
    let code: string
    try {
      code = readFileSync(path.join(table.root, route.file), 'utf8')
    } catch {
      continue
    }
    // The browser rewrite too (memoised with the analysis): the browser build asks for it next.
    try {
      transformRouteModule(code, { file: route.file, routeId: route.id, target: 'browser', sourcemap: false })
    } catch {
      // A module with problems: analyzeApp reports them, with every other problem of the app.
    }
  }
}

async function answer(request: Exclude<AnalysisRequest, { kind: 'clear' | 'prime' }>): Promise<unknown> {
  if (request.kind === 'app') {
    await analyzeRoutes(request.scanned.table)
    // Every route module is a memo hit now (unless its file changed since: then it is read afresh).
    return await analyzeApp(request.scanned)
  }
  if (request.kind === 'size') return factsCacheSize()
  const out = transformRouteModule(request.code, request.options)
  // magic-string's SourceMap is a class; the other side gets its fields, which is what Vite reads.
  return out === null ? null : { code: out.code, map: out.map === null ? null : { ...out.map } }
}

// This thread mostly parses one app once, JIT-cold: the JSON route is faster here (parse.ts).
useRawTransfer(false)

const priming = new Set<string>()
const port = parentPort
if (port === null) throw new Error('analysis-worker.ts is a worker_threads entry; start it with startAnalysisThread()')
port.on('message', (request: AnalysisRequest) => {
  if (request.kind === 'clear') {
    clearFactsCache()
    return
  }
  if (request.kind === 'prime') {
    // Once at a time per app (Vite runs the config hook for every environment it resolves).
    if (priming.has(request.root)) return
    priming.add(request.root)
    // Errors are not news here: the app request that follows scans again and reports them.
    collectRoutes(request.root).then(({ table }) => analyzeRoutes(table)).catch(() => undefined).finally(() => priming.delete(request.root))
    return
  }
  answer(request).then(
    (value) => port.postMessage({ id: request.id, value } satisfies AnalysisReply),
    (error: unknown) => port.postMessage({ id: request.id, error: sendable(error) } satisfies AnalysisReply),
  )
})
