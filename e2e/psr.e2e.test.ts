/**
 * PSR in Chromium (docs/psr.md): a fixture app (e2e/fixtures/psr) built with `vite build` and
 * served by `vite preview` (workerd). Its page has a cacheable story baked into the shell and a
 * slow per-request viewer hole under <Suspense>: the hole's content is in the HTML without
 * JavaScript, and with JavaScript the page hydrates without mismatch and is interactive.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import type { PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildFixture, createFixture, previewFixture } from '../packages/mizan/test/support/fixture.ts'
import type { Fixture } from '../packages/mizan/test/support/fixture.ts'
import type { Page } from 'playwright-core'
import { launchBrowser, recordProblems } from './support/browser.ts'

const SOURCE = fileURLToPath(new URL('./fixtures/psr/', import.meta.url))

/** The fixture's files (path → contents). */
function sources(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name)
    if (entry.isDirectory()) Object.assign(files, sources(dir, relative))
    else files[relative] = fs.readFileSync(path.join(dir, relative), 'utf8')
  }
  return files
}

/** Clicks the counter until a click counts (React attached), for up to 20 s on a loaded machine. */
async function waitForHydration(page: Page, problems: readonly string[]): Promise<void> {
  const counter = page.getByTestId('counter')
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    await counter.click()
    if (/^Clicked [1-9]\d* times$/.test((await counter.textContent()) ?? '')) return
    await page.waitForTimeout(100)
  }
  throw new Error(`the page never became interactive: console problems ${JSON.stringify(problems)}`)
}

let browser: Browser
let app: Fixture
let server: PreviewServer
let url: string
beforeAll(async () => {
  app = createFixture(sources(SOURCE), 'e2e-psr')
  await buildFixture(app.root, { quiet: true })
  ;({ server, url } = await previewFixture(app.root))
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  app?.remove()
})

describe('a PSR page built and previewed', () => {
  test('is served from its shell, its hole resumed per request', async () => {
    await (await fetch(`${url}/first`)).text()
    const response = await fetch(`${url}/first`, { headers: { cookie: 'user=ada' } })
    expect([response.headers.get('x-mizan-cache'), response.headers.get('cache-control')]).toEqual(['SHELL-HIT+RESUME', 'private, no-store'])
    expect(await response.text()).toContain('signed in as ada')
  })

  test('without JavaScript the hole content is in the HTML', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      await context.addCookies([{ name: 'user', value: 'ada', url }])
      const page = await context.newPage()
      const response = await page.goto(`${url}/nojs`)
      expect(response?.headers()['x-mizan-cache']).toMatch(/^SHELL-(MISS|HIT)\+RESUME$/)
      expect(await page.textContent('h1')).toBe('Story nojs')
      // React streams a hole's content after the shell, in a hidden element its script would move.
      expect(await page.content()).toContain('<p id="viewer">signed in as ada</p>')
    } finally {
      await context.close()
    }
  })

  test('with JavaScript it hydrates without mismatch and is interactive, showing this session', async () => {
    const context = await browser.newContext()
    try {
      await context.addCookies([{ name: 'user', value: 'bob', url }])
      const page = await context.newPage()
      const problems = recordProblems(page)
      const dataRequests: string[] = []
      page.on('request', (request) => void (request.url().includes('/_mizan/') && dataRequests.push(request.url())))
      await (await fetch(`${url}/js`)).text()
      const response = await page.goto(`${url}/js`)
      expect(response?.headers()['x-mizan-cache']).toBe('SHELL-HIT+RESUME')
      await waitForHydration(page, problems)
      await expect.poll(() => page.textContent('#viewer')).toBe('signed in as bob')
      expect(await page.isVisible('#viewer')).toBe(true)
      expect(problems).toEqual([])
      // Both payloads (the shell's data and the holes') seeded the store: nothing was fetched again.
      expect(dataRequests).toEqual([])
    } finally {
      await context.close()
    }
  })
})
