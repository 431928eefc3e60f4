// @vitest-environment happy-dom
// The Worker's real HTML, hydrated by the real browser runtime, then navigated client-side
// against the Worker's real data endpoint (served over node:http).
import { createServer, type Server } from 'node:http'
import { act, fireEvent, within } from '@testing-library/react'
import type { Root } from 'react-dom/client'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi, type MockInstance } from 'vitest'
import { appHandler, clientRoutes, Document, NotFound } from '../worker/test-app.tsx'
import { hydrate } from './client.ts'
import { setPageURL } from './test-data-server.ts'

let server: Server
let origin: string
const requests: string[] = []

beforeAll(async () => {
  const handler = appHandler()
  server = createServer(async (req, res) => {
    requests.push(req.url ?? '')
    const response = await handler.fetch(new Request(origin + req.url, { method: req.method, headers: req.headers as Record<string, string> }), {})
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

let root: Root | undefined
let consoleError: MockInstance<typeof console.error>
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  act(() => root?.unmount())
})

/** console.error calls other than the two this setup causes (see below). */
function reportedErrors(): unknown[][] {
  return consoleError.mock.calls.filter(([message]) => {
    const text = String(message)
    // happy-dom does not load stylesheets; and the Worker's server renderer runs in this same
    // realm as the browser renderer, which React notices (it cannot happen in a real browser).
    return !text.includes('Failed to load external stylesheet') && !text.includes('multiple renderers concurrently')
  })
}

/** Queries the current body (the page replaced the one RTL's `screen` was bound to). */
const screen = () => within(document.body)

async function loadPage(path: string): Promise<void> {
  setPageURL(origin + path)
  const html = await (await fetch(origin + path)).text()
  const inner = /^<!DOCTYPE html><html lang="en">([\s\S]*)<\/html>$/.exec(html)
  if (inner === null) throw new Error('unexpected document: ' + html)
  document.documentElement.setAttribute('lang', 'en')
  document.documentElement.innerHTML = inner[1]!
  requests.length = 0
}

it('hydrates the server HTML without a mismatch or a refetch, then navigates on the client', async () => {
  await loadPage('/posts/hello')
  const heading = document.querySelector('h1')
  root = await act(() => hydrate({ document: Document, routes: clientRoutes, notFound: async () => ({ default: NotFound }) }))
  // Hydration adopted the server's nodes instead of replacing them.
  expect(document.querySelector('h1')).toBe(heading)
  expect(screen().getByText('Hello')).toBeTruthy()
  expect(screen().getByText('anonymous')).toBeTruthy()
  expect(requests).toEqual([])
  expect(reportedErrors()).toEqual([])

  await act(async () => {
    fireEvent.click(screen().getByText('all posts'))
  })
  expect(await screen().findByText('Posts')).toBeTruthy()
  expect(location.pathname).toBe('/')
  expect(requests).toEqual([`/_mizan/data/index%23list?p=${encodeURIComponent('{}')}`])

  await act(async () => {
    fireEvent.click(screen().getByText('evil'))
  })
  expect(await screen().findByText('</script><script>alert(1)</script>')).toBeTruthy()
  expect(location.pathname).toBe('/posts/evil')
  expect(reportedErrors()).toEqual([])
})

it('hydrates the 404 page with the 404 component', async () => {
  await loadPage('/nowhere')
  root = await act(() => hydrate({ document: Document, routes: clientRoutes, notFound: async () => ({ default: NotFound }) }))
  expect(screen().getByText('Nothing here')).toBeTruthy()
  await act(async () => {
    fireEvent.click(screen().getByText('home'))
  })
  expect(await screen().findByText('Posts')).toBeTruthy()
  expect(reportedErrors()).toEqual([])
  expect(reportedErrors()).toEqual([])
})
