/**
 * What a fresh playground database holds: three authors, six articles, a few comments.
 * @module
 */

/** Seed authors. */
export const SEED_AUTHORS = [
  { handle: 'ada', name: 'Ada Lovelace' },
  { handle: 'grace', name: 'Grace Hopper' },
  { handle: 'linus', name: 'Linus Pauling' },
] as const

/** Seed articles (newest first by `published`). */
export const SEED_ARTICLES = [
  {
    slug: 'edge-rendering',
    title: 'Rendering at the edge, explained',
    summary: 'Why a page rendered a few milliseconds from the reader beats one rendered an ocean away.',
    body: 'A render Worker runs in every data centre. It fetches only what it has not cached yet from your backend, renders the page with React and keeps the result next to the reader.\n\nThe backend stays where it is, with its database; it only sees the requests the edge could not answer.',
    section: 'Engineering',
    author: 'ada',
    published: '2026-11-24',
  },
  {
    slug: 'purging-by-tag',
    title: 'One write, one purge',
    summary: 'Every cached entry carries the tags of its data. A purge drops exactly those — and nothing older survives it.',
    body: 'When an article changes, the backend purges the tags article:<slug>, front and author:<handle>. The purge is signed, acknowledged by the edge, and only then does the write answer.\n\nSo the next read, from anyone, anywhere, is fresh.',
    section: 'Engineering',
    author: 'grace',
    published: '2026-11-21',
  },
  {
    slug: 'partial-static',
    title: 'Static shells with personal holes',
    summary: 'The page is cached once for everybody; the part that says who you are is rendered per request.',
    body: 'Data that is the same for every reader is baked into a cached shell. The signed-in viewer is a hole: on each request the Worker streams the shell at once and renders only the hole.\n\nWith JavaScript disabled the hole is still in the HTML.',
    section: 'Engineering',
    author: 'ada',
    published: '2026-11-18',
  },
  {
    slug: 'city-council-bikes',
    title: 'City council votes for 40 km of bike lanes',
    summary: 'The plan links the three river bridges by 2028; shop owners on Harbour Street remain sceptical.',
    body: 'After a four-hour session the council approved the network by 23 votes to 14.\n\nConstruction starts in spring on the northern bridge.',
    section: 'City',
    author: 'linus',
    published: '2026-11-15',
  },
  {
    slug: 'autumn-market',
    title: 'The autumn market returns to the old square',
    summary: 'Eighty stalls, a cider press and, for the first time, a repair café.',
    body: 'The market opens on Saturday at nine and runs for three weekends.\n\nThe repair café fixes lamps, bicycles and toasters for free.',
    section: 'Culture',
    author: 'grace',
    published: '2026-11-12',
  },
  {
    slug: 'observatory-open-night',
    title: 'Observatory open night draws a record crowd',
    summary: 'Clear skies and a bright Saturn brought over two thousand visitors to the hill.',
    body: 'Volunteers kept the four telescopes running until two in the morning.\n\nThe next open night is planned for the December new moon.',
    section: 'Science',
    author: 'linus',
    published: '2026-11-08',
  },
] as const

/** Seed comments. */
export const SEED_COMMENTS = [
  { article: 'edge-rendering', author: 'Grace Hopper', body: 'Nanoseconds matter — and so do milliseconds.', created: '2026-11-24T10:12:00.000Z' },
  { article: 'edge-rendering', author: 'Linus Pauling', body: 'How does it know when the data changed?', created: '2026-11-24T11:40:00.000Z' },
  { article: 'purging-by-tag', author: 'Ada Lovelace', body: 'Acknowledged purges are the part people forget.', created: '2026-11-21T09:05:00.000Z' },
  { article: 'city-council-bikes', author: 'Grace Hopper', body: 'Finally. Harbour Street needs it most.', created: '2026-11-15T18:30:00.000Z' },
] as const
