import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration.ts'
import { PolicyError } from './errors.ts'

describe('parseDuration', () => {
  it('reads seconds and unit strings', () => {
    const cases: Array<[number | string, number]> = [
      [0, 0], [300, 300], ['30s', 30], ['5m', 300], ['1h', 3600], ['1d', 86_400], ['1w', 604_800],
      ['1h30m', 5400], ['1w2d3h4m5s', 604_800 + 2 * 86_400 + 3 * 3600 + 4 * 60 + 5], ['0s', 0], ['90m', 5400],
    ]
    for (const [input, seconds] of cases) expect(parseDuration(input, 'ttl')).toBe(seconds)
  })

  it('says what was wrong and how to write it', () => {
    let error: unknown
    try {
      parseDuration('5 minutes', 'ttl')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PolicyError)
    expect((error as PolicyError).message).toBe(`ttl: "5 minutes" is not a duration; write '5m' or 300 (seconds)`)
    expect((error as PolicyError).code).toBe('MIZAN_POLICY')
  })

  it('refuses everything else', () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 53, '', '300', '5', '5M', '1.5h', '-5m', ' 5m', '5m ', '5 m', 'm', '1y', '5ms']) {
      expect(() => parseDuration(bad, 'swr')).toThrow(PolicyError)
      expect(() => parseDuration(bad, 'swr')).toThrow(/^swr: /)
    }
    expect(() => parseDuration(null as never, 'ttl')).toThrow(/ttl: object is not a duration/)
  })

  it('wants units largest first and once each', () => {
    expect(() => parseDuration('30m1h', 'ttl')).toThrow(/largest first/)
    expect(() => parseDuration('1h1h', 'ttl')).toThrow(/largest first/)
  })

  it('refuses sums beyond safe integers', () => {
    expect(() => parseDuration('99999999999999999w', 'ttl')).toThrow(/too long/)
  })
})
