/**
 * Test support (not exported): a real HTTP server on 127.0.0.1 standing in for a render
 * Worker's purge endpoint. It runs the real `handlePurgeRequest` against a real cache
 * backend, unless a scripted answer is queued for the next request.
 * @module
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import type { CacheBackend } from '../backend.ts'
import { hexEncode } from '../bytes.ts'
import { createSecret } from '../secret.ts'
import type { CacheSecret } from '../secret.ts'
import { handlePurgeRequest } from './handler.ts'
import { MemoryReplayStore } from './replay.ts'
import type { PurgeKeys } from './signature.ts'

/** A canned answer for one request. */
export interface ScriptedAnswer {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string
}

export interface TestEdge {
  readonly url: string
  readonly port: number
  /** Every request that reached the server, scripted or not. */
  readonly requests: { method: string; path: string; signature: string | undefined; body: string }[]
  /** Status codes answered, in order. */
  readonly statuses: number[]
  /** Answers used (first in, first out) before the real handler. */
  readonly script: ScriptedAnswer[]
  close(): Promise<void>
}

export async function startEdge(options: { keys: PurgeKeys; backend: CacheBackend; port?: number }): Promise<TestEdge> {
  const replay = new MemoryReplayStore()
  const requests: TestEdge['requests'] = []
  const statuses: number[] = []
  const script: ScriptedAnswer[] = []
  const server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const signature = req.headers['mizan-signature']
    requests.push({ method: req.method ?? '', path: req.url ?? '', signature: typeof signature === 'string' ? signature : undefined, body: body.toString('utf8') })
    const scripted = script.shift()
    if (scripted !== undefined) {
      statuses.push(scripted.status)
      res.writeHead(scripted.status, scripted.headers ?? {})
      res.end(scripted.body ?? '')
      return
    }
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
    const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 && { body }) })
    const response = await handlePurgeRequest(request, { keys: options.keys, replay, backend: options.backend })
    statuses.push(response.status)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    statuses,
    script,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/** A port that was free a moment ago and has nothing listening on it now. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A fresh random secret, as `openssl rand -hex 32` would make. */
export function randomSecret(): Promise<CacheSecret> {
  return createSecret(hexEncode(randomBytes(32)))
}
