import { client } from 'mizan'
import type { PageProps } from 'mizan'
import { Link } from 'mizan/react'
import { usePosts, useViewer } from 'virtual:mizan/hooks'
import type { PostSummary } from '../../backend/db.ts'
import { Counter } from '../components/Counter.tsx'

export const posts = client({ ttl: '1m', tags: ['posts'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/api/posts')
  if (!res.ok) throw new Error(`The backend answered ${res.status} for /api/posts`)
  return (await res.json()) as PostSummary[]
})

export default function Home(_: PageProps<'/'>) {
  const list = usePosts({})
  const viewer = useViewer({})
  return (
    <main>
      <h1>Latest posts</h1>
      <p data-testid="viewer">{viewer ? `Signed in as ${viewer.name}` : 'Not signed in'}</p>
      <Counter />
      <ul className="posts">
        {list.map((p) => (
          <li key={p.slug}>
            <Link href={`/posts/${p.slug}`}>{p.title}</Link> <small>{p.published}</small>
            <p>{p.excerpt}</p>
          </li>
        ))}
      </ul>
    </main>
  )
}
