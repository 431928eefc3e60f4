/**
 * Parsing a module with oxc-parser into an ESTree-compatible AST with UTF-16 `start`/`end`
 * offsets, plus the few loose node helpers the compiler's walkers share.
 * @module
 */
import { parseSync, rawTransferSupported, type ParserOptions, type Program } from 'oxc-parser'
import { codeFrame, createLocator, type BuildProblem } from './errors.ts'

/**
 * Any AST node, seen structurally. The compiler walks the whole ESTree/TS-ESTree node set
 * generically, so it reads children by key rather than through the discriminated union.
 */
export interface AnyNode {
  readonly type: string
  readonly start: number
  readonly end: number
  readonly [key: string]: unknown
}

/** A parsed module with the helpers every analysis needs. */
export interface ParsedModule {
  readonly code: string
  readonly file: string
  readonly program: Program
  readonly body: readonly AnyNode[]
  /** Offset → 1-based line, 0-based column. */
  readonly locate: (offset: number) => { line: number; column: number }
}

/**
 * Raw transfer builds the JS AST straight from the parser's memory instead of going through a
 * JSON string: the same ESTree (parse.test.ts compares them), about 3× faster and with far less
 * garbage, which dominated build time. The option is not in oxc-parser's typings yet.
 */
let rawTransfer = rawTransferSupported()

/**
 * Turns raw transfer off (or back on, where supported) for this thread. Raw transfer wins once
 * its JavaScript deserializer is compiled hot; a thread that parses one app's modules once — the
 * analysis thread of a `vite build` — is faster with the JSON route, whose `JSON.parse` is native
 * (measured: a 200-route `vite build` from the command line ~90–150 ms faster).
 *
 * @example
 * ```ts
 * useRawTransfer(false) // in a short-lived worker thread
 * ```
 */
export function useRawTransfer(enabled: boolean): void {
  rawTransfer = enabled && rawTransferSupported()
}

function parseWithOxc(file: string, code: string): ReturnType<typeof parseSync> {
  if (rawTransfer) {
    try {
      return parseSync(file, code, { ...parserOptions(file), experimentalRawTransfer: true } as ParserOptions)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      // Raw transfer reserves 6 GiB of address space, which a memory limit (ulimit -v) can refuse;
      // any other RangeError (a deeply nested AST) only costs this one module the JSON route.
      if (/alloc/i.test(error.message)) rawTransfer = false
    }
  }
  return parseSync(file, code, parserOptions(file))
}

const LANGS = { '.tsx': 'tsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.jsx': 'jsx', '.js': 'jsx', '.mjs': 'js', '.cjs': 'js' } as const

/**
 * Parses `code` as an ES module. The language follows the file extension (`.tsx` when unknown).
 * Syntax errors come back as `MIZAN_PARSE_ERROR` problems with a code frame.
 *
 * @example
 * ```ts
 * const { module, problems } = parseModule('export const a = 1', 'src/routes/index.tsx')
 * module.body[0]?.type // 'ExportNamedDeclaration'
 * ```
 */
export function parseModule(code: string, file: string): { module: ParsedModule; problems: BuildProblem[] } {
  const result = parseWithOxc(file, code)
  const locate = createLocator(code)
  const problems = result.errors.map((error): BuildProblem => {
    const offset = error.labels[0]?.start
    const loc = offset === undefined ? undefined : locate(offset)
    return {
      code: 'MIZAN_PARSE_ERROR', file,
      message: `the module could not be parsed: ${error.message}.`,
      fix: error.helpMessage ?? 'Fix the syntax error.',
      ...(loc === undefined ? {} : { line: loc.line, column: loc.column, frame: codeFrame(code, loc.line, loc.column) }),
    }
  })
  const program = result.program
  return { module: { code, file, program, body: program.body as unknown as AnyNode[], locate }, problems }
}

/**
 * The oxc-parser options Mizan parses `file` with (without the transfer mode, which does not
 * change the AST).
 *
 * @example
 * ```ts
 * parserOptions('src/routes/index.tsx') // { lang: 'tsx', sourceType: 'module', preserveParens: true }
 * ```
 */
export function parserOptions(file: string): ParserOptions {
  const ext = /\.[^./]+$/.exec(file)?.[0] as keyof typeof LANGS | undefined
  return { lang: (ext !== undefined && LANGS[ext]) || 'tsx', sourceType: 'module', preserveParens: true }
}

/**
 * A child node by key, or `undefined` when the slot is empty or not a node.
 *
 * @example
 * ```ts
 * const init = node(declarator, 'init')
 * ```
 */
export function node(parent: AnyNode, key: string): AnyNode | undefined {
  const value = parent[key]
  return isNode(value) ? value : undefined
}

/**
 * The child nodes of a list slot (holes skipped). Read-only: usually the AST's own array (a
 * copy only when the slot has holes) — the walkers call this for every list of every node.
 *
 * @example
 * ```ts
 * for (const arg of nodes(call, 'arguments')) visit(arg)
 * ```
 */
export function nodes(parent: AnyNode, key: string): readonly AnyNode[] {
  const value = parent[key]
  if (!Array.isArray(value)) return NONE
  for (let i = 0; i < value.length; i++) if (!isNode(value[i])) return value.filter(isNode)
  return value as AnyNode[]
}

const NONE: readonly AnyNode[] = Object.freeze([])

/**
 * Whether a value is an AST node.
 *
 * @example
 * ```ts
 * isNode({ type: 'Identifier', start: 0, end: 1 }) // true
 * ```
 */
export function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

/**
 * Strips wrappers that do not change a value at run time: parentheses, `as`, `satisfies`, `!`.
 *
 * @example
 * ```ts
 * unwrap(parse('([1] as const)')) // the ArrayExpression
 * ```
 */
export function unwrap(expr: AnyNode): AnyNode {
  let current = expr
  for (;;) {
    const inner = node(current, 'expression')
    const wrapper = current.type === 'ParenthesizedExpression' || current.type === 'TSAsExpression' ||
      current.type === 'TSSatisfiesExpression' || current.type === 'TSNonNullExpression' || current.type === 'TSTypeAssertion'
    if (!wrapper || inner === undefined) return current
    current = inner
  }
}

/**
 * The value of a string literal or of a template literal without expressions, else `null`.
 *
 * @example
 * ```ts
 * staticString(parse("'posts'")) // 'posts'
 * ```
 */
export function staticString(expr: AnyNode): string | null {
  const e = unwrap(expr)
  if (e.type === 'Literal' && typeof e['value'] === 'string') return e['value']
  if (e.type === 'TemplateLiteral' && nodes(e, 'expressions').length === 0) {
    const quasi = nodes(e, 'quasis')[0]
    const cooked = quasi === undefined ? null : (quasi['value'] as { cooked?: string | null }).cooked
    return typeof cooked === 'string' ? cooked : null
  }
  return null
}
