import { describe, expect, it } from 'vitest'
import { MizanError } from '../errors.ts'
import { MAX_RETRY_AFTER_MS, backoffDelay, parseRetryAfter, resolveRetry } from './backoff.ts'

describe('backoffDelay', () => {
  const retry = { baseMs: 100, maxMs: 1000 }
  it('doubles per attempt up to maxMs, with jitter in the upper half of each step', () => {
    expect(backoffDelay(1, retry, () => 0)).toBe(50)
    expect(backoffDelay(1, retry, () => 1)).toBe(100)
    expect(backoffDelay(3, retry, () => 1)).toBe(400)
    expect(backoffDelay(3, retry, () => 0)).toBe(200)
    expect(backoffDelay(10, retry, () => 1)).toBe(1000)
    expect(backoffDelay(10_000, retry, () => 0.5)).toBe(750)
  })
  it('spreads retries with the default random source', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(4, retry)))
    expect(delays.size).toBeGreaterThan(1)
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(400) // step 800
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T00:00:00Z')
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Thu, 26 Nov 2026 00:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 00:00:00 GMT', now)).toBe(0)
  })
  it('ignores what it cannot read and clamps long waits', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('2.5', now)).toBeUndefined()
    expect(parseRetryAfter('-1', now)).toBeUndefined()
    expect(parseRetryAfter('999999', now)).toBe(MAX_RETRY_AFTER_MS)
  })
})

describe('resolveRetry', () => {
  it('fills defaults and rejects nonsense', () => {
    expect(resolveRetry()).toEqual({ baseMs: 200, maxMs: 30_000, deadlineMs: 30_000, attemptTimeoutMs: 10_000 })
    expect(() => resolveRetry({ baseMs: 0 })).toThrow(MizanError)
    expect(() => resolveRetry({ deadlineMs: Number.NaN })).toThrow(/deadlineMs/)
    expect(() => resolveRetry({ baseMs: 500, maxMs: 100 })).toThrow(/maxMs/)
  })
})
