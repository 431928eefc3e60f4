import type { ReactNode } from 'react'
import { Link } from 'mizan/react'
import './styles.css'

export default function Document({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Mizan playground</title>
      </head>
      <body>
        <header className="site">
          <Link href="/">Mizan playground</Link>
        </header>
        {children}
      </body>
    </html>
  )
}
