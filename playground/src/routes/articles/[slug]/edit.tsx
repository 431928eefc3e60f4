import { useState } from 'react'
import { action } from 'mizan'
import type { PageProps } from 'mizan'
import { Link, useRouter } from 'mizan/react'
import { useArticle, useEditArticle } from 'virtual:mizan/hooks'
import type { Article } from '../../../../backend/db.ts'
import type { Viewer } from '../../../session.server.ts'

/** Saves an article. The backend purges the article, the front page and the author before it answers. */
export const editArticle = action(
  { tags: ['article:{slug}', 'front'] },
  async (input: { slug: string; title: string; summary: string; body: string }, ctx) => {
    const me = await ctx.session<Viewer | null>()
    if (me === null) return { ok: false as const, error: 'Sign in to edit.' }
    const res = await ctx.origin.fetch(`/api/articles/${encodeURIComponent(input.slug)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: input.title, summary: input.summary, body: input.body }),
    })
    if (res.status === 404) ctx.notFound()
    if (res.status === 400) return { ok: false as const, error: ((await res.json()) as { error: string }).error }
    if (!res.ok) throw new Error(`The backend answered ${res.status} to an edit of "${input.slug}"`)
    return { ok: true as const, article: (await res.json()) as Article }
  },
)

export default function EditArticle({ params }: PageProps<'/articles/[slug]/edit'>) {
  const a = useArticle({ slug: params.slug })
  const save = useEditArticle()
  const { navigate } = useRouter()
  const [problem, setProblem] = useState<string | null>(null)
  return (
    <main className="editor">
      <h1>Edit “{a.title}”</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault()
          const form = new FormData(event.currentTarget)
          const field = (name: string): string => String(form.get(name) ?? '')
          try {
            const result = await save.run({ slug: a.slug, title: field('title'), summary: field('summary'), body: field('body') })
            if (result.ok) navigate(`/articles/${a.slug}`)
            else setProblem(result.error)
          } catch {
            // save.error says what went wrong.
          }
        }}
      >
        <label>
          Title
          <input name="title" defaultValue={a.title} required maxLength={200} />
        </label>
        <label>
          Summary
          <textarea name="summary" defaultValue={a.summary} rows={2} required maxLength={400} />
        </label>
        <label>
          Body
          <textarea name="body" defaultValue={a.body} rows={10} required />
        </label>
        <p className="actions">
          <button type="submit" disabled={save.pending}>
            {save.pending ? 'Saving…' : 'Save'}
          </button>
          <Link href={`/articles/${a.slug}`}>Cancel</Link>
        </p>
        {(problem ?? save.error) && (
          <p role="alert" className="problem">
            {problem ?? save.error?.message}
          </p>
        )}
      </form>
    </main>
  )
}
