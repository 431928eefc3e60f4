/**
 * Hands a Mizan build error to Vite so it shows with its file and position (terminal, overlay);
 * anything else is rethrown unchanged.
 *
 * @example
 * ```ts
 * try { transformRouteModule(code, opts) } catch (e) { reportBuildError(this, e) }
 * ```
 * @module
 */
import path from 'node:path'
import { MizanBuildError } from '../compiler/errors.ts'

interface ErrorSink {
  error(error: { message: string; id?: string; loc?: { file?: string; line: number; column: number }; frame?: string }): never
}

/**
 * Reports `error` through the plugin context: a {@link MizanBuildError} keeps its full message
 * and the first problem's location; other errors are rethrown.
 *
 * @example
 * ```ts
 * reportBuildError(this, new MizanBuildError([problem]))
 * ```
 */
export function reportBuildError(context: ErrorSink, error: unknown, root?: string): never {
  if (!(error instanceof MizanBuildError)) throw error
  const first = error.problems[0]
  const file = first && root !== undefined ? path.resolve(root, first.file) : undefined
  return context.error({
    message: error.message,
    ...(file !== undefined ? { id: file } : {}),
    ...(first?.line !== undefined && file !== undefined ? { loc: { file, line: first.line, column: first.column ?? 0 } } : {}),
  })
}
