/**
 * The playground's backend: a tiny JSON API over `node:http` and `node:sqlite`. The render
 * Worker reaches it through `ctx.origin.fetch()` (Worker var `MIZAN_ORIGIN`).
 *
 * Run: `node backend/server.ts` (PORT, default 8790). Import: `startBackend({ port: 0 })`.
 *
 * @example
 * ```ts
 * const backend = await startBackend({ port: 0 })
 * await fetch(`${backend.url}/api/posts`)
 * await backend.close()
 * ```
 * @module
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { openDatabase } from './db.ts'
import type { Database } from './db.ts'

/** A running backend. */
export interface Backend {
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Starts the backend on 127.0.0.1 (port 0 picks a free port).
 *
 * @example
 * ```ts
 * const { url } = await startBackend({ port: 8790 })
 * ```
 */
export async function startBackend(options: { port?: number; host?: string } = {}): Promise<Backend> {
  const db = openDatabase()
  const server = createServer((req, res) => handle(db, req, res))
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8790, host, resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          db.close()
          resolve()
        })
      }),
  }
}

function handle(db: Database, req: IncomingMessage, res: ServerResponse): void {
  const { pathname } = new URL(req.url ?? '/', 'http://backend')
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' })
  if (pathname === '/health') return send(res, 200, { ok: true })
  if (pathname === '/api/posts') return send(res, 200, db.posts())
  const match = /^\/api\/posts\/([a-z0-9-]+)$/.exec(pathname)
  if (match) {
    const post = db.post(match[1]!)
    return post ? send(res, 200, post) : send(res, 404, { error: 'post not found' })
  }
  send(res, 404, { error: 'not found' })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) })
  res.end(json)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const backend = await startBackend({ port: Number(process.env['PORT'] ?? 8790) })
  process.stdout.write(`backend listening on ${backend.url}\n`)
  const stop = (): void => void backend.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
