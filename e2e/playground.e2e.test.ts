/**
 * The playground as `pnpm start` runs it — `scripts/run.ts start`: its backend (node:sqlite,
 * origin cache, purger) + the built render Worker under `vite preview` (workerd) — in Chromium.
 * The whole suite runs twice: with the backend's default in-memory cache and with RedisCache on
 * the real Redis (REDIS_URL, default redis://127.0.0.1:6379, a key prefix of its own). One
 * build is shared: the backend keeps one port, so later starts reuse `dist/`
 * (PLAYGROUND_REUSE_BUILD). Screenshots go to e2e/artifacts/ (gitignored); with
 * UPDATE_SCREENSHOT=1 the front page's is copied to docs/playground.png for the README.
 */
import fs from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, recordProblems, waitForHydration, waitForReactForm } from './support/browser.ts'
import { prefixKeys } from '../packages/core/src/redis/test-server.ts'
import { freePort, startPlayground } from './support/playground.ts'
import type { RunningPlayground } from './support/playground.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
const README_IMAGE = fileURLToPath(new URL('../docs/playground.png', import.meta.url))
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'
const CACHE_STATE = 'x-mizan-cache'

let browser: Browser
let backendPort: number
let built = false
beforeAll(async () => {
  browser = await launchBrowser()
  backendPort = await freePort()
  fs.mkdirSync(ARTIFACTS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
})

/** Starts `pnpm start`'s script; only the first start of the file builds. */
async function start(options: { redisUrl?: string; redisPrefix?: string } = {}): Promise<RunningPlayground> {
  const app = await startPlayground('build', { ...options, backendPort, reuseBuild: built })
  built = true
  return app
}

describe.each([
  { cache: 'memory', redis: false },
  { cache: 'redis', redis: true },
])('playground built and started ($cache cache in the backend)', ({ cache, redis }) => {
  const prefix = `e2e-playground-${process.pid}-${Date.now()}`
  let app: RunningPlayground
  beforeAll(async () => {
    app = await start(redis ? { redisUrl: REDIS_URL, redisPrefix: prefix } : {})
    expect(app.output()).toContain(redis ? 'redis cache' : 'memory cache')
  })
  afterAll(async () => {
    await app?.stop()
    if (redis) await prefixKeys(REDIS_URL, prefix, { delete: true })
  })

  const page = async (context: BrowserContext, pathname: string) => {
    const tab = await context.newPage()
    const response = await tab.goto(app.url + pathname)
    return { tab, status: response?.status(), state: (await response?.allHeaders())?.[CACHE_STATE] }
  }
  const signedIn = async (name: string, javaScriptEnabled = true): Promise<BrowserContext> => {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1100, height: 900 } })
    await context.addCookies([{ name: 'user', value: name, url: app.url }])
    return context
  }
  const state = async (pathname: string): Promise<string | null> => {
    const res = await fetch(app.url + pathname)
    await res.arrayBuffer()
    return res.headers.get(CACHE_STATE)
  }
  const html = async (pathname: string): Promise<string> => (await fetch(app.url + pathname)).text()

  test('the article page is a shell MISS, then a shell HIT whose viewer hole is per reader', async () => {
    const ada = await signedIn('Ada', false)
    const grace = await signedIn('Grace', false)
    try {
      const first = await page(ada, '/articles/partial-static')
      expect(first.status).toBe(200)
      expect(first.state).toBe('SHELL-MISS+RESUME')
      expect(await first.tab.getByTestId('viewer').textContent()).toBe('Signed in as Ada')

      const second = await page(grace, '/articles/partial-static')
      expect(second.state).toBe('SHELL-HIT+RESUME')
      expect(await second.tab.getByTestId('viewer').textContent()).toBe('Signed in as Grace')
      expect(await second.tab.content()).not.toContain('Signed in as Ada')
      expect(await second.tab.locator('main h1').textContent()).toBe('Static shells with personal holes')

      const again = await page(ada, '/articles/partial-static')
      expect(again.state).toBe('SHELL-HIT+RESUME')
      expect(await again.tab.getByTestId('viewer').textContent()).toBe('Signed in as Ada')
      expect(await again.tab.content()).not.toContain('Signed in as Grace')
    } finally {
      await ada.close()
      await grace.close()
    }
  })

  test('reading works with JavaScript disabled (server-rendered), 404s included', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const front = await page(context, '/')
      expect(front.status).toBe(200)
      expect(await front.tab.locator('.story h2 a').allTextContents()).toEqual([
        'Rendering at the edge, explained',
        'One write, one purge',
        'Static shells with personal holes',
        'City council votes for 40 km of bike lanes',
        'The autumn market returns to the old square',
        'Observatory open night draws a record crowd',
      ])
      expect(await front.tab.getByTestId('comments-edge-rendering').textContent()).toBe('2 comments')
      expect(await front.tab.getByTestId('viewer').textContent()).toBe('Not signed in')

      const article = await page(context, '/articles/edge-rendering')
      expect(await article.tab.locator('main h1').textContent()).toBe('Rendering at the edge, explained')
      expect(await article.tab.locator('.comment p').allTextContents()).toEqual([
        'Nanoseconds matter — and so do milliseconds.',
        'How does it know when the data changed?',
      ])
      // The comment form is a hole: without JavaScript its content arrives in the HTML after the
      // shell (React's resume output), not moved into place.
      expect(await article.tab.content()).toContain('Sign in (top right) to join the conversation.')

      const missing = await page(context, '/articles/no-such-article')
      expect(missing.status).toBe(404)
      expect(await missing.tab.locator('main h1').textContent()).toBe('Page not found')
      expect((await page(context, '/no/such/page')).status).toBe(404)
    } finally {
      await context.close()
    }
  })

  test('hydrates without console errors and navigates client-side with <Link>', async () => {
    const context = await browser.newContext()
    try {
      const { tab } = await page(context, '/')
      const problems = recordProblems(tab)
      await waitForHydration(tab, problems)
      await tab.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
      await tab.getByRole('link', { name: 'One write, one purge' }).click()
      await expect.poll(() => tab.locator('main h1').textContent()).toBe('One write, one purge')
      expect(new URL(tab.url()).pathname).toBe('/articles/purging-by-tag')
      expect(await tab.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)
      await tab.goBack()
      await expect.poll(() => tab.locator('.story').count()).toBe(6)
      expect(await tab.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  test('a comment posted through the UI is on the article and counted on the front page at the next load; other articles stay cached', async () => {
    await state('/articles/autumn-market')
    expect(await state('/articles/autumn-market')).toMatch(/HIT/)
    await state('/articles/edge-rendering')

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } })
    try {
      // Sign in the way a reader does: the "Sign in as" buttons in the header.
      const { tab } = await page(context, '/articles/edge-rendering')
      const problems = recordProblems(tab)
      await expect
        .poll(async () => {
          if (await tab.getByTestId('viewer').textContent() !== 'Signed in as Grace') await tab.getByRole('button', { name: 'Grace' }).click({ timeout: 2_000 }).catch(() => {})
          return tab.getByTestId('viewer').textContent()
        }, { timeout: 20_000 })
        .toBe('Signed in as Grace')
      // Before hydration a click would submit the form natively: wait until React owns it.
      await waitForReactForm(tab, '.comment-form')
      const text = `Purged before the answer — ${cache} ${Date.now()}`
      await tab.locator('.comment-form textarea').fill(text)
      await tab.getByRole('button', { name: 'Post comment' }).click()
      // The action's client refetches the page's data once the edge was purged.
      await expect.poll(() => tab.locator('.comment p').allTextContents(), { timeout: 20_000 }).toContain(text)
      expect(await tab.locator('#comments-title').textContent()).toBe('3 comments')
      await tab.screenshot({ path: path.join(ARTIFACTS, `article-${cache}.png`), fullPage: true })

      const reloaded = await page(context, '/articles/edge-rendering')
      expect(reloaded.state).toMatch(/MISS/)
      expect(await reloaded.tab.locator('.comment p').allTextContents()).toContain(text)
      const front = await page(context, '/')
      expect(await front.tab.getByTestId('comments-edge-rendering').textContent()).toBe('3 comments')
      await front.tab.screenshot({ path: path.join(ARTIFACTS, `front-${cache}.png`), fullPage: true })
      if (process.env['UPDATE_SCREENSHOT'] === '1' && !redis) await front.tab.screenshot({ path: README_IMAGE })
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
    expect(await state('/articles/autumn-market')).toMatch(/HIT/)
  })

  test("a write straight to the backend's API is on the next page load: the backend purged the edge before it answered", async () => {
    const pathname = '/articles/observatory-open-night'
    await state(pathname)
    expect(await state(pathname)).toMatch(/HIT/)
    const summary = `Updated through the API (${cache})`
    const res = await fetch(`${app.backendUrl}/api/articles/observatory-open-night`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ summary }),
    })
    expect(res.status).toBe(200)
    const after = await fetch(app.url + pathname)
    expect(after.headers.get(CACHE_STATE)).toMatch(/MISS/)
    expect(await after.text()).toContain(summary)
    expect(await html('/')).toContain(summary)
    if (redis) expect(await prefixKeys(REDIS_URL, prefix)).toBeGreaterThan(0)
  })

  test('an article edited in the editor shows its new title on the front page and the article page; the old title is gone', async () => {
    const oldTitle = 'City council votes for 40 km of bike lanes'
    const newTitle = `Bike lanes approved (${cache})`
    expect(await html('/')).toContain(oldTitle)
    expect(await html('/articles/city-council-bikes')).toContain(oldTitle)

    const context = await signedIn('Linus')
    try {
      const { tab } = await page(context, '/articles/city-council-bikes/edit')
      const problems = recordProblems(tab)
      const title = tab.locator('input[name="title"]')
      await expect.poll(() => title.inputValue()).toBe(oldTitle)
      await tab.screenshot({ path: path.join(ARTIFACTS, `editor-${cache}.png`), fullPage: true })
      // Before hydration a click would submit the form natively (a GET of the editor with the
      // fields in the query, which starts the page and its hydration over): wait until React owns it.
      await waitForReactForm(tab, 'main.editor form')
      await title.fill(newTitle)
      await tab.getByRole('button', { name: 'Save' }).click()
      await expect.poll(() => new URL(tab.url()).pathname, { timeout: 20_000 }).toBe('/articles/city-council-bikes')
      await expect.poll(() => tab.locator('main h1').textContent()).toBe(newTitle)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
    for (const pathname of ['/', '/articles/city-council-bikes']) {
      const body = await html(pathname)
      expect(body).toContain(newTitle)
      expect(body).not.toContain(oldTitle)
    }
  })
})

describe('Ctrl-C', () => {
  test('SIGINT to `pnpm start` stops the render Worker and the backend and exits 0', async () => {
    const app = await start()
    try {
      expect((await fetch(app.url)).status).toBe(200)
      expect((await fetch(`${app.backendUrl}/health`)).status).toBe(200)
      // What a terminal does on Ctrl-C: SIGINT to the whole foreground process group.
      process.kill(-app.child.pid!, 'SIGINT')
      const code = await Promise.race([app.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000))])
      expect(code, app.output()).toBe(0)
      for (const url of [app.url, app.backendUrl]) expect(await portIsFree(Number(new URL(url).port)), `${url} is still taken`).toBe(true)
    } finally {
      await app.stop()
    }
  })
})

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer()
  return new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

