/**
 * Durations in cache policies: whole seconds, or a compact string such as `'5m'` or
 * `'1h30m'`. Strictness is deliberate: `'5 minutes'` or `'300'` could each mean several
 * things, and a cache that keeps data 1000× longer than meant is a silent bug.
 *
 * @module
 */
import { PolicyError } from './errors.ts'

const UNIT_SECONDS = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 } as const
const UNIT_ORDER = 'wdhms'
/** One or more `<digits><unit>` parts. */
const DURATION = /^(?:\d+[wdhms])+$/
const PART = /(\d+)([wdhms])/g

/**
 * Seconds in `input`: a non-negative integer (seconds), or a string of `<n><unit>` parts
 * with units `w d h m s` each at most once, largest first (`'30s' '5m' '1h' '1d' '1w'
 * '1h30m'`). Anything else is a `PolicyError` naming `what` and the two accepted forms.
 *
 * @example
 * ```ts
 * parseDuration('1h30m', 'ttl') // 5400
 * parseDuration(300, 'ttl')     // 300
 * parseDuration('5 minutes', 'ttl') // throws PolicyError: ttl: "5 minutes" is not a duration; write '5m' or 300 (seconds)
 * ```
 */
export function parseDuration(input: number | string, what: string): number {
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input) && input >= 0) return input
    throw notADuration(input, what)
  }
  if (typeof input !== 'string' || !DURATION.test(input)) throw notADuration(input, what)
  let seconds = 0
  let lastUnit = -1
  for (const [, digits, unit] of input.matchAll(PART)) {
    const rank = UNIT_ORDER.indexOf(unit!)
    if (rank <= lastUnit) {
      throw new PolicyError(`${what}: ${JSON.stringify(input)} repeats a unit or puts a smaller one first; write units largest first, each once, like '1h30m'`)
    }
    lastUnit = rank
    seconds += Number(digits) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS]
  }
  if (!Number.isSafeInteger(seconds)) throw new PolicyError(`${what}: ${JSON.stringify(input)} is too long to be a duration`)
  return seconds
}

function notADuration(input: unknown, what: string): PolicyError {
  const shown = typeof input === 'string' ? JSON.stringify(input) : typeof input === 'number' ? String(input) : typeof input
  return new PolicyError(`${what}: ${shown} is not a duration; write '5m' or 300 (seconds)`)
}
