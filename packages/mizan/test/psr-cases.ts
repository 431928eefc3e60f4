/**
 * The PSR cases (docs/psr.md), run against the PSR test app through a harness: in Node over a
 * `MemoryCache` (src/worker/psr.test.ts) and inside workerd over the edge backend (Cache API +
 * the purge-state Durable Object, test/psr.test.ts). Each case uses its own paths, so cases
 * can share one cache.
 * @module
 */
import { expect } from 'vitest'

/** What a case can do with the app. */
export interface PsrHarness {
  /** A request to the app of build `a` (default) or `b` (another build id over the same cache). */
  fetch(path: string, init?: { cookie?: string; method?: string; build?: 'a' | 'b' }): Promise<Response>
  /** The app's counters (function runs, counted renders) and the messages of errors reported to `onError`. */
  observe(): Promise<{ counts: Record<string, number>; errors: string[] }>
  /** A signed purge of `tags` (and whole function contexts) through `POST /_mizan/purge`. */
  purge(tags: string[], contexts?: { fn: string; version: string }[]): Promise<void>
}

/** One case. */
export interface PsrCase {
  readonly name: string
  run(h: PsrHarness): Promise<void>
}

const state = (response: Response): string | null => response.headers.get('x-mizan-cache')

/** Counter deltas since `observe` was called. */
async function tracker(h: PsrHarness): Promise<() => Promise<{ delta: (name: string) => number; errors: string[] }>> {
  const before = await h.observe()
  return async () => {
    const after = await h.observe()
    return {
      delta: (name) => (after.counts[name] ?? 0) - (before.counts[name] ?? 0),
      errors: after.errors.slice(before.errors.length),
    }
  }
}

/**
 * The cases, in the order they run.
 *
 * @example
 * ```ts
 * for (const c of psrCases()) it(c.name, () => c.run(harness))
 * ```
 */
export function psrCases(): PsrCase[] {
  return [
    {
      name: 'a shell is prerendered once; each request resumes its holes with its own session, never shareable',
      async run(h) {
        const since = await tracker(h)
        const first = await h.fetch('/article/one', { cookie: 'user=ada' })
        expect([first.status, state(first)]).toEqual([200, 'SHELL-MISS+RESUME'])
        const ada = await first.text()
        expect(ada).toContain('<h1>Title of one</h1>')
        expect(ada).toContain('signed in as ada (ada-dark)')
        expect(ada).toMatch(/<script id="__mizan_holes" type="application\/json">\[.*"ada".*\]<\/script><\/body><\/html>$/)

        const second = await h.fetch('/article/one', { cookie: 'user=bob' })
        expect([second.status, state(second)]).toEqual([200, 'SHELL-HIT+RESUME'])
        expect(second.headers.get('cache-control')).toBe('private, no-store')
        expect(second.headers.has('cache-tag')).toBe(false)
        expect(second.headers.has('etag')).toBe(false)
        const bob = await second.text()
        expect(bob).toContain('signed in as bob (bob-dark)')
        expect(bob).not.toContain('ada')
        // The same shell: everything before the holes' output is byte for byte the same.
        const shellEnd = ada.indexOf('<div hidden id="S:')
        expect(shellEnd).toBeGreaterThan(0)
        expect(bob.slice(0, shellEnd)).toBe(ada.slice(0, shellEnd))
        expect(ada.slice(0, shellEnd)).toContain('<p id="viewer">loading viewer</p>')
        expect(ada.slice(0, shellEnd)).toContain('<link rel="stylesheet" href="/assets/app.css">')

        const { delta, errors } = await since()
        // The cacheable parts rendered once (the prerender) and their function ran once.
        expect([delta('article'), delta('render:body'), delta('viewer'), delta('prefs')]).toEqual([1, 1, 2, 2])
        expect(errors).toEqual([])
      },
    },
    {
      name: 'HEAD of a shell page answers the headers without resuming',
      async run(h) {
        await (await h.fetch('/article/head')).arrayBuffer()
        const since = await tracker(h)
        const head = await h.fetch('/article/head', { method: 'HEAD' })
        expect([head.status, state(head), head.headers.get('cache-control'), await head.text()]).toEqual([200, 'SHELL-HIT+RESUME', 'private, no-store', ''])
        expect((await since()).delta('viewer')).toBe(0)
      },
    },
    {
      name: 'purging a tag the shell carries re-prerenders it; an unrelated purge leaves it a hit',
      async run(h) {
        await (await h.fetch('/article/purged')).arrayBuffer()
        expect(state(await h.fetch('/article/purged'))).toBe('SHELL-HIT+RESUME')
        const since = await tracker(h)
        await h.purge(['article:unrelated'])
        const kept = await h.fetch('/article/purged')
        expect(state(kept)).toBe('SHELL-HIT+RESUME')
        await kept.arrayBuffer()
        expect((await since()).delta('render:body')).toBe(0)

        await h.purge(['article:purged'])
        const again = await h.fetch('/article/purged', { cookie: 'user=cy' })
        expect(state(again)).toBe('SHELL-MISS+RESUME')
        expect(await again.text()).toContain('signed in as cy')
        const { delta } = await since()
        expect([delta('article'), delta('render:body')]).toEqual([1, 1])
        expect(state(await h.fetch('/article/purged'))).toBe('SHELL-HIT+RESUME')
      },
    },
    {
      name: 'a resume reads the shell’s own data: with the data entry purged, no function runs again',
      async run(h) {
        await (await h.fetch('/article/seeded')).arrayBuffer()
        await h.purge([], [{ fn: 'article/[slug]#article', version: '0123456789ab' }])
        const since = await tracker(h)
        const again = await h.fetch('/article/seeded', { cookie: 'user=ann' })
        expect(state(again)).toBe('SHELL-HIT+RESUME')
        expect(await again.text()).toContain('signed in as ann')
        expect((await since()).delta('article')).toBe(0)
      },
    },
    {
      name: 'a shell of another build is never resumed: each build prerenders its own',
      async run(h) {
        await (await h.fetch('/article/builds')).arrayBuffer()
        expect(state(await h.fetch('/article/builds'))).toBe('SHELL-HIT+RESUME')
        const since = await tracker(h)
        const other = await h.fetch('/article/builds', { build: 'b', cookie: 'user=dee' })
        expect(state(other)).toBe('SHELL-MISS+RESUME')
        expect(await other.text()).toContain('signed in as dee')
        // Its data entry is shared (same function version), its shell is not.
        const { delta } = await since()
        expect([delta('article'), delta('render:body')]).toEqual([0, 1])
        expect(state(await h.fetch('/article/builds', { build: 'b' }))).toBe('SHELL-HIT+RESUME')
        expect(state(await h.fetch('/article/builds'))).toBe('SHELL-HIT+RESUME')
      },
    },
    {
      name: 'a failing hole: 200, the rest of the page, the error reported, nothing cached from it',
      async run(h) {
        await (await h.fetch('/article/boom')).arrayBuffer()
        const since = await tracker(h)
        const failing = await h.fetch('/article/boom', { cookie: 'user=eve; boom=1' })
        expect([failing.status, state(failing)]).toEqual([200, 'SHELL-HIT+RESUME'])
        const html = await failing.text()
        expect(html).toContain('<h1>Title of boom</h1>')
        expect(html).toContain('<p id="viewer">loading viewer</p>')
        expect(html).not.toContain('signed in as')
        expect(html).toMatch(/<script id="__mizan_holes" type="application\/json">\[\]<\/script><\/body><\/html>$/)
        expect((await since()).errors).toEqual([expect.stringContaining('the session store is down')])

        const next = await h.fetch('/article/boom', { cookie: 'user=eve' })
        expect(state(next)).toBe('SHELL-HIT+RESUME')
        expect(await next.text()).toContain('signed in as eve')
      },
    },
    {
      name: 'ctx.notFound() in a hole cannot change the status: a hole error',
      async run(h) {
        await (await h.fetch('/article/gone')).arrayBuffer()
        const since = await tracker(h)
        const gone = await h.fetch('/article/gone', { cookie: 'gone=1' })
        expect([gone.status, state(gone)]).toEqual([200, 'SHELL-HIT+RESUME'])
        expect(await gone.text()).toContain('<h1>Title of gone</h1>')
        expect((await since()).errors).toEqual([expect.stringContaining('ctx.notFound()')])
      },
    },
    {
      name: 'notFound() in the cacheable data answers the 404 page, stored nowhere',
      async run(h) {
        const missing = await h.fetch('/article/missing')
        expect([missing.status, state(missing), missing.headers.get('cache-control')]).toEqual([404, 'BYPASS', 'no-store'])
        expect(state(await h.fetch('/article/missing'))).toBe('BYPASS')
      },
    },
    {
      name: 'a hole outside any Suspense boundary: an empty shell, rendered whole, remembered',
      async run(h) {
        const since = await tracker(h)
        const first = await h.fetch('/bare', { cookie: 'user=fay' })
        expect([first.status, state(first), first.headers.get('x-mizan-psr'), first.headers.get('cache-control')]).toEqual([200, 'BYPASS', 'empty-shell', 'no-store'])
        expect(await first.text()).toContain('me: fay')
        expect((await since()).delta('render:bare-heading')).toBe(2)
        const second = await h.fetch('/bare', { cookie: 'user=gus' })
        expect([state(second), second.headers.get('x-mizan-psr')]).toEqual(['BYPASS', 'empty-shell'])
        expect(await second.text()).toContain('me: gus')
        // The verdict is cached: no second prerender, one full render.
        expect((await since()).delta('render:bare-heading')).toBe(3)
      },
    },
    {
      name: 'pages without holes stay plain cached pages',
      async run(h) {
        for (const path of ['/plain', '/maybe']) {
          const first = await h.fetch(path)
          expect([path, state(first)]).toEqual([path, 'MISS'])
          await first.arrayBuffer()
          const hit = await h.fetch(path)
          expect([path, state(hit), hit.headers.get('cache-control'), hit.headers.get('cache-tag')]).toEqual([path, 'HIT', 'public, max-age=0, s-maxage=60', 'info'])
          expect(hit.headers.get('etag')).toMatch(/^"[\w-]{24}"$/)
          expect(hit.headers.has('x-mizan-psr')).toBe(false)
        }
        const since = await tracker(h)
        const priv = await h.fetch('/private', { cookie: 'user=hal' })
        expect([state(priv), priv.headers.get('cache-control')]).toEqual(['BYPASS', 'no-store'])
        expect(await priv.text()).toContain('secret of hal')
        expect(state(await h.fetch('/private'))).toBe('BYPASS')
        expect((await since()).delta('secret')).toBe(2)
      },
    },
  ]
}
