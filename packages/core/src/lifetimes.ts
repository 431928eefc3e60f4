/**
 * A cache policy turned into the three lifetimes of an envelope, in milliseconds.
 * @module
 */

import { PolicyError } from './errors.ts'
import type { CachePolicy } from './types.ts'

/** How long a value is fresh, then stale-while-revalidate, then stale-if-error, in ms. */
export interface Lifetimes {
  readonly freshMs: number
  readonly swrMs: number
  readonly errorMs: number
}

/** The envelope times of a value written at `now`. */
export interface EnvelopeTimes {
  readonly freshUntil: number
  readonly staleUntil: number
  readonly errorUntil: number
}

/**
 * Validates the durations of `policy` (seconds, finite, ≥ 0; fractions allowed) and converts
 * them to ms. Throws `PolicyError` naming the field.
 *
 * @example
 * ```ts
 * policyLifetimes({ ttl: 300, swr: 3600 }) // { freshMs: 300_000, swrMs: 3_600_000, errorMs: 0 }
 * ```
 */
export function policyLifetimes(policy: CachePolicy): Lifetimes {
  if (typeof policy !== 'object' || policy === null) {
    throw new PolicyError(`A cache policy must be an object like { ttl: 300, swr: 3600 }, got ${String(policy)}.`)
  }
  return {
    freshMs: seconds(policy.ttl, 'ttl', true),
    swrMs: seconds(policy.swr, 'swr', false),
    errorMs: seconds(policy.staleIfError, 'staleIfError', false),
  }
}

/**
 * freshUntil = now + ttl, staleUntil = freshUntil + swr, errorUntil = staleUntil + staleIfError.
 *
 * @example
 * ```ts
 * const { errorUntil } = envelopeTimes(policyLifetimes(policy), Date.now())
 * ```
 */
export function envelopeTimes(lifetimes: Lifetimes, now: number): EnvelopeTimes {
  const freshUntil = now + lifetimes.freshMs
  const staleUntil = freshUntil + lifetimes.swrMs
  return { freshUntil, staleUntil, errorUntil: staleUntil + lifetimes.errorMs }
}

function seconds(value: unknown, field: string, required: boolean): number {
  if (value === undefined && !required) return 0
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PolicyError(`${field}: ${String(value)} is not a duration; cache policies take seconds as a finite number ≥ 0, e.g. { ttl: 300, swr: 3600 }.`)
  }
  return Math.round(value * 1000)
}
