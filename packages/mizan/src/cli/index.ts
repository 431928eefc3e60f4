/**
 * The `mizan` command line.
 *
 *   mizan typegen [--root <dir>]   write .mizan/types for the app (run before `tsc --noEmit`)
 *   mizan purge --url <url> …      purge a render Worker's cache (see purge.ts)
 *
 * @example
 * ```ts
 * import { main } from 'mizan/src/cli/index.ts'
 * process.exitCode = await main(['typegen'])
 * ```
 * @module
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadApp } from '../compiler/index.ts'
import { MizanBuildError } from '../compiler/index.ts'
import { TYPES_DIR, writeTypes } from '../vite/typegen.ts'
import type { CliIO } from './io.ts'
import { purgeCommand } from './purge.ts'

export type { CliIO } from './io.ts'

const USAGE = `Usage: mizan <command> [options]

Commands:
  typegen [--root <dir>]   Write the generated types (${TYPES_DIR}) for the app in <dir> (default: .)
  purge --url <url> [--tag <tag>]... [--fn <id> [--params <json>]]
                           Purge the render Worker's cache (secret from MIZAN_SECRET); see mizan purge --help

Options:
  -h, --help               Show this help
`

const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
}

/**
 * Runs the CLI with `argv` (without `node` and the script); resolves to the exit code.
 *
 * @example
 * ```ts
 * await main(['typegen', '--root', 'playground']) // 0
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE)
    return command === undefined ? 1 : 0
  }
  if (command === 'purge') return purgeCommand(rest, io)
  if (command !== 'typegen') {
    io.err(`mizan: unknown command "${command}".\n\n${USAGE}`)
    return 2
  }
  let root: string
  try {
    const { values } = parseArgs({ args: [...rest], options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
    if (values.help) {
      io.out(USAGE)
      return 0
    }
    root = path.resolve(values.root ?? '.')
  } catch (error) {
    io.err(`mizan typegen: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  return await typegen(root, io)
}

async function typegen(root: string, io: CliIO): Promise<number> {
  try {
    const changed = await writeTypes(root, await loadApp(root))
    const shown = changed.map((file) => path.relative(root, path.resolve(root, TYPES_DIR, file)).split(path.sep).join('/'))
    io.out(shown.length === 0 ? `mizan: ${TYPES_DIR} is up to date\n` : `mizan: wrote ${shown.join(', ')}\n`)
    return 0
  } catch (error) {
    if (error instanceof MizanBuildError) {
      io.err(`${error.message}\n`)
      return 1
    }
    throw error
  }
}
