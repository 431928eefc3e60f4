/**
 * The error a data hook throws (to the nearest error boundary) when the data endpoint
 * answers with a non-2xx status, and the one an action hook's `run` rejects with.
 * @module
 */

/**
 * A failed data request or action: `status` is the HTTP status, `code` the endpoint's stable
 * error code (`not-found`, `invalid-params`, `non-canonical`, `internal`, `purge-failed`, …;
 * `network` when no response arrived), `fn` the data function or action id.
 *
 * @example
 * ```tsx
 * function Fallback({ error }: { error: unknown }) {
 *   if (error instanceof DataError && error.status === 404) return <p>No such post</p>
 *   return <p>Something went wrong</p>
 * }
 * ```
 */
export class DataError extends Error {
  readonly status: number
  readonly code: string
  readonly fn: string
  constructor(fn: string, status: number, code: string, message: string) {
    super(`${fn}: ${message} (${status} ${code})`)
    this.name = 'DataError'
    this.fn = fn
    this.status = status
    this.code = code
  }
}
