/**
 * The playground under `vite dev` (the Worker in workerd through Vite): server rendering,
 * hydration, client-side navigation, HMR and routes added/removed without a restart.
 * The built app (`pnpm start`) has its own suite: playground.e2e.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, recordProblems, waitForHydration } from './support/browser.ts'
import { PLAYGROUND_DIR, startPlayground } from './support/playground.ts'
import type { RunningPlayground } from './support/playground.ts'

let browser: Browser
let app: RunningPlayground
beforeAll(async () => {
  browser = await launchBrowser()
  app = await startPlayground('dev')
})
afterAll(async () => {
  await app?.stop()
  await browser?.close()
})

describe('playground (dev)', () => {
  test('pages are rendered on the server (JavaScript disabled), with the session in the viewer hole', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      await context.addCookies([{ name: 'user', value: 'Ada', url: app.url }])
      const page = await context.newPage()
      const home = await page.goto(app.url)
      expect(home?.status()).toBe(200)
      await expect.poll(() => page.locator('.story h2 a').count()).toBe(6)
      expect(await page.getByTestId('viewer').textContent()).toBe('Signed in as Ada')

      const article = await page.goto(`${app.url}/articles/purging-by-tag`)
      expect(article?.status()).toBe(200)
      expect(await page.locator('main h1').textContent()).toBe('One write, one purge')
      expect(await page.locator('.comment').count()).toBe(1)

      expect((await page.goto(`${app.url}/articles/no-such-article`))?.status()).toBe(404)
      expect(await page.locator('main h1').textContent()).toBe('Page not found')
    } finally {
      await context.close()
    }
  })

  test('hydrates without console errors and navigates client-side with <Link>', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const problems = recordProblems(page)
      await page.goto(app.url)
      await waitForHydration(page, problems)
      await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
      await page.getByRole('link', { name: 'One write, one purge' }).click()
      await expect.poll(() => page.locator('main h1').textContent()).toBe('One write, one purge')
      expect(new URL(page.url()).pathname).toBe('/articles/purging-by-tag')
      expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  // Before the route add/remove test: that one makes the dev server regenerate and reload
  // clients, which must not overlap the hydration this test waits for.
  test('editing a component hot-updates the page and keeps its state', async () => {
    const file = path.join(PLAYGROUND_DIR, 'src/components/Sections.tsx')
    const original = fs.readFileSync(file, 'utf8')
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const problems = recordProblems(page)
      await page.goto(app.url)
      await waitForHydration(page, problems)
      const city = page.locator('nav.sections button', { hasText: 'City' })
      await city.click()
      await expect.poll(() => city.getAttribute('aria-pressed')).toBe('true')
      await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7))

      fs.writeFileSync(file, original.replace('All sections', 'Every section'))
      await expect.poll(() => page.locator('nav.sections button').first().textContent(), { timeout: 20_000 }).toBe('Every section')
      expect(await city.getAttribute('aria-pressed')).toBe('true')
      expect(await page.locator('.story').count()).toBe(1)
      expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(7)
      expect(problems).toEqual([])
    } finally {
      fs.writeFileSync(file, original)
      await context.close()
    }
  })

  test('a route file added and removed is served and dropped without a restart', async () => {
    const file = path.join(PLAYGROUND_DIR, 'src/routes/about.tsx')
    const register = path.join(PLAYGROUND_DIR, '.mizan/types/register.d.ts')
    // A bounded fetch: a dev server stuck mid-reload fails the poll with a reason, not the test by its timeout.
    const status = async (): Promise<number> => (await fetch(`${app.url}/about`, { signal: AbortSignal.timeout(10_000) })).status
    expect(await status()).toBe(404)
    try {
      fs.writeFileSync(
        file,
        [
          "import { client } from 'mizan'",
          "import { useAbout } from 'virtual:mizan/hooks'",
          "export const about = client({ ttl: 60 }, async () => ({ text: 'About this playground' }))",
          'export default function About() {',
          '  const about = useAbout({})',
          '  return <h1>{about.text}</h1>',
          '}',
          '',
        ].join('\n'),
      )
      await expect.poll(status, { timeout: 20_000 }).toBe(200)
      expect(await (await fetch(`${app.url}/about`)).text()).toContain('<h1>About this playground</h1>')
      await expect.poll(() => fs.readFileSync(register, 'utf8')).toContain('"/about"')

      const page = await browser.newPage()
      try {
        const problems = recordProblems(page)
        await page.goto(`${app.url}/about`)
        await expect.poll(() => page.locator('main h1, .page > h1').first().textContent()).toBe('About this playground')
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    } finally {
      fs.rmSync(file, { force: true })
    }
    await expect.poll(status, { timeout: 20_000 }).toBe(404)
    await expect.poll(() => fs.readFileSync(register, 'utf8')).not.toContain('"/about"')
  })
})
