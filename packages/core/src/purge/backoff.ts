/**
 * Retry timing for purge delivery: exponential backoff with jitter and `Retry-After`.
 * @module
 */
import { MizanError } from '../errors.ts'

/**
 * How a purger retries edge deliveries.
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { baseMs: 200, maxMs: 30_000, deadlineMs: 30_000 }
 * ```
 */
export interface RetryOptions {
  /** First backoff step in ms (default 200); each retry doubles it. */
  readonly baseMs?: number
  /** Longest backoff between two attempts in ms (default 30,000). */
  readonly maxMs?: number
  /** How long `purge()` waits for every edge before rejecting (default 30,000); retries go on in the background. */
  readonly deadlineMs?: number
  /** Timeout of one HTTP attempt in ms (default 10,000). */
  readonly attemptTimeoutMs?: number
}

/** Retry options with every default filled in. */
export type ResolvedRetry = Required<RetryOptions>

/** A `Retry-After` longer than this is clamped: a purge should not wait hours for one edge. */
export const MAX_RETRY_AFTER_MS = 3_600_000

/** Fills in defaults and rejects nonsense with a config error. */
export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const resolved = {
    baseMs: options.baseMs ?? 200,
    maxMs: options.maxMs ?? 30_000,
    deadlineMs: options.deadlineMs ?? 30_000,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
  }
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new MizanError('MIZAN_CONFIG', `createPurger: retry.${name} must be a positive number of milliseconds, got ${String(value)}.`)
    }
  }
  if (resolved.maxMs < resolved.baseMs) {
    throw new MizanError('MIZAN_CONFIG', `createPurger: retry.maxMs (${resolved.maxMs}) must be at least retry.baseMs (${resolved.baseMs}).`)
  }
  return resolved
}

/**
 * The wait before retry number `attempt` (1 = after the first failure): `baseMs · 2^(attempt-1)`
 * capped at `maxMs`, of which a random half is jitter — so edges that failed together do
 * not retry in lockstep, and the wait is never below half the step.
 */
export function backoffDelay(attempt: number, retry: Pick<ResolvedRetry, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  const step = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(attempt - 1, 52))
  return step / 2 + random() * (step / 2)
}

/**
 * Milliseconds a `Retry-After` header asks to wait (delta-seconds or an HTTP date), clamped
 * to [0, MAX_RETRY_AFTER_MS]; `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  // HTTP dates end in GMT; requiring it keeps Date.parse from reading '2.5' as a day in 2001.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /GMT$/.test(text) ? Date.parse(text) - now : Number.NaN
  if (Number.isNaN(ms)) return undefined
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms))
}
