/**
 * The full loop's backend: a node:http JSON API over an in-memory `node:sqlite` database that
 * caches its reads in Redis (`RedisCache` through `cacheFetch`) and, after a write, purges its
 * own cache and the render Worker through core's `createPurger` — what a real Mizan user's
 * backend does. It counts the requests it receives and can hold a response on a barrier, so
 * tests can land a purge while the Worker is waiting for the origin.
 * @module
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { cacheFetch, createKeyring, createPurger, createSecret } from '@mizan/core'
import type { Purger, PurgeManifest, PurgeResult } from '@mizan/core'
import { RedisCache } from '@mizan/core/redis'
import { prefixKeys } from '../../../core/src/redis/test-server.ts'

/** A post as the API returns it. */
export interface Post {
  slug: string
  title: string
  body: string
}

/** A response held until released: `reached` resolves once a request is waiting on it. */
export interface Barrier {
  readonly reached: Promise<void>
  release(): void
}

/** A running loop origin. */
export interface LoopOrigin {
  readonly url: string
  /** Requests received per path (GETs only: what the Worker's data functions cost the origin). */
  count(path: string): number
  /** The next GET of `path` reads its value, then waits until the barrier is released before answering. */
  hold(path: string): Barrier
  /** Points the purger at the built Worker (known only once `vite preview` runs). */
  connect(options: { edge: string; manifest: PurgeManifest }): void
  /** Updates a post in the database, then purges `post:<slug>` and `posts` (origin cache first, then the edge). */
  write(slug: string, changes: Partial<Omit<Post, 'slug'>>): Promise<PurgeResult>
  /** Sets the unrelated `other` value without purging anything. */
  setOther(value: string): void
  close(): Promise<void>
}

/** Options of {@link startLoopOrigin}. */
export interface LoopOriginOptions {
  readonly redisUrl: string
  /** Unique per test run: the origin's Redis keys live under it. */
  readonly redisPrefix: string
  /** The same `MIZAN_SECRET` the Worker has. */
  readonly secret: string
}

const SEED: Post[] = [
  { slug: 'hello', title: 'Hello v1', body: 'First post' },
  { slug: 'second', title: 'Second v1', body: 'Another post' },
  { slug: 'third', title: 'Third v1', body: 'Yet another post' },
]

/**
 * Starts the origin on a free port with three seeded posts (`hello`, `second`, `third`, titles `… v1`) and an `other` value.
 *
 * @example
 * ```ts
 * const origin = await startLoopOrigin({ redisUrl: 'redis://127.0.0.1:6379', redisPrefix: `t${Date.now()}`, secret })
 * origin.connect({ edge: previewUrl, manifest })
 * await origin.write('hello', { title: 'Hello v2' })
 * ```
 */
export async function startLoopOrigin(options: LoopOriginOptions): Promise<LoopOrigin> {
  const db = new DatabaseSync(':memory:')
  db.exec('CREATE TABLE posts (slug TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL); CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO posts (slug, title, body) VALUES (?, ?, ?)')
  for (const p of SEED) insert.run(p.slug, p.title, p.body)
  db.prepare("INSERT INTO kv (k, v) VALUES ('other', 'other v1')").run()

  const secret = await createSecret(options.secret)
  const keyring = createKeyring(secret)
  const cache = new RedisCache({ url: options.redisUrl, prefix: options.redisPrefix })
  const counts = new Map<string, number>()
  const barriers = new Map<string, { arrive(): void; release(): void; released: Promise<void> }>()
  const waiting = new Set<() => void>()
  let purger: Purger | undefined

  // The origin's own cache: every read through cacheFetch on Redis, tagged like the Worker's entries.
  const cached = <T>(fn: string, params: Record<string, string>, tags: string[], read: () => T): Promise<T> =>
    cacheFetch<T>({
      secret,
      backend: cache,
      context: { fn, version: '1' },
      params,
      policy: { ttl: 3600, swr: 0, staleIfError: 0, tags },
      compute: async () => read(),
    }).then((r) => r.value)

  const routes: [RegExp, (match: RegExpExecArray) => Promise<[number, unknown]>][] = [
    [/^\/api\/posts$/, async () => [200, await cached('api:posts', {}, ['posts'], () => db.prepare('SELECT slug, title FROM posts ORDER BY slug').all())]],
    [/^\/api\/posts\/([\w-]+)$/, async (m) => {
      const slug = m[1]!
      const post = await cached('api:post', { slug }, [`post:${slug}`, 'posts'], () => db.prepare('SELECT slug, title, body FROM posts WHERE slug = ?').get(slug) ?? null)
      return post === null ? [404, { error: 'not found' }] : [200, post]
    }],
    [/^\/api\/other$/, async () => [200, await cached('api:other', {}, ['other'], () => db.prepare("SELECT v AS value FROM kv WHERE k = 'other'").get())]],
    [/^\/api\/herd$/, async () => [200, { value: 'herd' }]],
  ]

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://origin').pathname
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' })
    counts.set(path, (counts.get(path) ?? 0) + 1)
    for (const [pattern, route] of routes) {
      const match = pattern.exec(path)
      if (match === null) continue
      const [status, body] = await route(match)
      const barrier = barriers.get(path)
      if (barrier !== undefined) {
        barriers.delete(path)
        waiting.add(barrier.release)
        barrier.arrive()
        await barrier.released
        waiting.delete(barrier.release)
      }
      return json(status, body)
    }
    json(404, { error: 'no such endpoint' })
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: (error as Error).message }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    count: (path) => counts.get(path) ?? 0,
    hold(path) {
      let arrive!: () => void
      let release!: () => void
      const reached = new Promise<void>((resolve) => (arrive = resolve))
      const released = new Promise<void>((resolve) => (release = resolve))
      barriers.set(path, { arrive, release, released })
      return { reached, release }
    },
    connect({ edge, manifest }) {
      purger = createPurger({ keyring, backend: cache, edges: [edge], manifest, retry: { deadlineMs: 5_000 } })
    },
    async write(slug, changes) {
      if (purger === undefined) throw new Error('loop origin: call connect() before write()')
      const current = db.prepare('SELECT title, body FROM posts WHERE slug = ?').get(slug) as Omit<Post, 'slug'> | undefined
      if (current === undefined) throw new Error(`loop origin: no post ${slug}`)
      db.prepare('UPDATE posts SET title = ?, body = ? WHERE slug = ?').run(changes.title ?? current.title, changes.body ?? current.body, slug)
      return purger.purge({ tags: [`post:${slug}`, 'posts'] })
    },
    setOther(value) {
      db.prepare("UPDATE kv SET v = ? WHERE k = 'other'").run(value)
    },
    async close() {
      for (const release of waiting) release()
      barriers.clear()
      await purger?.close()
      await cache.close()
      await prefixKeys(options.redisUrl, options.redisPrefix, { delete: true })
      db.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
