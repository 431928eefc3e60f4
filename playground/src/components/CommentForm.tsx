import { useState } from 'react'
import { useAddComment, useViewer } from 'virtual:mizan/hooks'

/** The comment form for the signed-in reader (a hole: it depends on who asks). */
export function CommentForm({ slug }: { slug: string }) {
  const me = useViewer({})
  const addComment = useAddComment()
  const [problem, setProblem] = useState<string | null>(null)
  if (!me) return <p className="muted">Sign in (top right) to join the conversation.</p>
  return (
    <form
      className="comment-form"
      onSubmit={async (event) => {
        event.preventDefault()
        const form = event.currentTarget
        const body = String(new FormData(form).get('body') ?? '')
        setProblem(null)
        try {
          const result = await addComment.run({ slug, body })
          if (result.ok) form.reset()
          else setProblem(result.error)
        } catch {
          // addComment.error says what went wrong.
        }
      }}
    >
      <label>
        Comment as <strong>{me.name}</strong>
        <textarea name="body" rows={3} required maxLength={2000} placeholder="Say something kind and useful" />
      </label>
      <button type="submit" disabled={addComment.pending}>
        {addComment.pending ? 'Posting…' : 'Post comment'}
      </button>
      {(problem ?? addComment.error) && (
        <p role="alert" className="problem">
          {problem ?? addComment.error?.message}
        </p>
      )}
    </form>
  )
}
