import { Suspense } from 'react'
import type { ReactNode } from 'react'
import { Link } from 'mizan/react'
import { ViewerBar } from './components/ViewerBar.tsx'
import './styles.css'

export default function Document({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>The Mizan Courier</title>
      </head>
      <body>
        <header className="masthead">
          <div className="masthead-inner">
            <Link href="/" className="brand">
              The Mizan Courier
            </Link>
            {/* Per request: the viewer is a hole in the cached page (PSR). */}
            <Suspense fallback={<span className="viewer muted">…</span>}>
              <ViewerBar />
            </Suspense>
          </div>
        </header>
        <div className="page">{children}</div>
        <footer className="colophon">
          Rendered at the edge by a Mizan Worker · data from the playground backend
        </footer>
      </body>
    </html>
  )
}
