import { Link } from 'mizan/react'

export default function NotFound() {
  return (
    <main>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link href="/">Back to the posts</Link>
      </p>
    </main>
  )
}
