/**
 * PSR inside real workerd (Miniflare): the PSR app bundled with esbuild, served with the edge
 * backend (Cache API + the purge-state Durable Object, SQLite) and a secret, driven over HTTP
 * by the shared PSR cases; purges are signed `POST /_mizan/purge` requests.
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestWorker } from './support/workerd.ts'
import { createSecret, encodePurgeBody, PURGE_PATH, PURGE_SIGNATURE_HEADER, signPurgeRequest } from '@mizan/core'
import { psrCases, type PsrHarness } from './psr-cases.ts'

const ENTRY = fileURLToPath(new URL('./psr.worker.ts', import.meta.url))
const SECRET = randomBytes(32).toString('hex')
const BASE = 'http://psr.test'

let mf: Miniflare

beforeAll(async () => {
  mf = await startTestWorker(ENTRY, { MIZAN_SECRET: SECRET })
})

afterAll(async () => {
  await mf?.dispose()
})

const harness: PsrHarness = {
  fetch: async (path, init = {}) => {
    const headers: Record<string, string> = {}
    if (init.cookie !== undefined) headers['cookie'] = init.cookie
    if (init.build === 'b') headers['x-test-build'] = 'b'
    // Miniflare's Response is undici's; the cases read it through the standard interface.
    return (await mf.dispatchFetch(BASE + path, { method: init.method ?? 'GET', headers })) as unknown as Response
  },
  observe: async () => (await (await mf.dispatchFetch(`${BASE}/__observe`)).json()) as { counts: Record<string, number>; errors: string[] },
  purge: async (tags, contexts = []) => {
    const body = encodePurgeBody({ id: randomBytes(12).toString('base64url'), tags, contexts })
    const signature = await signPurgeRequest(await createSecret(SECRET), { method: 'POST', path: PURGE_PATH, body })
    const response = await mf.dispatchFetch(BASE + PURGE_PATH, { method: 'POST', body, headers: { [PURGE_SIGNATURE_HEADER]: signature, 'content-type': 'application/json' } })
    expect(response.status, await response.text()).toBe(200)
  },
}

describe('PSR inside workerd (edge backend)', () => {
  for (const c of psrCases()) it(c.name, () => c.run(harness), 20_000)
})
