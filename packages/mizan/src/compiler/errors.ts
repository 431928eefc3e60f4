/**
 * Build errors of the Mizan compiler: every problem says what is wrong, where (file, export,
 * line/column, code frame) and how to fix it, under a stable code. All problems of one pass are
 * reported together in one {@link MizanBuildError}.
 * @module
 */
import { invariant } from '@mizan/core/policy'

/** Stable codes of user errors found at build time. */
export type BuildErrorCode =
  | 'MIZAN_PARSE_ERROR'
  | 'MIZAN_POLICY_NOT_STATIC'
  | 'MIZAN_UNKNOWN_POLICY_KEY'
  | 'MIZAN_POLICY_INVALID'
  | 'MIZAN_UNKNOWN_TAG_PARAM'
  | 'MIZAN_CLIENT_NOT_TOP_LEVEL'
  | 'MIZAN_CLIENT_ARGUMENTS'
  | 'MIZAN_CLIENT_OUTSIDE_ROUTE'
  | 'MIZAN_ACTION_NOT_TOP_LEVEL'
  | 'MIZAN_ACTION_ARGUMENTS'
  | 'MIZAN_ACTION_OUTSIDE_ROUTE'
  | 'MIZAN_SEARCH_NOT_STATIC'
  | 'MIZAN_DUPLICATE_HOOK'
  | 'MIZAN_DUPLICATE_ROUTE'
  | 'MIZAN_DUPLICATE_PARAM'
  | 'MIZAN_INVALID_ROUTE_SEGMENT'
  | 'MIZAN_NO_ROOT'
  | 'MIZAN_NO_ROUTES'
  | 'MIZAN_NO_DEFAULT_EXPORT'
  | 'MIZAN_SERVER_ONLY_IMPORT'

/**
 * One problem found in the user's app. `line` is 1-based and `column` 0-based (the Rollup/Vite
 * `loc` convention, so a plugin can pass them on unchanged); messages print `column + 1`.
 *
 * @example
 * ```ts
 * const p: BuildProblem = { code: 'MIZAN_NO_ROOT', file: 'src/root.tsx', message: 'No document component.', fix: 'Create it.' }
 * ```
 */
export interface BuildProblem {
  readonly code: BuildErrorCode
  /** Path relative to the app root, with `/` separators. */
  readonly file: string
  /** The export the problem belongs to, when there is one (`post`, `default`). */
  readonly exportName?: string
  readonly line?: number
  readonly column?: number
  /** What is wrong, one or two sentences. */
  readonly message: string
  /** How to fix it; may contain a code snippet. */
  readonly fix: string
  /** ±2 lines of source around the position, with a caret. */
  readonly frame?: string
}

/**
 * Every user error of one compiler pass, thrown together. `code` is the first problem's code;
 * `problems` holds all of them.
 *
 * @example
 * ```ts
 * try { await loadApp(root) } catch (e) {
 *   if (e instanceof MizanBuildError) for (const p of e.problems) report(p.code, p.file, p.line)
 * }
 * ```
 */
export class MizanBuildError extends Error {
  readonly code: BuildErrorCode
  readonly problems: readonly BuildProblem[]
  constructor(problems: readonly BuildProblem[]) {
    const first = problems[0]
    invariant(first !== undefined, 'MizanBuildError needs at least one problem')
    const body = problems.map(formatProblem).join('\n\n')
    super(problems.length === 1 ? body : `Mizan found ${problems.length} problems:\n\n${body}`)
    this.name = 'MizanBuildError'
    this.code = first.code
    this.problems = problems
  }
}

/**
 * Renders one problem as the multi-line text a developer reads in the terminal or overlay.
 *
 * @example
 * ```ts
 * formatProblem({ code: 'MIZAN_NO_ROOT', file: 'src/root.tsx', message: 'Missing.', fix: 'Create it.' })
 * // '[MIZAN_NO_ROOT] src/root.tsx: Missing.\nFix: Create it.'
 * ```
 */
export function formatProblem(problem: BuildProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${(problem.column ?? 0) + 1}`
  const exported = problem.exportName === undefined ? '' : ` (export "${problem.exportName}")`
  const frame = problem.frame === undefined ? '' : `\n${problem.frame}`
  return `[${problem.code}] ${where}${exported}: ${problem.message}${frame}\nFix: ${problem.fix}`
}

/**
 * A code frame: the line at `line` (1-based) with two lines of context on each side and a
 * caret under `column` (0-based). Tabs are kept in the caret line so the caret lines up.
 *
 * @example
 * ```ts
 * codeFrame('const a = 1\nconst b = x\n', 2, 10)
 * // '  1 | const a = 1\n> 2 | const b = x\n    |           ^\n  3 | '
 * ```
 */
export function codeFrame(code: string, line: number, column: number): string {
  const lines = code.split(/\r\n|\r|\n/)
  const first = Math.max(1, line - 2)
  const last = Math.min(lines.length, line + 2)
  const width = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? ''
    const gutter = String(n).padStart(width)
    out.push(`${n === line ? '>' : ' '} ${gutter} | ${text}`.trimEnd())
    if (n === line) {
      const pad = text.slice(0, column).replace(/[^\t]/g, ' ')
      out.push(`  ${' '.repeat(width)} | ${pad}^`)
    }
  }
  return out.join('\n')
}

/**
 * Converts UTF-16 offsets into 1-based lines and 0-based columns, using a precomputed index of
 * line starts (a module is scanned once, however many problems it has).
 *
 * @example
 * ```ts
 * const loc = createLocator('a\nbc')
 * loc(3) // { line: 2, column: 1 }
 * ```
 */
export function createLocator(code: string): (offset: number) => { line: number; column: number } {
  const starts = [0]
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i)
    if (c === 10 || (c === 13 && code.charCodeAt(i + 1) !== 10)) starts.push(i + 1)
  }
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) }
  }
}

/**
 * Reports a problem at a node of the module being analysed; the reporter fills in the file,
 * export, position and code frame.
 *
 * @example
 * ```ts
 * report(node, 'MIZAN_POLICY_NOT_STATIC', 'the policy is a variable.', 'Write it inline.')
 * ```
 */
export type ProblemReporter = (at: { readonly start: number }, code: BuildErrorCode, message: string, fix: string) => void
