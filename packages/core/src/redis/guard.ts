/**
 * Every Redis call of RedisCache goes through a guard: a deadline (a cache must answer
 * fast or not at all — ioredis' own `commandTimeout` does not cover a Cluster's offline
 * queue or a user-supplied client) and a bound on commands waiting for a connection
 * (ioredis' offline queue has none).
 * @module
 */
import type { Cluster, Redis } from 'ioredis'
import { BackendError } from '../errors.ts'

/** The clients RedisCache drives. */
export type RedisClient = Redis | Cluster

/** How long to wait and how many commands may wait for a connection. */
export interface GuardOptions {
  readonly timeoutMs: number
  readonly maxOffline: number
  /**
   * Whether every `close` event empties ioredis' offline queue (true for clients Mizan
   * creates: `maxRetriesPerRequest: 0` flushes it on each failed connection attempt).
   */
  readonly flushedOnClose: boolean
  /**
   * Whether the client applies `commandTimeout` itself to commands sent while it is ready
   * (clients Mizan creates). Then a ready client needs no second timer per command: the hit
   * path is one GET, and a timer per GET is a measurable share of its cost.
   */
  readonly nativeDeadline: boolean
}

/** Runs commands with a deadline and fails fast once too many wait for a connection. */
export class CommandGuard {
  readonly #client: RedisClient
  readonly #options: GuardOptions
  readonly #events: string[]
  #waiting = 0
  readonly #reset = (): void => {
    this.#waiting = 0
  }

  constructor(client: RedisClient, options: GuardOptions) {
    this.#client = client
    this.#options = options
    // ioredis' queue empties when the connection is ready (sent) or ended (rejected); the
    // count is of commands queued since then, because their promises settle at
    // `commandTimeout` while the commands themselves stay queued.
    this.#events = options.flushedOnClose ? ['ready', 'end', 'close'] : ['ready', 'end']
    for (const event of this.#events) client.on(event, this.#reset)
  }

  /** Sends one command (`what` names it in errors); rejects with `BackendError` on failure or after the deadline. */
  run<T>(what: string, send: () => Promise<T>): Promise<T> {
    const { timeoutMs, maxOffline } = this.#options
    const status = this.#client.status
    if (status !== 'ready') {
      if (this.#waiting >= maxOffline) {
        return Promise.reject(
          new BackendError(`RedisCache ${what}: Redis is not connected (status "${status}") and ${maxOffline} commands already wait for it (maxOfflineQueue); failing fast.`),
        )
      }
      this.#waiting += 1
    } else if (this.#options.nativeDeadline) {
      let sent: Promise<T>
      try {
        sent = send()
      } catch (error) {
        return Promise.reject(asBackendError(what, error ?? new Error('unknown error')))
      }
      return sent.catch((error: unknown) => Promise.reject(asBackendError(what, error ?? new Error('unknown error'))))
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new BackendError(`RedisCache ${what}: Redis did not answer within ${timeoutMs} ms (commandTimeoutMs). Check that Redis is reachable and not overloaded.`))
      }, timeoutMs)
      const settle = (error: unknown, value?: T): void => {
        clearTimeout(timer)
        if (error === undefined) resolve(value as T)
        else reject(asBackendError(what, error))
      }
      try {
        send().then((value) => settle(undefined, value), (error: unknown) => settle(error ?? new Error('unknown error')))
      } catch (error) {
        settle(error ?? new Error('unknown error'))
      }
    })
  }

  /** Stops listening to the client (a user-supplied client outlives the cache). */
  dispose(): void {
    for (const event of this.#events) this.#client.off(event, this.#reset)
  }
}

/** `error` as a `BackendError` naming the operation. */
export function asBackendError(what: string, error: unknown): BackendError {
  if (error instanceof BackendError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new BackendError(`RedisCache ${what} failed: ${message}`, { cause: error })
}
