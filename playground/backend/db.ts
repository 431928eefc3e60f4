/**
 * The news site's database: `node:sqlite` in a file (created and seeded on first start) or in
 * memory. It stands in for "your own backend's database" that Mizan's Worker never touches.
 *
 * @example
 * ```ts
 * const db = openDatabase(':memory:')
 * db.article('edge-rendering')?.title // 'Rendering at the edge, explained'
 * ```
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { SEED_ARTICLES, SEED_AUTHORS, SEED_COMMENTS } from './seed.ts'

/** An author of articles. */
export interface Author {
  handle: string
  name: string
}

/** An article as the front page lists it. */
export interface ArticleSummary {
  slug: string
  title: string
  summary: string
  section: string
  author: Author
  published: string
  comments: number
}

/** A comment under an article. */
export interface Comment {
  id: number
  author: string
  body: string
  created: string
}

/** An article with its body and comments. */
export interface Article extends ArticleSummary {
  body: string
  updated: string
  commentList: Comment[]
}

/** The fields an editor may change. */
export interface ArticleEdit {
  title?: string
  summary?: string
  body?: string
}

/** The queries and writes the HTTP layer needs. */
export interface Database {
  /** Newest first, with comment counts. */
  articles(): ArticleSummary[]
  article(slug: string): Article | undefined
  /** Adds a comment; `undefined` when the article does not exist. */
  addComment(slug: string, author: string, body: string): Comment | undefined
  /** Updates an article; `undefined` when it does not exist. */
  editArticle(slug: string, edit: ArticleEdit): Article | undefined
  close(): void
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS authors (handle TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS articles (slug TEXT PRIMARY KEY, title TEXT NOT NULL, summary TEXT NOT NULL,
    body TEXT NOT NULL, section TEXT NOT NULL, author TEXT NOT NULL REFERENCES authors(handle),
    published TEXT NOT NULL, updated TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY AUTOINCREMENT, article TEXT NOT NULL REFERENCES articles(slug),
    author TEXT NOT NULL, body TEXT NOT NULL, created TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS comments_by_article ON comments (article, id);`

const SUMMARY_COLUMNS = `a.slug, a.title, a.summary, a.section, a.published, a.author AS handle, w.name AS authorName,
  (SELECT COUNT(*) FROM comments c WHERE c.article = a.slug) AS comments`

type SummaryRow = Omit<ArticleSummary, 'author'> & { handle: string; authorName: string }

/**
 * Opens (creating and seeding when new) the database at `file`; `':memory:'` for a throwaway one.
 *
 * @example
 * ```ts
 * const db = openDatabase('/tmp/news.db')
 * db.articles().length // 6 on a fresh database
 * ```
 */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new DatabaseSync(file)
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;')
  db.exec(SCHEMA)
  if ((db.prepare('SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n === 0) seed(db)

  const list = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN authors w ON w.handle = a.author ORDER BY a.published DESC, a.slug`)
  const one = db.prepare(`SELECT ${SUMMARY_COLUMNS}, a.body, a.updated FROM articles a JOIN authors w ON w.handle = a.author WHERE a.slug = ?`)
  const comments = db.prepare('SELECT id, author, body, created FROM comments WHERE article = ? ORDER BY id')
  const insertComment = db.prepare('INSERT INTO comments (article, author, body, created) VALUES (?, ?, ?, ?) RETURNING id, author, body, created')
  const update = db.prepare('UPDATE articles SET title = ?, summary = ?, body = ?, updated = ? WHERE slug = ?')

  const summary = (row: SummaryRow): ArticleSummary => ({
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    section: row.section,
    author: { handle: row.handle, name: row.authorName },
    published: row.published,
    comments: Number(row.comments),
  })
  const article = (slug: string): Article | undefined => {
    const row = one.get(slug) as (SummaryRow & { body: string; updated: string }) | undefined
    if (row === undefined) return undefined
    const commentList = (comments.all(slug) as unknown as Comment[]).map((c) => ({ ...c, id: Number(c.id) }))
    return { ...summary(row), body: row.body, updated: row.updated, commentList }
  }
  return {
    articles: () => (list.all() as unknown as SummaryRow[]).map(summary),
    article,
    addComment(slug, author, body) {
      if (one.get(slug) === undefined) return undefined
      const row = insertComment.get(slug, author, body, new Date().toISOString()) as unknown as Comment
      return { ...row, id: Number(row.id) }
    },
    editArticle(slug, edit) {
      const current = article(slug)
      if (current === undefined) return undefined
      update.run(edit.title ?? current.title, edit.summary ?? current.summary, edit.body ?? current.body, new Date().toISOString(), slug)
      return article(slug)
    },
    close: () => db.close(),
  }
}

function seed(db: DatabaseSync): void {
  db.exec('BEGIN')
  const author = db.prepare('INSERT INTO authors (handle, name) VALUES (?, ?)')
  for (const a of SEED_AUTHORS) author.run(a.handle, a.name)
  const article = db.prepare('INSERT INTO articles (slug, title, summary, body, section, author, published, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  for (const a of SEED_ARTICLES) article.run(a.slug, a.title, a.summary, a.body, a.section, a.author, a.published, a.published)
  const comment = db.prepare('INSERT INTO comments (article, author, body, created) VALUES (?, ?, ?, ?)')
  for (const c of SEED_COMMENTS) comment.run(c.article, c.author, c.body, c.created)
  db.exec('COMMIT')
}
