import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadApp, loadedFrom } from './app.ts'
import { MizanBuildError } from './errors.ts'
import { FIXTURES, tempApp } from './test-support.ts'

async function loadError(name: string): Promise<MizanBuildError> {
  const error = await loadApp(path.join(FIXTURES, name)).then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(MizanBuildError)
  return error as MizanBuildError
}

describe('loadApp', () => {
  it('scans and analyses every route module of the app', async () => {
    const app = await loadApp(path.join(FIXTURES, 'app-basic'))
    expect(app.root).toBe(path.join(FIXTURES, 'app-basic'))
    expect(app).toMatchObject({ document: 'src/root.tsx', notFound: 'src/routes/_404.tsx', session: 'src/session.server.ts', routesDir: 'src/routes' })
    expect(app.routes.map((r) => [r.pattern, r.functions.map((f) => f.exportName), r.search])).toEqual([
      ['/', ['posts'], ['page']],
      ['/about', [], null],
      ['/posts/new', [], null],
      ['/posts/:slug', ['post', 'viewer'], null],
      ['/users/:id/posts/:slug', [], null],
      ['/docs/*rest', ['doc'], null],
    ])
    expect(app.functions.map((f) => f.id)).toEqual(['index#posts', 'posts/[slug]#post', 'posts/[slug]#viewer', 'docs/[...rest]#doc'])
    expect(app.inputs.map((i) => i.file)).toEqual([
      'src/root.tsx', 'src/routes/_404.tsx', 'src/routes/about/index.tsx', 'src/routes/docs/[...rest].tsx', 'src/routes/index.tsx',
      'src/routes/posts/[slug].tsx', 'src/routes/posts/new.tsx', 'src/routes/users/[id]/posts/[slug].tsx', 'src/session.server.ts',
    ])
    for (const input of app.inputs) expect(input.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('MIZAN_DUPLICATE_HOOK: names both files and exports, with a frame and a rename', async () => {
    const error = await loadError('error-duplicate-hook')
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatchObject({ code: 'MIZAN_DUPLICATE_HOOK', file: 'src/routes/b/[id].tsx', exportName: 'post', line: 4, column: 20 })
    expect(error.message).toBe([
      '[MIZAN_DUPLICATE_HOOK] src/routes/b/[id].tsx:4:21 (export "post"): the data functions "post" in src/routes/a.tsx and "post" in src/routes/b/[id].tsx would both generate the hook usePost (all hooks share one module, virtual:mizan/hooks).',
      "  2 |",
      "  3 | export const item = client({ ttl: 60 }, async () => 1)",
      "> 4 | export const post = client(false, async ({ id }: { id: string }) => id)",
      "    |                     ^",
      "  5 |",
      "  6 | export default function B() {",
      'Fix: Rename one of the two exports, e.g. "post" in src/routes/b/[id].tsx to "bPost" (its hook becomes useBPost).',
    ].join('\n'))
  })

  it('collects every problem of the app into one error', async () => {
    const error = await loadError('error-many')
    expect(error.problems.map((p) => [p.code, p.file, p.exportName])).toEqual([
      ['MIZAN_UNKNOWN_POLICY_KEY', 'src/routes/index.tsx', 'posts'],
      ['MIZAN_NO_DEFAULT_EXPORT', 'src/routes/about.tsx', undefined],
      ['MIZAN_NO_DEFAULT_EXPORT', 'src/root.tsx', undefined],
      ['MIZAN_CLIENT_OUTSIDE_ROUTE', 'src/routes/_404.tsx', 'missing'],
      ['MIZAN_NO_DEFAULT_EXPORT', 'src/session.server.ts', undefined],
    ])
    expect(error.message).toContain('Mizan found 5 problems:')
    expect(error.message).toContain('[MIZAN_NO_DEFAULT_EXPORT] src/routes/about.tsx: the module has no default export, so Mizan has no page component to render.')
    expect(error.message).toContain('Fix: Export the component as the default export:\n\n  export default function Page() {\n    return <h1>/about</h1>\n  }')
    expect(error.message).toContain('export default function Document({ children }: { children: React.ReactNode })')
    expect(error.message).toContain('Fix: Export the session function:\n\n  export default async function session(request: Request, env: unknown)')
    expect(error.message).toContain('Fix: A policy takes only ttl, swr, staleIfError, tags, scope.')
  })
})

describe('loadedFrom', () => {
  it('is true only for the exact text of a file the app model was loaded from', async () => {
    const code = 'export default function Page() { return null }\n'
    const app = tempApp({ 'src/routes/index.tsx': code, 'src/routes/_404.tsx': code })
    try {
      const model = await loadApp(app.root)
      expect(loadedFrom(model, 'src/routes/index.tsx', code)).toBe(true)
      expect(loadedFrom(model, 'src/routes/_404.tsx', code)).toBe(true)
      expect(loadedFrom(model, 'src/routes/index.tsx', `${code} `)).toBe(false)
      expect(loadedFrom(model, 'src/components/card.tsx', code)).toBe(false)
    } finally {
      app.cleanup()
    }
  })
})
