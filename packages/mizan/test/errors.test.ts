/**
 * Every user error of the build, raised through the real `vite build` of a fixture app: each
 * names the code, the file (and export), and the fix.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { blogApp } from './support/apps.ts'
import { buildFixture, createFixture } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'

let app: Fixture
beforeAll(() => {
  app = createFixture(blogApp(), 'errors')
})
afterAll(() => app?.remove())

/** Builds the blog app with `changes` applied (`null` deletes a file), then restores it. */
async function buildError(changes: Record<string, string | null>): Promise<string> {
  const original = blogApp()
  for (const [file, contents] of Object.entries(changes)) {
    if (contents === null) fs.rmSync(app.file(file))
    else app.write(file, contents)
  }
  try {
    await buildFixture(app.root, { quiet: true })
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    for (const file of Object.keys(changes)) {
      const contents = original[file]
      if (contents === undefined) fs.rmSync(app.file(file), { force: true })
      else app.write(file, contents)
    }
  }
  throw new Error('the build succeeded but an error was expected')
}

const page = (body: string): string =>
  `import { client } from 'mizan'\n${body}\nexport default function Page() {\n  return <p>page</p>\n}\n`

describe('build errors', () => {
  test('a policy that is not a literal', async () => {
    const message = await buildError({
      'src/routes/about.tsx': page(`const policy = { ttl: 60 }\nexport const about = client(policy, async () => 'about')`),
    })
    expect(message).toContain('[MIZAN_POLICY_NOT_STATIC] src/routes/about.tsx:3:')
    expect(message).toContain('(export "about")')
    expect(message).toMatch(/> 3 \| export const about = client\(policy/)
    expect(message).toContain('Fix:')
  })

  test('an unknown policy key', async () => {
    const message = await buildError({
      'src/routes/about.tsx': page(`export const about = client({ ttl: 60, maxAge: 5 }, async () => 'about')`),
    })
    expect(message).toContain('[MIZAN_UNKNOWN_POLICY_KEY] src/routes/about.tsx:2:')
    expect(message).toContain('maxAge')
    expect(message).toContain('Fix:')
  })

  test('client() not at the top level of a route module', async () => {
    const message = await buildError({
      'src/routes/about.tsx': page(`export function make() {\n  return client({ ttl: 60 }, async () => 'about')\n}`),
    })
    expect(message).toContain('[MIZAN_CLIENT_NOT_TOP_LEVEL] src/routes/about.tsx:3:')
    expect(message).toContain('Fix:')
  })

  test('two data functions with the same hook name', async () => {
    const message = await buildError({
      'src/routes/about.tsx': page(`export const post = client({ ttl: 60 }, async () => 'about')`),
    })
    expect(message).toContain('[MIZAN_DUPLICATE_HOOK]')
    expect(message).toContain('usePost')
    expect(message).toContain('src/routes/about.tsx')
    expect(message).toContain('src/routes/posts/[slug].tsx')
  })

  test('no document component', async () => {
    const message = await buildError({ 'src/root.tsx': null })
    expect(message).toContain('[MIZAN_NO_ROOT]')
    expect(message).toContain('src/root.tsx')
  })

  test('a .server module reached from browser code, with the import chain', async () => {
    const message = await buildError({
      'src/components/Token.tsx': `import { dbToken } from '../lib/db.server.ts'\nexport function Token() {\n  return <code>{dbToken.length}</code>\n}\n`,
      'src/routes/_404.tsx': `import { Token } from '../components/Token.tsx'\nexport default function NotFound() {\n  return <h1>Nothing here <Token /></h1>\n}\n`,
    })
    expect(message).toContain('[MIZAN_SERVER_ONLY_IMPORT] src/components/Token.tsx')
    expect(message).toMatch(/src\/routes\/_404\.tsx\s+→ imports src\/components\/Token\.tsx\s+→ imports src\/lib\/db\.server\.ts/)
    expect(message).toContain('Fix:')
  })

  test('a node: builtin imported by a component', async () => {
    const message = await buildError({
      'src/routes/_404.tsx': `import { sep } from 'node:path'\nexport default function NotFound() {\n  return <h1>Nothing here {sep}</h1>\n}\n`,
    })
    expect(message).toContain('[MIZAN_SERVER_ONLY_IMPORT] src/routes/_404.tsx')
    expect(message).toContain('node:path')
  })

  test('a bare Node builtin imported by your own code', async () => {
    const message = await buildError({
      'src/routes/_404.tsx': `import { sep } from 'path'\nexport default function NotFound() {\n  return <h1>Nothing here {sep}</h1>\n}\n`,
    })
    expect(message).toContain('[MIZAN_SERVER_ONLY_IMPORT] src/routes/_404.tsx')
  })
})
