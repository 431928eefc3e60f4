/**
 * Test support: a real HTTP server on 127.0.0.1 speaking the data and action endpoints' wire
 * format, with a log of the requests it answered.
 * @module
 */
import { createServer, type Server } from 'node:http'

/** What a data function answers in the test server: a value (200) or an explicit reply. */
export type Reply = unknown | { readonly status: number; readonly body: string }

/** A running test server. */
export interface DataServer {
  readonly origin: string
  /** Every request path (`/_mizan/data/<id>?p=<canonical>`, `POST /_mizan/action/<id>`), in order. */
  readonly requests: string[]
  close(): Promise<void>
}

/** Marks a reply that is not a 200 JSON value. */
export function raw(status: number, body: string): Reply {
  return { [RAW]: true, status, body }
}

const RAW = Symbol('raw')

/**
 * Serves `GET /_mizan/data/<id>?p=…` and `POST /_mizan/action/<id>` (answering `{ value }`)
 * from `functions[id](params or input, calls)` (`calls` counts
 * requests for this exact URL); waits
 * `delayMs` first so tests can observe loading states.
 */
export async function startDataServer(
  functions: Record<string, (params: any, calls: number) => Reply | Promise<Reply>>,
  options?: { delayMs?: number },
): Promise<DataServer> {
  const requests: string[] = []
  const calls = new Map<string, number>()
  const server: Server = createServer(async (req, res) => {
    requests.push(req.method === 'POST' ? `POST ${req.url ?? ''}` : req.url ?? '')
    const url = new URL(req.url ?? '/', 'http://x')
    const isAction = req.method === 'POST' && url.pathname.startsWith('/_mizan/action/')
    const id = decodeURIComponent(url.pathname.slice(isAction ? '/_mizan/action/'.length : '/_mizan/data/'.length))
    let body = ''
    for await (const chunk of req) body += String(chunk)
    const fn = Object.hasOwn(functions, id) ? functions[id] : undefined
    await new Promise((r) => setTimeout(r, options?.delayMs ?? 20))
    if (fn === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unknown-function', message: `no function ${id}` } }))
      return
    }
    const count = (calls.get(req.url ?? '') ?? 0) + 1
    calls.set(req.url ?? '', count)
    if (isAction && req.headers['content-type'] !== 'application/json') {
      res.writeHead(415, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unsupported-media-type', message: 'not JSON' } }))
      return
    }
    const reply = await fn(JSON.parse(isAction ? body : url.searchParams.get('p') ?? 'null'), count)
    if (typeof reply === 'object' && reply !== null && RAW in reply) {
      const { status, body } = reply as unknown as { status: number; body: string }
      res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(isAction ? { value: reply } : reply))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}

/** Moves the happy-dom page to `url` without loading anything (what a test server origin needs). */
export function setPageURL(url: string): void {
  ;(window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url)
}
