import { createSecret, encodePurgeBody, hexEncode, MemoryCache, MemoryReplayStore, PURGE_PATH, PURGE_SIGNATURE_HEADER, signPurgeRequest } from '@mizan/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { psrCases, type PsrHarness } from '../../test/psr-cases.ts'
import type { MizanHandler } from './handler.ts'
import { counts, gates, psrHandler } from './psr-app.tsx'

const BASE = 'https://app.example'
const SECRET = hexEncode(crypto.getRandomValues(new Uint8Array(32)))
const env = { MIZAN_SECRET: SECRET }

// One cache for every case (they use their own paths), and two builds over it.
const backend = new MemoryCache()
const errors: string[] = []
const options = { backend, replay: new MemoryReplayStore(), cdn: null, onError: (error: unknown) => void errors.push(String(error)) }
const state = (response: Response) => response.headers.get('x-mizan-cache')
const builds: Record<'a' | 'b', MizanHandler> = { a: psrHandler('b0000000000000a1', options), b: psrHandler('b0000000000000b2', options) }

const harness: PsrHarness = {
  fetch: (path, init = {}) => {
    const headers: Record<string, string> = init.cookie === undefined ? {} : { cookie: init.cookie }
    return builds[init.build ?? 'a'].fetch(new Request(BASE + path, { method: init.method ?? 'GET', headers }), env)
  },
  observe: async () => ({ counts: Object.fromEntries(counts), errors: [...errors] }),
  purge: async (tags, contexts = []) => {
    const body = encodePurgeBody({ id: crypto.randomUUID(), tags, contexts })
    const signature = await signPurgeRequest(await createSecret(SECRET), { method: 'POST', path: PURGE_PATH, body })
    const headers = { [PURGE_SIGNATURE_HEADER]: signature, 'content-type': 'application/json' }
    const response = await builds.a.fetch(new Request(BASE + PURGE_PATH, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> }), env)
    expect(response.status, await response.text()).toBe(200)
  },
}

describe('PSR in Node (MemoryCache)', () => {
  for (const c of psrCases()) it(c.name, () => c.run(harness))
})

describe('a purge racing a prerender', () => {
  it('never leaves the shell prerendered from older data readable', async () => {
    let release = (): void => {}
    gates.set('race', new Promise<void>((resolve) => (release = resolve)))
    const before = counts.get('article') ?? 0
    const racing = harness.fetch('/article/race', { cookie: 'user=lee' })
    // The prerender is inside the article function, waiting: purge now.
    await expect.poll(() => counts.get('article')).toBe(before + 1)
    await harness.purge(['article:race'])
    release()
    gates.delete('race')
    const first = await racing
    expect(state(first)).toMatch(/\+RESUME$/)
    expect(await first.text()).toContain('signed in as lee')
    const next = await harness.fetch('/article/race')
    expect(state(next)).toBe('SHELL-MISS+RESUME')
    await next.arrayBuffer()
    expect(counts.get('article')).toBe(before + 2)
    expect(state(await harness.fetch('/article/race'))).toBe('SHELL-HIT+RESUME')
  })
})

describe('a stale shell', () => {
  it('is resumed at once (SHELL-STALE+RESUME) while one background prerender replaces it', async () => {
    const first = await harness.fetch('/ticker', { cookie: 'user=jo' })
    expect([state(first), await first.text()]).toEqual(['SHELL-MISS+RESUME', expect.stringContaining('<h1>tick 1</h1>')])
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const stale = await harness.fetch('/ticker', { cookie: 'user=kim' })
    expect(state(stale)).toBe('SHELL-STALE+RESUME')
    const html = await stale.text()
    expect(html).toContain('<h1>tick 1</h1>')
    expect(html).toContain('who: kim')
    await expect.poll(async () => {
      const next = await harness.fetch('/ticker')
      return [state(next), /<h1>(tick \d)<\/h1>/.exec(await next.text())?.[1]]
    }).toEqual(['SHELL-HIT+RESUME', 'tick 2'])
  })
})

describe('PSR under vite dev (MIZAN_PAGE_CACHE=off)', () => {
  let html: string
  let response: Response
  beforeAll(async () => {
    response = await builds.a.fetch(new Request(`${BASE}/article/dev`, { headers: { cookie: 'user=ida' } }), { ...env, MIZAN_PAGE_CACHE: 'off' })
    html = await response.text()
  })
  it('renders the whole page with its holes inline, no shell', () => {
    expect([response.status, response.headers.get('x-mizan-cache'), response.headers.get('cache-control')]).toEqual([200, 'BYPASS', 'no-store'])
    expect(html).toContain('<p id="viewer">signed in as ida (ida-dark)</p>')
    expect(html).not.toContain('__mizan_holes')
  })
})
