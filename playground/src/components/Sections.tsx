import { useState } from 'react'
import { Link } from 'mizan/react'
import type { ArticleSummary } from '../../backend/db.ts'

/** The front page's article list with a section filter (browser state: proof of hydration). */
export function Sections({ articles }: { articles: ArticleSummary[] }) {
  const [section, setSection] = useState<string | null>(null)
  const sections = [...new Set(articles.map((a) => a.section))]
  const shown = section === null ? articles : articles.filter((a) => a.section === section)
  return (
    <>
      <nav className="sections" aria-label="Sections">
        <button type="button" aria-pressed={section === null} onClick={() => setSection(null)}>
          All sections
        </button>
        {sections.map((s) => (
          <button key={s} type="button" aria-pressed={section === s} onClick={() => setSection(s)}>
            {s}
          </button>
        ))}
      </nav>
      <ol className="stories">
        {shown.map((a, i) => (
          <li key={a.slug} className={i === 0 && section === null ? 'story lead' : 'story'}>
            <span className="kicker">{a.section}</span>
            <h2>
              <Link href={`/articles/${a.slug}`}>{a.title}</Link>
            </h2>
            <p>{a.summary}</p>
            <p className="byline">
              By {a.author.name} · <time dateTime={a.published}>{a.published}</time> ·{' '}
              <span data-testid={`comments-${a.slug}`}>
                {a.comments} {a.comments === 1 ? 'comment' : 'comments'}
              </span>
            </p>
          </li>
        ))}
      </ol>
    </>
  )
}
