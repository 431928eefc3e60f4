/**
 * Types on a fresh checkout: `tsc --noEmit` fails before `mizan typegen` (the hooks module does
 * not exist yet) and passes after it, with wrong hook params and action inputs caught by `@ts-expect-error`.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { main } from '../src/cli/index.ts'
import { blogApp } from './support/apps.ts'
import { createFixture } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'

const TSC = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url))

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    jsx: 'react-jsx',
    noEmit: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    types: ['node', 'vite/client'],
  },
  include: ['src', '.mizan/types'],
}

const CHECKS = `import type { PageProps } from 'mizan'
import { usePost, usePosts, useRename, useViewer } from 'virtual:mizan/hooks'

export function Checks() {
  const post = usePost({ slug: 'hello' })
  const title: string = post.title
  // @ts-expect-error the param is a string
  usePost({ slug: 1 })
  // @ts-expect-error the param is required
  usePost({})
  // @ts-expect-error body is a string
  const wrong: number = post.body
  const list: { slug: string; title: string }[] = usePosts({})
  const me: { name: string } | null = useViewer({})
  const rename = useRename()
  const pending: boolean = rename.pending
  const error: Error | null = rename.error
  const renamed: Promise<{ slug: string; title: string }> = rename.run({ slug: 'hello', title: 'New' })
  // @ts-expect-error the action's input needs a title
  void rename.run({ slug: 'hello' })
  return [title, wrong, list, me, pending, error, renamed]
}

export type SlugIsString = PageProps<'/posts/[slug]'>['params']['slug'] extends string ? true : never
export const slugIsString: SlugIsString = true
// @ts-expect-error no such route
export type Missing = PageProps<'/nope'>
`

let app: Fixture
beforeAll(() => {
  app = createFixture({ ...blogApp(), 'src/checks.tsx': CHECKS, 'tsconfig.json': JSON.stringify(TSCONFIG, null, 2) }, 'types')
})
afterAll(() => app?.remove())

async function tsc(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(TSC, ['--noEmit', '-p', path.join(root, 'tsconfig.json')], { cwd: root })
    return { code: 0, output: stdout }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

test('tsc fails before typegen and passes after `mizan typegen`, wrong params included', async () => {
  const before = await tsc(app.root)
  expect(before.code).not.toBe(0)
  expect(before.output).toContain("Cannot find module 'virtual:mizan/hooks'")

  const out: string[] = []
  const code = await main(['typegen', '--root', app.root], { out: (t) => out.push(t), err: (t) => out.push(t) })
  expect(code).toBe(0)
  expect(out.join('')).toContain('wrote')
  expect(fs.existsSync(app.file('.mizan/types/hooks.d.ts'))).toBe(true)

  const after = await tsc(app.root)
  expect(after.output).toBe('')
  expect(after.code).toBe(0)
})

test('an unused @ts-expect-error fails: the wrong param and the wrong action input really are type errors', async () => {
  for (const [wrong, right] of [['usePost({ slug: 1 })', "usePost({ slug: 'one' })"], ["rename.run({ slug: 'hello' })", "rename.run({ slug: 'hello', title: 'x' })"]]) {
    app.write('src/checks.tsx', CHECKS.replace(wrong!, right!))
    try {
      const result = await tsc(app.root)
      expect(result.code).not.toBe(0)
      expect(result.output).toContain("Unused '@ts-expect-error' directive")
    } finally {
      app.write('src/checks.tsx', CHECKS)
    }
  }
})
