/**
 * Output streams of the CLI, replaceable in tests.
 * @module
 */

/**
 * Where a command writes.
 *
 * @example
 * ```ts
 * const io: CliIO = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) }
 * ```
 */
export interface CliIO {
  out(text: string): void
  err(text: string): void
}
