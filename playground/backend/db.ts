/**
 * The playground backend's database: an in-memory `node:sqlite` database seeded with a few
 * posts. Stands in for "your own backend and database" that Mizan's Worker reads from.
 *
 * @example
 * ```ts
 * const db = openDatabase()
 * db.post('hello-mizan')?.title // 'Hello, Mizan'
 * ```
 * @module
 */
import { DatabaseSync } from 'node:sqlite'

/** A post as the API returns it in lists. */
export interface PostSummary {
  slug: string
  title: string
  excerpt: string
  published: string
}

/** A full post. */
export interface Post extends PostSummary {
  body: string
}

const SEED: Post[] = [
  {
    slug: 'hello-mizan',
    title: 'Hello, Mizan',
    excerpt: 'Pages rendered at the edge, cached by protocol.',
    body: 'Mizan renders React pages in a Cloudflare Worker and caches what your data functions allow.',
    published: '2026-11-01',
  },
  {
    slug: 'cache-tags',
    title: 'Purging by tag',
    excerpt: 'One write, one purge, fresh everywhere.',
    body: 'Every cached entry carries the tags of its data. A purge of post:cache-tags drops exactly those.',
    published: '2026-11-10',
  },
  {
    slug: 'partial-static',
    title: 'Partial static rendering',
    excerpt: 'A cached shell with holes for per-user data.',
    body: 'Cacheable data is baked into the shell; client(false) functions render into holes per request.',
    published: '2026-11-20',
  },
]

/** The queries the HTTP layer needs. */
export interface Database {
  posts(): PostSummary[]
  post(slug: string): Post | undefined
  close(): void
}

/**
 * Opens a fresh in-memory database with the seed posts.
 *
 * @example
 * ```ts
 * openDatabase().posts().length // 3
 * ```
 */
export function openDatabase(): Database {
  const db = new DatabaseSync(':memory:')
  db.exec(`CREATE TABLE posts (slug TEXT PRIMARY KEY, title TEXT NOT NULL, excerpt TEXT NOT NULL,
    body TEXT NOT NULL, published TEXT NOT NULL)`)
  const insert = db.prepare('INSERT INTO posts (slug, title, excerpt, body, published) VALUES (?, ?, ?, ?, ?)')
  for (const p of SEED) insert.run(p.slug, p.title, p.excerpt, p.body, p.published)
  const list = db.prepare('SELECT slug, title, excerpt, published FROM posts ORDER BY published DESC, slug')
  const one = db.prepare('SELECT slug, title, excerpt, body, published FROM posts WHERE slug = ?')
  return {
    posts: () => list.all() as unknown as PostSummary[],
    post: (slug) => one.get(slug) as unknown as Post | undefined,
    close: () => db.close(),
  }
}
