/**
 * The playground's backend — "your own backend": a JSON API over `node:http` and `node:sqlite`
 * that caches its reads with `@mizan/core` (`MemoryCache`, or `RedisCache` when a Redis URL is
 * given) and, after every write, purges its own cache and the render Worker through the core's
 * purger, answering the write only once the edge acknowledged the purge — so the next read,
 * anywhere, is fresh. The render Worker reaches it through `ctx.origin.fetch()`.
 *
 *   GET   /api/articles                    front page: summaries with comment counts   tags front
 *   GET   /api/articles/:slug              one article with its comments                tags article:<slug>, author:<handle>
 *   POST  /api/articles/:slug/comments     { author, body } → 201 the comment           purges article:<slug>, front, author:<handle>
 *   PATCH /api/articles/:slug              { title?, summary?, body? } → 200 the article  purges the same
 *   GET   /api/stats                       requests served so far (not counted itself)
 *
 * Run alone: `node backend/server.ts` (see {@link backendOptionsFromEnv}); `scripts/run.ts` starts it for you.
 *
 * @example
 * ```ts
 * const backend = await startBackend({ port: 0, dbFile: ':memory:', secret })
 * backend.connect('http://127.0.0.1:4173')   // the render Worker, once it runs
 * await fetch(`${backend.url}/api/articles`)
 * await backend.close()
 * ```
 * @module
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { MemoryCache, cacheFetch, createKeyring, createPurger, createSecret } from '@mizan/core'
import type { CacheBackend, CacheSecret, Purger } from '@mizan/core'
import { openDatabase } from './db.ts'
import type { ArticleEdit, Database } from './db.ts'

/** Options of {@link startBackend}. */
export interface BackendOptions {
  /** Port on 127.0.0.1 (0 picks a free one; default 8790). */
  readonly port?: number
  readonly host?: string
  /** The SQLite file (created and seeded when new), or `':memory:'`. */
  readonly dbFile: string
  /** The render Worker's `MIZAN_SECRET`: the purger signs with it. */
  readonly secret: string
  /** When set, reads are cached in Redis (`RedisCache`) instead of memory. */
  readonly redisUrl?: string
  /** Redis key prefix (default `playground`): give each run its own when they share a Redis. */
  readonly redisPrefix?: string
}

/** A running backend. */
export interface Backend {
  readonly url: string
  readonly port: number
  /** Which origin-side cache it uses. */
  readonly cacheKind: 'memory' | 'redis'
  /** Points the purger at the render Worker (known once it listens). Until then writes purge only the origin cache. */
  connect(edge: string): void
  /** API requests served so far: reads (GET) and writes. */
  stats(): { reads: number; writes: number }
  close(): Promise<void>
}

/** Tags a write to `slug` by `author` purges: the article, the front page, the author's pages. */
export const writeTags = (slug: string, author: string): string[] => [`article:${slug}`, 'front', `author:${author}`]

const MAX_BODY_BYTES = 16 * 1024

class HttpError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

/**
 * Starts the backend: opens (and seeds) the database, the origin cache and the HTTP server.
 *
 * @example
 * ```ts
 * const backend = await startBackend({ port: 8790, dbFile: '.data/news.db', secret: process.env.MIZAN_SECRET! })
 * ```
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const keyring = createKeyring(await createSecret(options.secret))
  const secret: CacheSecret = keyring.current
  const db = openDatabase(options.dbFile)
  const cache = await originCache(options)
  const counts = { reads: 0, writes: 0 }
  let purger: Purger = createPurger({ keyring, backend: cache.backend, edges: [] })

  const api = new Api(db, cache.backend, secret, () => purger, () => ({ ...counts }))
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/') && req.url !== '/api/stats') counts[req.method === 'GET' || req.method === 'HEAD' ? 'reads' : 'writes']++
    api.handle(req).then(
      ([status, body]) => send(res, status, body),
      (error: unknown) =>
        error instanceof HttpError ? send(res, error.status, { error: error.message }) : send(res, 500, { error: error instanceof Error ? error.message : String(error) }),
    )
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8790, host, resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    port,
    cacheKind: cache.kind,
    connect(edge) {
      void purger.close()
      purger = createPurger({ keyring, backend: cache.backend, edges: [edge], retry: { deadlineMs: 10_000 } })
    },
    stats: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          void purger
            .close()
            .then(() => cache.close())
            .finally(() => {
              db.close()
              resolve()
            })
        })
      }),
  }
}

async function originCache(options: BackendOptions): Promise<{ kind: 'memory' | 'redis'; backend: CacheBackend; close(): Promise<void> }> {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    const backend = new MemoryCache()
    return { kind: 'memory', backend, close: async () => {} }
  }
  // Loaded only when asked for, so that the default setup needs no Redis client at all.
  const { RedisCache } = await import('@mizan/core/redis')
  const backend = new RedisCache({ url: options.redisUrl, prefix: options.redisPrefix ?? 'playground' })
  return { kind: 'redis', backend, close: () => backend.close() }
}

/** The routes. Reads go through the origin cache; writes change the database, then purge. */
class Api {
  private readonly db: Database
  private readonly cache: CacheBackend
  private readonly secret: CacheSecret
  private readonly purger: () => Purger
  private readonly stats: () => { reads: number; writes: number }

  constructor(db: Database, cache: CacheBackend, secret: CacheSecret, purger: () => Purger, stats: () => { reads: number; writes: number }) {
    this.db = db
    this.cache = cache
    this.secret = secret
    this.purger = purger
    this.stats = stats
  }

  async handle(req: IncomingMessage): Promise<[number, unknown]> {
    const { pathname } = new URL(req.url ?? '/', 'http://backend')
    const method = req.method ?? 'GET'
    if (pathname === '/health') return [200, { ok: true }]
    if (pathname === '/api/stats') return [200, this.stats()]
    if (pathname === '/api/articles' && method === 'GET') return [200, await this.cached('articles', {}, ['front'], () => this.db.articles())]
    const comment = /^\/api\/articles\/([a-z0-9-]{1,100})\/comments$/.exec(pathname)
    if (comment !== null && method === 'POST') return this.addComment(comment[1]!, await readJson(req))
    const article = /^\/api\/articles\/([a-z0-9-]{1,100})$/.exec(pathname)
    if (article !== null && method === 'GET') return this.article(article[1]!)
    if (article !== null && method === 'PATCH') return this.edit(article[1]!, await readJson(req))
    if (comment !== null || article !== null || pathname === '/api/articles') throw new HttpError(405, `${method} is not allowed on ${pathname}`)
    throw new HttpError(404, `no endpoint ${pathname}`)
  }

  private async article(slug: string): Promise<[number, unknown]> {
    // A missing article is cached too (as null, briefly tagged) so probing slugs does not reach the database each time.
    const found = await this.cached('article', { slug }, [`article:${slug}`], () => {
      const a = this.db.article(slug)
      return a === undefined ? null : a
    })
    return found === null ? [404, { error: `no article "${slug}"` }] : [200, found]
  }

  private async addComment(slug: string, input: Record<string, unknown>): Promise<[number, unknown]> {
    const author = text(input, 'author', 80)
    const body = text(input, 'body', 2000)
    const article = this.db.article(slug)
    if (article === undefined) throw new HttpError(404, `no article "${slug}"`)
    const created = this.db.addComment(slug, author, body)
    await this.purge(writeTags(slug, article.author.handle))
    return [201, created]
  }

  private async edit(slug: string, input: Record<string, unknown>): Promise<[number, unknown]> {
    const edit: ArticleEdit = {}
    if (input['title'] !== undefined) edit.title = text(input, 'title', 200)
    if (input['summary'] !== undefined) edit.summary = text(input, 'summary', 400)
    if (input['body'] !== undefined) edit.body = text(input, 'body', 20_000)
    const updated = this.db.editArticle(slug, edit)
    if (updated === undefined) throw new HttpError(404, `no article "${slug}"`)
    await this.purge(writeTags(slug, updated.author.handle))
    return [200, updated]
  }

  /** Fails closed: the write is saved, but the caller hears that readers may still see old data. */
  private async purge(tags: string[]): Promise<void> {
    try {
      await this.purger().purge({ tags })
    } catch (error) {
      throw new HttpError(503, `saved, but the purge of ${tags.join(', ')} was not acknowledged: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private async cached<T>(fn: string, params: Record<string, string>, tags: string[], read: () => T): Promise<T> {
    const result = await cacheFetch<T>({
      secret: this.secret,
      backend: this.cache,
      context: { fn: `api:${fn}`, version: '1' },
      params,
      policy: { ttl: 300, swr: 0, staleIfError: 0, tags },
      compute: async () => read(),
    })
    return result.value
  }
}

function text(input: Record<string, unknown>, field: string, max: number): string {
  const value = input[field]
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `"${field}" must be a non-empty string`)
  if (value.length > max) throw new HttpError(400, `"${field}" is longer than ${max} characters`)
  return value.trim()
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'send JSON (content-type: application/json)')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  let value: unknown
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'the body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'the body must be a JSON object')
  return value as Record<string, unknown>
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) })
  res.end(json)
}

/**
 * The options `node backend/server.ts` reads from the environment: `BACKEND_PORT` (8790),
 * `PLAYGROUND_DB` (`.data/news.db`), `MIZAN_SECRET` (required), `REDIS_URL`, `REDIS_PREFIX`.
 *
 * @example
 * ```ts
 * const backend = await startBackend(backendOptionsFromEnv(process.env))
 * ```
 */
export function backendOptionsFromEnv(env: NodeJS.ProcessEnv): BackendOptions {
  const secret = env['MIZAN_SECRET']
  if (secret === undefined || secret === '') {
    throw new Error('MIZAN_SECRET is not set: give the backend the render Worker\'s secret (scripts/run.ts does this for you: `pnpm start`)')
  }
  return {
    port: Number(env['BACKEND_PORT'] ?? 8790),
    dbFile: env['PLAYGROUND_DB'] ?? '.data/news.db',
    secret,
    ...(env['REDIS_URL'] ? { redisUrl: env['REDIS_URL'] } : {}),
    ...(env['REDIS_PREFIX'] ? { redisPrefix: env['REDIS_PREFIX'] } : {}),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const backend = await startBackend(backendOptionsFromEnv(process.env))
  if (process.env['MIZAN_EDGE']) backend.connect(process.env['MIZAN_EDGE'])
  process.stdout.write(`backend listening on ${backend.url} (${backend.cacheKind} cache)\n`)
  const stop = (): void => void backend.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
