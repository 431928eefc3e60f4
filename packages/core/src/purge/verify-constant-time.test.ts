/**
 * Verification must decide by `timingSafeEqual` over two fixed-length MACs and by nothing
 * else. The real `#crypto` runs underneath; the wrapper only records the calls and, in one
 * test, overrides the answer — if any other comparison took part, that test would fail.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SignatureError } from '../errors.ts'
import { MemoryReplayStore } from './replay.ts'
import { signPurgeRequest } from './sign.ts'
import { randomSecret } from './test-edge.ts'
import { verifyPurgeRequest } from './verify.ts'
import { encodePurgeBody } from './wire.ts'

const calls = vi.hoisted(() => ({ lengths: [] as [number, number][], results: [] as boolean[], override: undefined as boolean | undefined }))

vi.mock('#crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('#crypto')>()
  return {
    ...real,
    timingSafeEqual(x: Uint8Array, y: Uint8Array): boolean {
      calls.lengths.push([x.length, y.length])
      const result = calls.override ?? real.timingSafeEqual(x, y)
      calls.results.push(result)
      return result
    },
  }
})

afterEach(() => {
  calls.lengths.length = 0
  calls.results.length = 0
  calls.override = undefined
})

async function request(tamper: (header: string) => string = (h) => h) {
  const secret = await randomSecret()
  const body = encodePurgeBody({ id: 'ct', tags: ['posts'] })
  const header = await signPurgeRequest(secret, { method: 'POST', path: '/_mizan/purge', body })
  return { secret, request: { method: 'POST', path: '/_mizan/purge', headers: new Headers({ 'mizan-signature': tamper(header) }), body } }
}

describe('MAC comparison', () => {
  it('compares two 32-byte MACs with timingSafeEqual when the signature is valid', async () => {
    const { secret, request: r } = await request()
    await verifyPurgeRequest(secret, r, { replay: new MemoryReplayStore() })
    expect(calls.lengths).toEqual([[32, 32]])
    expect(calls.results).toEqual([true])
  })

  it('compares two 32-byte MACs with timingSafeEqual when the signature is wrong', async () => {
    const { secret, request: r } = await request((h) => h.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')))
    await expect(verifyPurgeRequest(secret, r, { replay: new MemoryReplayStore() })).rejects.toThrow(SignatureError)
    expect(calls.lengths).toEqual([[32, 32]])
    expect(calls.results).toEqual([false])
  })

  it('lets timingSafeEqual alone decide: forced true accepts a wrong MAC, forced false rejects a right one', async () => {
    const wrong = await request((h) => h.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')))
    calls.override = true
    await expect(verifyPurgeRequest(wrong.secret, wrong.request, { replay: new MemoryReplayStore() })).resolves.toMatchObject({ id: 'ct' })
    const right = await request()
    calls.override = false
    await expect(verifyPurgeRequest(right.secret, right.request, { replay: new MemoryReplayStore() })).rejects.toMatchObject({ reason: 'mismatch' })
  })
})
