import { Link } from 'mizan/react'

export default function NotFound() {
  return (
    <main className="not-found">
      <h1>Page not found</h1>
      <p>
        This story may have moved, or it never existed. <Link href="/">Back to the front page</Link>
      </p>
    </main>
  )
}
