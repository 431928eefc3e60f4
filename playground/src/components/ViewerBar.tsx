import { useViewer } from 'virtual:mizan/hooks'

/** Readers the demo lets you sign in as (no passwords: a `user` cookie). */
export const DEMO_READERS = ['Ada', 'Grace', 'Linus']

function signIn(name: string | null): void {
  document.cookie = name === null ? 'user=; path=/; max-age=0; samesite=lax' : `user=${encodeURIComponent(name)}; path=/; samesite=lax`
  location.reload()
}

/** Who is reading: a per-request hole (`client(false, …)`) under the header's `<Suspense>`. */
export function ViewerBar() {
  const me = useViewer({})
  if (me) {
    return (
      <span className="viewer">
        <span data-testid="viewer">Signed in as {me.name}</span>
        <button type="button" className="link" onClick={() => signIn(null)}>
          Sign out
        </button>
      </span>
    )
  }
  return (
    <span className="viewer">
      <span data-testid="viewer">Not signed in</span>
      <span className="muted">Sign in as</span>
      {DEMO_READERS.map((name) => (
        <button key={name} type="button" className="chip" onClick={() => signIn(name)}>
          {name}
        </button>
      ))}
    </span>
  )
}
