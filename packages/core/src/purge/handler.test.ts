import { beforeAll, describe, expect, it } from 'vitest'
import { cacheGet, cachePut } from '../abi.ts'
import { MemoryCache } from '../memory/index.ts'
import type { CacheSecret } from '../secret.ts'
import { handlePurgeRequest } from './handler.ts'
import { MemoryReplayStore } from './replay.ts'
import { signPurgeRequest } from './sign.ts'
import { randomSecret } from './test-edge.ts'
import { encodePurgeBody } from './wire.ts'

const URL_ = 'https://app.example.com/_mizan/purge'
let secret: CacheSecret
beforeAll(async () => {
  secret = await randomSecret()
})

async function signedRequest(body: Uint8Array, init: { method?: string; type?: string; signer?: CacheSecret } = {}): Promise<Request> {
  const signature = await signPurgeRequest(init.signer ?? secret, { method: 'POST', path: '/_mizan/purge', body })
  return new Request(URL_, { method: init.method ?? 'POST', headers: { 'content-type': init.type ?? 'application/json', 'mizan-signature': signature }, body: body as Uint8Array<ArrayBuffer> })
}

function options(backend = new MemoryCache(), replay = new MemoryReplayStore()) {
  return { keys: secret, replay, backend }
}

describe('handlePurgeRequest', () => {
  it('applies a signed purge and acknowledges it with its id', async () => {
    const backend = new MemoryCache()
    const context = { fn: 'posts#list', version: '1' }
    await cachePut(secret, backend, context, {}, 'list', { ttl: 60, tags: ['posts'] })
    const response = await handlePurgeRequest(await signedRequest(encodePurgeBody({ id: 'ack-1', tags: ['posts'] })), options(backend))
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({ id: 'ack-1', tags: 1, contexts: 0, entries: 0, deleted: 1 })
    expect(await cacheGet(secret, backend, context, {})).toBeUndefined()
  })

  it('answers 401 with the reason for a bad signature and for a replay', async () => {
    const other = await randomSecret()
    const body = encodePurgeBody({ id: 'x', tags: ['posts'] })
    const forged = await handlePurgeRequest(await signedRequest(body, { signer: other }), options())
    expect(forged.status).toBe(401)
    expect(await forged.json()).toMatchObject({ error: 'MIZAN_SIGNATURE', reason: 'unknown-key' })
    const shared = options()
    const request = await signedRequest(body)
    expect((await handlePurgeRequest(request.clone(), shared)).status).toBe(200)
    const replayed = await handlePurgeRequest(request, shared)
    expect(replayed.status).toBe(401)
    expect(await replayed.json()).toMatchObject({ reason: 'replayed' })
  })

  it('answers 405 to other methods and 415 to other content types', async () => {
    const get = await handlePurgeRequest(new Request(URL_), options())
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    const text = await handlePurgeRequest(await signedRequest(encodePurgeBody({ id: 'x', tags: ['a'] }), { type: 'text/plain' }), options())
    expect(text.status).toBe(415)
    const charset = await handlePurgeRequest(await signedRequest(encodePurgeBody({ id: 'x', tags: ['a'] }), { type: 'application/json; charset=utf-8' }), options())
    expect(charset.status).toBe(200)
  })

  it('answers 413 to an oversized body, declared or streamed', async () => {
    const big = new Uint8Array(64 * 1024 + 1).fill(0x20)
    const declared = new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big })
    expect((await handlePurgeRequest(declared, options())).status).toBe(413)
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(16 * 1024))
      },
    })
    const streamed = new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit)
    const response = await handlePurgeRequest(streamed, options())
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'MIZAN_PURGE', path: '$' })
  })

  it('answers 400 to a signed body that breaks the wire format', async () => {
    const response = await handlePurgeRequest(await signedRequest(new TextEncoder().encode('{"id":"x","tags":["a"],"extra":true}')), options())
    expect(response.status).toBe(400)
    expect((await response.json()).message).toContain('"extra"')
  })

  it('answers 503 + Retry-After when the cache fails: never a false success', async () => {
    class Down extends MemoryCache {
      override async purge(): Promise<never> {
        throw new Error('cache down')
      }
    }
    const response = await handlePurgeRequest(await signedRequest(encodePurgeBody({ id: 'x', tags: ['a'] })), options(new Down()))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('1')
    expect(await response.json()).toMatchObject({ error: 'MIZAN_BACKEND' })
  })
})
