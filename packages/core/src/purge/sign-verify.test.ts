import { beforeAll, describe, expect, it } from 'vitest'
import { MizanError, SignatureError } from '../errors.ts'
import { createKeyring } from '../secret.ts'
import type { CacheSecret } from '../secret.ts'
import { MemoryReplayStore } from './replay.ts'
import { signPurgeRequest } from './sign.ts'
import type { PurgeKeys } from './signature.ts'
import { randomSecret } from './test-edge.ts'
import { verifyPurgeRequest } from './verify.ts'
import type { PurgeRequestToVerify } from './verify.ts'
import { PurgeBodyError, encodePurgeBody } from './wire.ts'
import type { PurgeBody } from './wire.ts'

const PATH = '/_mizan/purge'
const T = 1_800_000_000_000
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BODY: PurgeBody = { id: 'p1', tags: ['post:hello'] }

let a: CacheSecret
let b: CacheSecret
let c: CacheSecret
beforeAll(async () => {
  ;[a, b, c] = await Promise.all([randomSecret(), randomSecret(), randomSecret()])
})

async function signed(keys: PurgeKeys, body: PurgeBody = BODY, now = T): Promise<PurgeRequestToVerify> {
  const bytes = encodePurgeBody(body)
  const signature = await signPurgeRequest(keys, { method: 'POST', path: PATH, body: bytes, now })
  return { method: 'POST', path: PATH, headers: new Headers({ 'mizan-signature': signature }), body: bytes }
}

function verify(keys: PurgeKeys, request: PurgeRequestToVerify, now = T): Promise<PurgeBody> {
  return verifyPurgeRequest(keys, request, { replay: new MemoryReplayStore(), now })
}

async function reason(promise: Promise<unknown>): Promise<SignatureError['reason']> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SignatureError)
    return (error as SignatureError).reason
  }
  throw new Error('verification accepted the request')
}

function withHeader(request: PurgeRequestToVerify, header: string): PurgeRequestToVerify {
  return { ...request, headers: new Headers({ 'mizan-signature': header }) }
}

describe('signPurgeRequest', () => {
  it('emits one v1 signature per key, current first', async () => {
    const request = await signed(createKeyring(a, b))
    const header = request.headers.get('mizan-signature')!
    const parts = header.split(', ')
    expect(parts).toHaveLength(2)
    for (const part of parts) expect(part).toMatch(/^v1;kid=[0-9a-f]{16};ts=1800000000;sig=[A-Za-z0-9_-]{43}$/)
    expect(parts[0]).toContain(`kid=${a.keyId}`)
    expect(parts[1]).toContain(`kid=${b.keyId}`)
  })

  it('refuses a path with a query or without a leading slash, and a non-method', async () => {
    const body = encodePurgeBody(BODY)
    await expect(signPurgeRequest(a, { method: 'POST', path: '/_mizan/purge?x=1', body })).rejects.toThrow(MizanError)
    await expect(signPurgeRequest(a, { method: 'POST', path: '_mizan/purge', body })).rejects.toThrow(/must start with '\/'/)
    await expect(signPurgeRequest(a, { method: 'PO ST', path: PATH, body })).rejects.toThrow(/not an HTTP method/)
  })
})

describe('verifyPurgeRequest', () => {
  it('accepts a signed request and returns its body', async () => {
    expect(await verify(a, await signed(a))).toEqual(BODY)
  })

  it('treats the method case-insensitively (it is signed uppercase)', async () => {
    const request = await signed(a)
    expect(await verify(a, { ...request, method: 'post' })).toEqual(BODY)
  })

  describe('tampering with each signed field', () => {
    it('method → mismatch', async () => {
      expect(await reason(verify(a, { ...(await signed(a)), method: 'PUT' }))).toBe('mismatch')
    })

    it('path → mismatch', async () => {
      expect(await reason(verify(a, { ...(await signed(a)), path: '/_mizan/purge/' }))).toBe('mismatch')
      expect(await reason(verify(a, { ...(await signed(a)), path: '/other/_mizan/purge' }))).toBe('mismatch')
    })

    it('body → mismatch', async () => {
      const request = await signed(a)
      const body = encodePurgeBody({ id: 'p1', tags: ['post:hellp'] })
      expect(await reason(verify(a, { ...request, body }))).toBe('mismatch')
    })

    it('timestamp → mismatch', async () => {
      const request = await signed(a)
      const header = request.headers.get('mizan-signature')!.replace('ts=1800000000', 'ts=1800000001')
      expect(await reason(verify(a, withHeader(request, header)))).toBe('mismatch')
    })

    it('key id → mismatch when swapped for another known key, unknown-key otherwise', async () => {
      const request = await signed(a)
      const header = request.headers.get('mizan-signature')!
      expect(await reason(verify(createKeyring(a, b), withHeader(request, header.replace(a.keyId, b.keyId))))).toBe('mismatch')
      expect(await reason(verify(a, withHeader(request, header.replace(a.keyId, '0123456789abcdef'))))).toBe('unknown-key')
    })

    it('signature → mismatch (flipped), malformed (truncated or non-canonical)', async () => {
      const request = await signed(a)
      const header = request.headers.get('mizan-signature')!
      const sig = header.slice(header.indexOf('sig=') + 4)
      const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
      expect(await reason(verify(a, withHeader(request, header.replace(sig, flipped))))).toBe('mismatch')
      expect(await reason(verify(a, withHeader(request, header.replace(sig, sig.slice(0, 42)))))).toBe('malformed')
      // The last character carries 2 unused bits; a non-zero value is another spelling of the same MAC.
      const respelled = sig.slice(0, 42) + ALPHABET[ALPHABET.indexOf(sig.at(-1)!) | 1]!
      expect(await reason(verify(a, withHeader(request, header.replace(sig, respelled))))).toBe('malformed')
    })
  })

  it('missing and malformed headers', async () => {
    const request = await signed(a)
    expect(await reason(verify(a, { ...request, headers: new Headers() }))).toBe('missing')
    expect(await reason(verify(a, withHeader(request, ' ')))).toBe('missing')
    expect(await reason(verify(a, withHeader(request, 'garbage')))).toBe('malformed')
    expect(await reason(verify(a, withHeader(request, 'v2;kid=x;ts=1;sig=y')))).toBe('malformed')
    const header = request.headers.get('mizan-signature')!
    expect(await reason(verify(a, withHeader(request, `${header};extra=1`)))).toBe('malformed')
    expect(await reason(verify(a, withHeader(request, Array(9).fill(header).join(','))))).toBe('malformed')
  })

  it('ignores signatures of other versions next to a v1 one', async () => {
    const request = await signed(a)
    const header = `v2;alg=future;sig=abc, ${request.headers.get('mizan-signature')!}`
    expect(await verify(a, withHeader(request, header))).toEqual(BODY)
  })

  it('accepts timestamps within ±300 s and rejects beyond as expired', async () => {
    const request = await signed(a)
    for (const skew of [-300_000, -299_000, 299_000, 300_000]) expect(await verify(a, request, T + skew)).toEqual(BODY)
    for (const skew of [-301_000, 301_000, 86_400_000]) expect(await reason(verify(a, request, T + skew))).toBe('expired')
  })

  it('honours a custom window', async () => {
    const request = await signed(a)
    const options = { replay: new MemoryReplayStore(), now: T + 61_000, windowSec: 60 }
    expect(await reason(verifyPurgeRequest(a, request, options))).toBe('expired')
    await expect(verifyPurgeRequest(a, request, { ...options, windowSec: 0 })).rejects.toThrow(/windowSec/)
  })

  it('rejects a replay within the window, also when the replay keeps only one signature of a rotation', async () => {
    const replay = new MemoryReplayStore()
    const keyring = createKeyring(a, b)
    const request = await signed(keyring)
    expect(await verifyPurgeRequest(keyring, request, { replay, now: T })).toEqual(BODY)
    expect(await reason(verifyPurgeRequest(keyring, request, { replay, now: T + 1000 }))).toBe('replayed')
    for (const part of request.headers.get('mizan-signature')!.split(', ')) {
      expect(await reason(verifyPurgeRequest(keyring, withHeader(request, part), { replay, now: T + 2000 }))).toBe('replayed')
    }
    // The same purge signed again (a retry, fresh timestamp) is a new request.
    expect(await verifyPurgeRequest(keyring, await signed(keyring, BODY, T + 1000), { replay, now: T + 2000 })).toEqual(BODY)
  })

  it('supports key rotation: a [new, old] signer satisfies old-only, new-only and both verifiers', async () => {
    const request = await signed(createKeyring(b, a))
    expect(await verify(a, request)).toEqual(BODY)
    expect(await verify(b, request)).toEqual(BODY)
    expect(await verify(createKeyring(a, b), request)).toEqual(BODY)
    expect(await verify(createKeyring(b, a), request)).toEqual(BODY)
    expect(await reason(verify(c, request))).toBe('unknown-key')
  })

  it('refuses an oversized body before touching the signature', async () => {
    const request = await signed(a)
    const body = new Uint8Array(64 * 1024 + 1)
    await expect(verifyPurgeRequest(a, { ...request, body, headers: new Headers() }, { replay: new MemoryReplayStore() }))
      .rejects.toThrow(expect.objectContaining({ status: 413 }))
  })

  it('reports a correctly signed but invalid body as a body error', async () => {
    const body = new TextEncoder().encode('{"id":"p1"}')
    const signature = await signPurgeRequest(a, { method: 'POST', path: PATH, body, now: T })
    const request = { method: 'POST', path: PATH, headers: new Headers({ 'mizan-signature': signature }), body }
    await expect(verify(a, request)).rejects.toThrow(PurgeBodyError)
  })
})
