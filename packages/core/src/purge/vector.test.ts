import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { deriveSecret } from '../secret.ts'
import { MemoryReplayStore } from './replay.ts'
import { signPurgeRequest } from './sign.ts'
import { verifyPurgeRequest } from './verify.ts'

// The vector published in docs/cache.md §Purge wire protocol; an independent HKDF/HMAC
// implementation (Python's hmac + hashlib) produced the same header.
const VECTOR = {
  secret: Uint8Array.from({ length: 32 }, (_, i) => i),
  body: '{"id":"vector-1","tags":["post:hello"]}',
  now: 1_800_000_000_000,
  header: 'v1;kid=6ea4367dfcb4688b;ts=1800000000;sig=U3S7hmYzenukcHi2M7tkYV_c2aQWUhAQq0UU0n1GTCs',
}

describe('purge signature test vector', () => {
  it('signs to the published header and verifies', async () => {
    const secret = await deriveSecret(VECTOR.secret)
    const body = new TextEncoder().encode(VECTOR.body)
    const header = await signPurgeRequest(secret, { method: 'POST', path: '/_mizan/purge', body, now: VECTOR.now })
    expect(header).toBe(VECTOR.header)
    const request = { method: 'POST', path: '/_mizan/purge', headers: new Headers({ 'mizan-signature': header }), body }
    await expect(verifyPurgeRequest(secret, request, { replay: new MemoryReplayStore(), now: VECTOR.now })).resolves.toEqual({ id: 'vector-1', tags: ['post:hello'] })
  })

  it('is the one docs/cache.md publishes', async () => {
    const docs = await readFile(new URL('../../../../docs/cache.md', import.meta.url), 'utf8')
    const section = docs.slice(docs.indexOf('## Purge wire protocol'))
    expect(section).toContain(VECTOR.header)
    expect(section).toContain(VECTOR.body)
  })
})
