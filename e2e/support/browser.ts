/**
 * Chromium for e2e tests: Debian's `/usr/bin/chromium` driven by `playwright-core` (never a
 * downloaded browser), plus a recorder of console errors/warnings and page errors.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser()
 * const page = await browser.newPage()
 * const problems = recordProblems(page)
 * ```
 * @module
 */
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'

/** Flags that keep Chromium quiet, offline except for the app, and usable as root in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Launches Chromium. Playwright gives every launch a fresh temporary profile directory
 * (`--user-data-dir`) and deletes it on close.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser(); try { … } finally { await browser.close() }
 * ```
 */
export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  })
}

/**
 * Collects console errors and warnings and uncaught page errors from `page`.
 *
 * @example
 * ```ts
 * const problems = recordProblems(page); await page.goto(url); expect(problems).toEqual([])
 * ```
 */
export function recordProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  return problems
}

/**
 * Clicks the front page's "City" section filter until the click takes (the button reports
 * `aria-pressed="true"`), then goes back to "All sections" — proof that React attached to the
 * server-rendered markup. Hydration can take seconds on a loaded 2-core machine, so this waits
 * up to 20 s, and on failure says why (console problems, the page) rather than only that.
 *
 * @example
 * ```ts
 * await waitForHydration(page, problems)
 * ```
 */
export async function waitForHydration(page: Page, problems: readonly string[]): Promise<void> {
  const city = page.locator('nav.sections button', { hasText: 'City' })
  const deadline = Date.now() + 20_000
  let pressed: string | null = null
  while (Date.now() < deadline) {
    await city.click()
    pressed = await city.getAttribute('aria-pressed')
    if (pressed === 'true') {
      await page.locator('nav.sections button').first().click()
      return
    }
    await page.waitForTimeout(100)
  }
  const html = (await page.evaluate(() => document.documentElement.outerHTML)).slice(0, 2500)
  throw new Error(`the section filter never responded (aria-pressed ${JSON.stringify(pressed)}): console problems ${JSON.stringify(problems)}, page ${page.url()}: ${html}`)
}

/**
 * Waits until React has hydrated the form matching `selector` (its element carries a React
 * fiber). Before that a click on its submit button would submit it natively, reloading the page.
 *
 * @example
 * ```ts
 * await waitForReactForm(tab, '.comment-form')
 * ```
 */
export async function waitForReactForm(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((formSelector) => {
    const form = document.querySelector(formSelector)
    return form !== null && Object.keys(form).some((key) => key.startsWith('__reactFiber'))
  }, selector, { timeout: 20_000 })
}
