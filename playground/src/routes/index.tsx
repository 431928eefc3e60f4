import { client } from 'mizan'
import type { PageProps } from 'mizan'
import { useFront } from 'virtual:mizan/hooks'
import type { ArticleSummary } from '../../backend/db.ts'
import type { Viewer } from '../session.server.ts'
import { Sections } from '../components/Sections.tsx'

/** The front page's stories: the same for everyone, cached, purged by the backend's `front` tag. */
export const front = client({ ttl: '1m', swr: '10m', tags: ['front'] }, async (_: {}, ctx) => {
  const res = await ctx.origin.fetch('/api/articles')
  if (!res.ok) throw new Error(`The backend answered ${res.status} for /api/articles`)
  return (await res.json()) as ArticleSummary[]
})

/** Who is reading — per request, never cached: a hole in every page's cached shell. */
export const viewer = client(false, async (_: {}, ctx) => ctx.session<Viewer | null>())

export default function FrontPage(_: PageProps<'/'>) {
  const articles = useFront({})
  return (
    <main>
      <h1 className="sr-only">Latest stories</h1>
      <Sections articles={articles} />
    </main>
  )
}
