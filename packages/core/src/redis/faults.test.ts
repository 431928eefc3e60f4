import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BackendError } from '../errors.ts'
import { cacheFetch } from '../fetch.ts'
import { createSecret } from '../secret.ts'
import { TcpProxy } from '../test-support/tcp-proxy.ts'
import { RedisCache } from './index.ts'
import type { RedisCacheOptions } from './index.ts'
import { freePort, startRedisServer } from './test-server.ts'
import type { RedisServer } from './test-server.ts'
import { bytes, putNow, randomRef, runPrefix, text, timed, waitUntilAnswering } from './test-fixtures.ts'

const TIMEOUT = 250
/** Scheduling slack on a shared 2-core machine; a call may take at most TIMEOUT + MARGIN. */
const MARGIN = 350
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let server: RedisServer
const open: { close(): Promise<void> }[] = []

beforeAll(async () => {
  server = await startRedisServer()
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
})
afterAll(async () => {
  await server.stop()
})

function cache(url: string, options: Partial<RedisCacheOptions> = {}): RedisCache {
  const c = new RedisCache({ url, prefix: runPrefix('fault'), commandTimeoutMs: TIMEOUT, ...options })
  open.push(c)
  return c
}

async function proxy(): Promise<TcpProxy> {
  const p = await TcpProxy.start({ port: server.port })
  open.push(p)
  return p
}

async function expectBackendErrorWithin(ms: number, work: () => Promise<unknown>): Promise<BackendError> {
  const { ms: took, result } = await timed(work)
  expect(result.status).toBe('rejected')
  const error = (result as PromiseRejectedResult).reason
  expect(error).toBeInstanceOf(BackendError)
  expect(took).toBeLessThan(ms)
  return error as BackendError
}

describe('RedisCache faults', () => {
  it('Redis down at start: cacheFetch computes within the timeout; reads and purges fail fast', async () => {
    const backend = cache(`redis://127.0.0.1:${await freePort()}`)
    const secret = await createSecret(Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex'))
    const fetched = await timed(() =>
      cacheFetch({ secret, backend, context: { fn: 'faults#down', version: '1' }, params: { id: 1 }, policy: { ttl: 60 }, compute: async () => ({ v: 'computed' }) }),
    )
    expect(fetched.result).toMatchObject({ status: 'fulfilled', value: { value: { v: 'computed' }, state: 'MISS', stored: false } })
    expect(fetched.ms).toBeLessThan(TIMEOUT + MARGIN)
    await expectBackendErrorWithin(TIMEOUT + MARGIN, () => backend.get(randomRef()))
    await expectBackendErrorWithin(TIMEOUT + MARGIN, () => backend.purge({ tags: ['t'] }))
  })

  it('Redis hung at start: calls fail at the deadline, and beyond maxOfflineQueue at once', async () => {
    const p = await proxy()
    p.hang()
    const backend = cache(p.url, { maxOfflineQueue: 5 })
    const calls = Array.from({ length: 20 }, () => timed(() => backend.get(randomRef())))
    const outcomes = await Promise.all(calls)
    const messages = outcomes.map((o) => String((o.result as PromiseRejectedResult).reason?.message))
    const fast = outcomes.filter((_, i) => messages[i]!.includes('maxOfflineQueue'))
    const timedOut = outcomes.filter((_, i) => messages[i]!.includes(`did not answer within ${TIMEOUT} ms`))
    expect(fast).toHaveLength(15)
    expect(timedOut).toHaveLength(5)
    for (const o of fast) expect(o.ms).toBeLessThan(100)
    for (const o of timedOut) expect(o.ms).toBeLessThan(TIMEOUT + MARGIN)
  })

  for (const fault of ['slow', 'hung'] as const) {
    it(`Redis ${fault}: reads fail open within the timeout, purges fail closed, the retried purge leaves nothing stale`, async () => {
      const p = await proxy()
      const backend = cache(p.url)
      const ref = randomRef()
      expect(await putNow(backend, ref, 'v1', ['item'])).toBe(true)
      const before = await backend.ticket()
      if (fault === 'slow') p.delay(TIMEOUT * 2)
      else p.hang()
      await expectBackendErrorWithin(TIMEOUT + MARGIN, () => backend.get(ref))
      await expectBackendErrorWithin(TIMEOUT + MARGIN, () => backend.purge({ tags: ['item'] }))
      p.heal()
      await waitUntilAnswering(backend)
      await backend.purge({ tags: ['item'] })
      expect(await backend.get(ref)).toBeNull()
      const stale = await backend.put({ ref, bytes: bytes('stale'), tags: ['item'], ttlMs: 60_000, ticket: before })
      expect(stale).toBe(false)
      expect(await backend.get(ref)).toBeNull()
    })
  }

  it('Redis killed mid-run and restarted empty: fails fast while down, refuses tickets from before the crash', async () => {
    const backend = cache(server.url)
    const ref = randomRef()
    expect(await putNow(backend, ref, 'v1', ['item'])).toBe(true)
    const before = await backend.ticket()
    await server.kill()
    await expectBackendErrorWithin(TIMEOUT + MARGIN, () => backend.get(ref))
    await expectBackendErrorWithin(TIMEOUT + MARGIN, () => backend.purge({ tags: ['item'] }))
    await server.restart()
    await waitUntilAnswering(backend)
    // The purge never reached Redis and its markers would be gone anyway: the old ticket must not store.
    expect(await backend.put({ ref, bytes: bytes('stale'), tags: ['item'], ttlMs: 60_000, ticket: before })).toBe(false)
    expect(await backend.put({ ref, bytes: bytes('stale'), tags: [], ttlMs: 60_000, ticket: before })).toBe(false)
    expect(await backend.get(ref)).toBeNull()
    expect(await putNow(backend, ref, 'v2', ['item'])).toBe(true)
    expect(text(await backend.get(ref))).toBe('v2')
  })

  it('a put delivered late, after another process purged, is refused', async () => {
    const p = await proxy()
    const prefix = runPrefix('late')
    const a = cache(p.url, { prefix, commandTimeoutMs: 5_000 })
    const b = cache(server.url, { prefix })
    const ref = randomRef()
    await putNow(a, randomRef(), 'warm-up', ['item']) // loads a's scripts: a first EVALSHA would cost a NOSCRIPT round trip
    const ticket = await a.ticket()
    p.delay(300)
    // a's put: its registration reaches Redis at ~300 ms, its write at ~900 ms; b purges at ~450 ms.
    const put = a.put({ ref, bytes: bytes('computed before the purge'), tags: ['item'], ttlMs: 60_000, ticket })
    await sleep(450)
    await b.purge({ tags: ['item'] })
    expect(await put).toBe(false)
    expect(await b.get(ref)).toBeNull()
  })
})
