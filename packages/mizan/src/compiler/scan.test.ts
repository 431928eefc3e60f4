import { afterEach, describe, expect, it } from 'vitest'
import { MizanBuildError } from './errors.ts'
import { scanRoutes } from './scan.ts'
import { tempApp } from './test-support.ts'

let cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups) c()
  cleanups = []
})

function app(files: Record<string, string | null>, options?: { root?: boolean }): string {
  const a = tempApp(files, options)
  cleanups.push(a.cleanup)
  return a.root
}

async function scanError(root: string): Promise<MizanBuildError> {
  const error = await scanRoutes(root).then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(MizanBuildError)
  return error as MizanBuildError
}

describe('scanRoutes', () => {
  it('maps files to ids, paths and patterns, in match order', async () => {
    const root = app({
      'src/routes/index.tsx': null,
      'src/routes/posts/[slug].tsx': null,
      'src/routes/posts/new.tsx': null,
      'src/routes/posts/index.tsx': null,
      'src/routes/docs/[...rest].tsx': null,
      'src/routes/docs/intro.jsx': null,
      'src/routes/[lang]/about.tsx': null,
      'src/routes/users/[id]/posts/[slug].ts': null,
      'src/routes/feed.xml.ts': null,
    })
    const table = await scanRoutes(root)
    expect(table.routes.map((r) => [r.id, r.path, r.pattern])).toEqual([
      ['index', '/', '/'],
      ['feed.xml', '/feed.xml', '/feed.xml'],
      ['posts/index', '/posts', '/posts'],
      ['docs/intro', '/docs/intro', '/docs/intro'],
      ['posts/new', '/posts/new', '/posts/new'],
      ['posts/[slug]', '/posts/[slug]', '/posts/:slug'],
      ['users/[id]/posts/[slug]', '/users/[id]/posts/[slug]', '/users/:id/posts/:slug'],
      ['docs/[...rest]', '/docs/[...rest]', '/docs/*rest'],
      ['[lang]/about', '/[lang]/about', '/:lang/about'],
    ])
    const rest = table.routes.find((r) => r.id === 'docs/[...rest]')
    expect(rest).toMatchObject({ file: 'src/routes/docs/[...rest].tsx', params: ['rest'], catchAll: 'rest' })
    expect(table.routes.find((r) => r.id === 'users/[id]/posts/[slug]')).toMatchObject({ params: ['id', 'slug'], catchAll: null })
    expect(table).toMatchObject({ routesDir: 'src/routes', document: 'src/root.tsx', notFound: null, session: null })
  })

  it('finds the 404 page and session, and ignores _-prefixed, dot, test, server and non-module files', async () => {
    const root = app({
      'src/routes/index.tsx': null,
      'src/routes/_404.tsx': null,
      'src/routes/_components/header.tsx': null,
      'src/routes/posts/_draft.tsx': null,
      'src/routes/.hidden.tsx': null,
      'src/routes/index.test.tsx': null,
      'src/routes/index.spec.ts': null,
      'src/routes/data.server.ts': null,
      'src/routes/types.d.ts': null,
      'src/routes/styles.css': 'body {}',
      'src/session.server.ts': null,
    })
    const table = await scanRoutes(root)
    expect(table.routes.map((r) => r.id)).toEqual(['index'])
    expect(table.notFound).toBe('src/routes/_404.tsx')
    expect(table.session).toBe('src/session.server.ts')
  })

  it('is deterministic: the same tree gives the same table', async () => {
    const files = { 'src/routes/b/[x].tsx': null, 'src/routes/a/[y].tsx': null, 'src/routes/a/z.tsx': null, 'src/routes/index.tsx': null }
    const [one, two] = [await scanRoutes(app(files)), await scanRoutes(app(Object.fromEntries(Object.entries(files).reverse())))]
    expect(one.routes.map((r) => r.id)).toEqual(two.routes.map((r) => r.id))
    expect(one.routes.map((r) => r.id)).toEqual(['index', 'a/z', 'a/[y]', 'b/[x]'])
  })

  it('honours a custom routes folder, with the document in its parent', async () => {
    const root = app({ 'app/root.tsx': null, 'app/pages/index.tsx': null }, { root: false })
    const table = await scanRoutes(root, { routesDir: 'app/pages' })
    expect(table).toMatchObject({ routesDir: 'app/pages', document: 'app/root.tsx' })
    expect(table.routes[0]?.file).toBe('app/pages/index.tsx')
  })
})

describe('scanRoutes errors', () => {
  it('MIZAN_NO_ROOT: names the file and shows a minimal root.tsx', async () => {
    const error = await scanError(app({ 'src/routes/index.tsx': null }, { root: false }))
    expect(error.code).toBe('MIZAN_NO_ROOT')
    expect(error.problems[0]?.file).toBe('src/root.tsx')
    expect(error.message).toContain('[MIZAN_NO_ROOT] src/root.tsx: there is no document component')
    expect(error.message).toContain('Fix: Create src/root.tsx:')
    expect(error.message).toContain('export default function Document({ children }: { children: ReactNode })')
    expect(error.message).toContain('<body>{children}</body>')
  })

  it('MIZAN_DUPLICATE_ROUTE: names both files', async () => {
    const error = await scanError(app({ 'src/routes/posts.tsx': null, 'src/routes/posts/index.tsx': null, 'src/routes/[a].tsx': null, 'src/routes/[b].tsx': null }))
    expect(error.problems.map((p) => p.code)).toEqual(['MIZAN_DUPLICATE_ROUTE', 'MIZAN_DUPLICATE_ROUTE'])
    expect(error.message).toContain('Mizan found 2 problems')
    expect(error.message).toContain('"src/routes/posts.tsx" and "src/routes/posts/index.tsx" both match the path /posts')
    expect(error.message).toContain('"src/routes/[a].tsx" and "src/routes/[b].tsx" both match the path /:b')
    expect(error.message).toContain('Fix: Delete or rename one of the two files.')
  })

  it('MIZAN_DUPLICATE_PARAM: a param name used twice in one path', async () => {
    const error = await scanError(app({ 'src/routes/[id]/items/[id].tsx': null }))
    expect(error.problems).toEqual([expect.objectContaining({ code: 'MIZAN_DUPLICATE_PARAM', file: 'src/routes/[id]/items/[id].tsx' })])
    expect(error.message).toContain('the param "id" appears twice in the route path')
    expect(error.message).toContain('Fix: Rename one of the "[id]" segments')
  })

  it.each([
    ['src/routes/[...rest]/more.tsx', 'the catch-all "[...rest]" must be the last segment', 'Move the file to "[...rest].tsx"'],
    ['src/routes/[my-id].tsx', '"[my-id]" is not a valid route param', 'Rename it, e.g. "[slug]"'],
    ['src/routes/[__proto__].tsx', '"[__proto__]" is not a valid route param', 'Rename it'],
    ['src/routes/post-[id].tsx', '"post-[id]" is not a valid route segment', 'Rename it to plain text'],
    ['src/routes/:id.tsx', '":id" is not a valid route segment', 'Rename it to plain text'],
  ])('MIZAN_INVALID_ROUTE_SEGMENT: %s', async (file, message, fix) => {
    const error = await scanError(app({ 'src/routes/index.tsx': null, [file]: null }))
    expect(error.problems).toEqual([expect.objectContaining({ code: 'MIZAN_INVALID_ROUTE_SEGMENT', file })])
    expect(error.message).toContain(message)
    expect(error.message).toContain(`Fix: ${fix}`)
  })

  it('MIZAN_NO_ROUTES: missing or empty routes folder', async () => {
    const missing = await scanError(app({}))
    expect(missing.message).toContain('the routes folder "src/routes" does not exist')
    expect(missing.message).toContain('Create src/routes/index.tsx')
    const empty = await scanError(app({ 'src/routes/_404.tsx': null }))
    expect(empty.message).toContain('contains no route module')
  })

  it('reports every scan problem at once', async () => {
    const error = await scanError(app({ 'src/routes/[a]/[a].tsx': null, 'src/routes/x[.tsx': null }, { root: false }))
    expect(error.problems.map((p) => p.code).sort()).toEqual(['MIZAN_DUPLICATE_PARAM', 'MIZAN_INVALID_ROUTE_SEGMENT', 'MIZAN_NO_ROOT'])
  })
})
