import { describe, expect, it } from 'vitest'
import { PolicyError } from './errors.ts'
import { envelopeTimes, policyLifetimes } from './lifetimes.ts'

describe('policyLifetimes / envelopeTimes', () => {
  it('converts seconds to ms, defaulting swr and staleIfError to 0', () => {
    expect(policyLifetimes({ ttl: 300, swr: 3600 })).toEqual({ freshMs: 300_000, swrMs: 3_600_000, errorMs: 0 })
    expect(policyLifetimes({ ttl: 0.25, staleIfError: 1 })).toEqual({ freshMs: 250, swrMs: 0, errorMs: 1_000 })
  })

  it('stacks fresh, stale and error windows', () => {
    expect(envelopeTimes({ freshMs: 10, swrMs: 20, errorMs: 30 }, 1_000)).toEqual({ freshUntil: 1_010, staleUntil: 1_030, errorUntil: 1_060 })
  })

  it.each([
    [{ ttl: -1 }, 'ttl: -1'],
    [{ ttl: Number.NaN }, 'ttl: NaN'],
    [{ ttl: '5m' }, 'ttl: 5m'],
    [{}, 'ttl: undefined'],
    [{ ttl: 1, swr: Infinity }, 'swr: Infinity'],
    [{ ttl: 1, staleIfError: -5 }, 'staleIfError: -5'],
  ])('rejects %j with a PolicyError naming the field', (policy, message) => {
    expect(() => policyLifetimes(policy as never)).toThrow(PolicyError)
    expect(() => policyLifetimes(policy as never)).toThrow(message)
  })
})
