import { client } from 'mizan'
import type { PageProps } from 'mizan'
import { Link } from 'mizan/react'
import { usePost, useViewer } from 'virtual:mizan/hooks'
import type { Post } from '../../../backend/db.ts'
import type { Viewer } from '../../session.server.ts'

export const post = client({ ttl: '5m', swr: '1h', tags: ['post:{slug}', 'posts'] }, async ({ slug }: { slug: string }, ctx) => {
  const res = await ctx.origin.fetch(`/api/posts/${encodeURIComponent(slug)}`)
  if (res.status === 404) ctx.notFound()
  if (!res.ok) throw new Error(`The backend answered ${res.status} for post "${slug}"`)
  return (await res.json()) as Post
})

export const viewer = client(false, async (_: {}, ctx) => ctx.session<Viewer | null>())

export default function PostPage({ params }: PageProps<'/posts/[slug]'>) {
  const p = usePost({ slug: params.slug })
  const me = useViewer({})
  return (
    <article>
      <h1>{p.title}</h1>
      <p>
        <small>Published {p.published}</small>
      </p>
      <p>{p.body}</p>
      <p data-testid="viewer">{me ? `Reading as ${me.name}` : 'Reading anonymously'}</p>
      <Link href="/">All posts</Link>
    </article>
  )
}
