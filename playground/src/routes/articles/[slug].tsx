import { Suspense } from 'react'
import { action, client } from 'mizan'
import type { PageProps } from 'mizan'
import { Link } from 'mizan/react'
import { useArticle } from 'virtual:mizan/hooks'
import type { Article, Comment } from '../../../backend/db.ts'
import type { Viewer } from '../../session.server.ts'
import { CommentForm } from '../../components/CommentForm.tsx'

/** One article with its comments: cached per slug, purged by the backend's `article:<slug>` tag. */
export const article = client({ ttl: '5m', swr: '1h', tags: ['article:{slug}'] }, async ({ slug }: { slug: string }, ctx) => {
  const res = await ctx.origin.fetch(`/api/articles/${encodeURIComponent(slug)}`)
  if (res.status === 404) ctx.notFound()
  if (!res.ok) throw new Error(`The backend answered ${res.status} for article "${slug}"`)
  return (await res.json()) as Article
})

/** Posts a comment as the signed-in reader. The backend purges the edge before it answers. */
export const addComment = action({ tags: ['article:{slug}', 'front'] }, async (input: { slug: string; body: string }, ctx) => {
  const me = await ctx.session<Viewer | null>()
  if (me === null) return { ok: false as const, error: 'Sign in to comment.' }
  const res = await ctx.origin.fetch(`/api/articles/${encodeURIComponent(input.slug)}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author: me.name, body: input.body }),
  })
  if (res.status === 400) return { ok: false as const, error: ((await res.json()) as { error: string }).error }
  if (!res.ok) throw new Error(`The backend answered ${res.status} to a comment on "${input.slug}"`)
  return { ok: true as const, comment: (await res.json()) as Comment }
})

export default function ArticlePage({ params }: PageProps<'/articles/[slug]'>) {
  const a = useArticle({ slug: params.slug })
  return (
    <main className="article">
      <p className="kicker">{a.section}</p>
      <h1>{a.title}</h1>
      <p className="standfirst">{a.summary}</p>
      <p className="byline">
        By {a.author.name} · <time dateTime={a.published}>{a.published}</time> ·{' '}
        <Link href={`/articles/${a.slug}/edit`}>Edit</Link>
      </p>
      {a.body.split('\n\n').map((paragraph, i) => (
        <p key={i}>{paragraph}</p>
      ))}
      <section className="comments" aria-labelledby="comments-title">
        <h2 id="comments-title">
          {a.commentList.length} {a.commentList.length === 1 ? 'comment' : 'comments'}
        </h2>
        <ul>
          {a.commentList.map((c) => (
            <li key={c.id} className="comment">
              <strong>{c.author}</strong> <time dateTime={c.created}>{c.created.slice(0, 10)}</time>
              <p>{c.body}</p>
            </li>
          ))}
        </ul>
        {/* Per request: the form depends on who is signed in, so it is a hole in the cached shell. */}
        <Suspense fallback={null}>
          <CommentForm slug={a.slug} />
        </Suspense>
      </section>
      <p>
        <Link href="/">← Front page</Link>
      </p>
    </main>
  )
}
