/**
 * The playground in a real browser, in dev (workerd through Vite, HMR) and after a build
 * (the built Worker under `vite preview`).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, recordProblems, waitForHydration } from './support/browser.ts'
import { PLAYGROUND_DIR, startPlayground } from './support/playground.ts'
import type { RunningPlayground } from './support/playground.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

for (const mode of ['dev', 'build'] as const) {
  describe(`playground (${mode})`, () => {
    let app: RunningPlayground
    beforeAll(async () => {
      app = await startPlayground(mode)
    })
    afterAll(async () => {
      await app?.stop()
    })

    test('pages are rendered on the server (JavaScript disabled)', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        const home = await page.goto(app.url)
        expect(home?.status()).toBe(200)
        await expect.poll(() => page.locator('h1').textContent()).toBe('Latest posts')
        expect(await page.locator('.posts li a').allTextContents()).toEqual(['Partial static rendering', 'Purging by tag', 'Hello, Mizan'])
        expect(await page.getByTestId('viewer').textContent()).toBe('Not signed in')

        const post = await page.goto(`${app.url}/posts/cache-tags`)
        expect(post?.status()).toBe(200)
        expect(await page.locator('h1').textContent()).toBe('Purging by tag')

        const missingPost = await page.goto(`${app.url}/posts/no-such-post`)
        expect(missingPost?.status()).toBe(404)
        expect(await page.locator('h1').textContent()).toBe('Page not found')
        const missingPage = await page.goto(`${app.url}/no/such/page`)
        expect(missingPage?.status()).toBe(404)
      } finally {
        await context.close()
      }
    })

    test('the session reaches a client(false) function', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        await context.addCookies([{ name: 'user', value: 'ada', url: app.url }])
        const page = await context.newPage()
        await page.goto(`${app.url}/posts/hello-mizan`)
        expect(await page.getByTestId('viewer').textContent()).toBe('Reading as ada')
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
        await page.getByRole('link', { name: 'Purging by tag' }).click()
        await expect.poll(() => page.locator('h1').textContent()).toBe('Purging by tag')
        expect(new URL(page.url()).pathname).toBe('/posts/cache-tags')
        expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)

        await page.goBack()
        await expect.poll(() => page.locator('h1').textContent()).toBe('Latest posts')
        expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)
        expect(problems).toEqual([])
      } finally {
        await context.close()
      }
    })

    if (mode === 'dev') {
      // Before the route add/remove test: that one makes the dev server regenerate and reload
      // clients, which must not overlap the hydration this test waits for.
      test('editing a component hot-updates the page and keeps its state', async () => {
        const file = path.join(PLAYGROUND_DIR, 'src/components/Counter.tsx')
        const original = fs.readFileSync(file, 'utf8')
        const context = await browser.newContext()
        try {
          const page = await context.newPage()
          const problems = recordProblems(page)
          await page.goto(app.url)
          const counter = page.getByTestId('counter')
          await waitForHydration(page, problems)
          await counter.click()
          const before = Number(/\d+/.exec((await counter.textContent()) ?? '')?.[0])
          await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7))

          fs.writeFileSync(file, original.replace('Clicked {count} times', 'Pressed {count} times'))
          await expect.poll(() => counter.textContent(), { timeout: 20_000 }).toBe(`Pressed ${before} times`)
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
        const status = async (): Promise<number> => (await fetch(`${app.url}/about`)).status
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
            await expect.poll(() => page.locator('h1').textContent()).toBe('About this playground')
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
    }
  })
}
