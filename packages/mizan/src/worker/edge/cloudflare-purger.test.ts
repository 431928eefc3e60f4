import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { MizanError } from '@mizan/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CloudflarePurgeError } from './cloudflare-api.ts'
import { createCloudflarePurger } from './cloudflare-purger.ts'

const TOKEN = 'test-token-with-cache-purge'
const ZONE = '023e105f4ecef8ad9ca31a8372d0c353'

interface Call {
  readonly at: number
  readonly tags: string[]
}

/**
 * A stand-in for Cloudflare's purge endpoint that checks what Cloudflare documents: POST to
 * /client/v4/zones/<zone>/purge_cache, `Authorization: Bearer <token>`, a JSON body
 * `{"tags": [...]}` with 1–100 tags; it answers in the API's envelope and can be told to
 * answer 429 + Retry-After, 5xx or 400 next.
 */
class StandIn {
  readonly calls: Call[] = []
  readonly script: Array<{ status: number; headers?: Record<string, string>; errors?: Array<{ code: number; message: string }> }> = []
  readonly violations: string[] = []
  #server = http.createServer((request, response) => void this.#answer(request, response))

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()))
  }

  async #answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const reply = (status: number, errors: Array<{ code: number; message: string }>, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers })
      response.end(JSON.stringify({ success: errors.length === 0, errors, messages: [], result: errors.length === 0 ? { id: ZONE } : null }))
    }
    if (request.method !== 'POST' || request.url !== `/client/v4/zones/${ZONE}/purge_cache`) {
      this.violations.push(`${request.method} ${request.url}`)
      return reply(404, [{ code: 7003, message: 'Could not route to the requested path' }])
    }
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return reply(403, [{ code: 10000, message: 'Authentication error' }])
    let tags: unknown
    try {
      tags = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { tags?: unknown }).tags
    } catch {
      return reply(400, [{ code: 1012, message: 'Request must contain one of "purge_everything", "files", "tags", "hosts" or "prefixes"' }])
    }
    if (!Array.isArray(tags) || tags.length === 0 || tags.length > 100 || !tags.every((t) => typeof t === 'string')) {
      this.violations.push(`tags: ${JSON.stringify(tags)?.slice(0, 80)}`)
      return reply(400, [{ code: 1015, message: 'A maximum of 100 tags is allowed per request' }])
    }
    this.calls.push({ at: Date.now(), tags: tags as string[] })
    const next = this.script.shift()
    if (next !== undefined) return reply(next.status, next.errors ?? [{ code: 971, message: 'scripted failure' }], next.headers)
    reply(200, [])
  }
}

const standIn = new StandIn()
let apiBase = ''

beforeAll(async () => {
  apiBase = await standIn.start()
})
afterAll(() => standIn.stop())
beforeEach(() => {
  standIn.calls.length = 0
  standIn.script.length = 0
  standIn.violations.length = 0
})

const purger = (extra: Partial<Parameters<typeof createCloudflarePurger>[0]> = {}) =>
  createCloudflarePurger({ token: TOKEN, zone: ZONE, apiBase, coalesceMs: 20, retry: { baseMs: 20, maxMs: 100 }, ...extra })

describe('createCloudflarePurger against a stand-in of the Cloudflare API', () => {
  it('sends 250 tags as 3 calls of at most 100, every tag exactly once', async () => {
    const tags = Array.from({ length: 250 }, (_, i) => `post:${i}`)
    await purger().purgeTags(tags)
    expect(standIn.violations).toEqual([])
    expect(standIn.calls.map((c) => c.tags.length)).toEqual([100, 100, 50])
    expect(standIn.calls.flatMap((c) => c.tags).sort()).toEqual([...tags].sort())
  })

  it('coalesces quick successive calls (and duplicate tags) into one API call', async () => {
    const cdn = purger({ coalesceMs: 50 })
    await Promise.all([cdn.purgeTags(['a', 'b']), cdn.purgeTags(['b', 'c']), cdn.purgeTags(['d'])])
    expect(standIn.calls).toHaveLength(1)
    expect(standIn.calls[0]!.tags.sort()).toEqual(['a', 'b', 'c', 'd'])
    await cdn.purgeTags(['e'])
    expect(standIn.calls).toHaveLength(2)
  })

  it('honours 429 + Retry-After before retrying, then succeeds', async () => {
    standIn.script.push({ status: 429, headers: { 'retry-after': '1' }, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }] })
    await purger().purgeTags(['post:1'])
    expect(standIn.calls).toHaveLength(2)
    expect(standIn.calls[1]!.at - standIn.calls[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('retries 5xx with backoff and gives up after the configured attempts with a typed error', async () => {
    standIn.script.push({ status: 502 })
    await purger().purgeTags(['post:1'])
    expect(standIn.calls).toHaveLength(2)
    for (let i = 0; i < 3; i++) standIn.script.push({ status: 500, errors: [{ code: 10001, message: 'service unavailable' }] })
    const error = await purger({ retry: { attempts: 3, baseMs: 10, maxMs: 20 } }).purgeTags(['post:2']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudflarePurgeError)
    expect((error as CloudflarePurgeError).permanent).toBe(false)
    expect((error as CloudflarePurgeError).message).toContain('service unavailable')
    expect(standIn.calls).toHaveLength(5)
  })

  it('treats other 4xx as permanent: no retry, the API error messages in the error', async () => {
    standIn.script.push({ status: 400, errors: [{ code: 1016, message: 'Invalid tag: bad' }] })
    const error = await purger().purgeTags(['bad']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudflarePurgeError)
    expect(error).toMatchObject({ code: 'MIZAN_PURGE', status: 400, permanent: true, errors: [{ code: 1016, message: 'Invalid tag: bad' }] })
    expect((error as Error).message).toContain('Invalid tag: bad')
    expect(standIn.calls).toHaveLength(1)
    const denied = await createCloudflarePurger({ token: 'wrong', zone: ZONE, apiBase, coalesceMs: 0 }).purgeTags(['x']).catch((e: unknown) => e)
    expect(denied).toMatchObject({ status: 403, permanent: true })
    expect((denied as Error).message).toMatch(/Authentication error.*CF_API_TOKEN/)
  })

  it('rejects bad options at creation, naming each problem', () => {
    const bad = () => createCloudflarePurger({ token: '', zone: 'not a zone', batch: 101 })
    expect(bad).toThrow(MizanError)
    expect(bad).toThrow(/token.*zone.*batch/s)
  })
})
