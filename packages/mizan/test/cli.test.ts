/** The `mizan` command line, run in-process and through its bin script. */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { main } from '../src/cli/index.ts'
import { blogApp } from './support/apps.ts'
import { createFixture } from './support/fixture.ts'
import type { Fixture } from './support/fixture.ts'

const BIN = fileURLToPath(new URL('../bin/mizan.mjs', import.meta.url))

function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  return main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }).then((code) => ({ code, out: out.join(''), err: err.join('') }))
}

let app: Fixture
beforeAll(() => {
  app = createFixture(blogApp(), 'cli')
})
afterAll(() => app?.remove())

describe('mizan typegen', () => {
  test('writes the types, then reports them up to date', async () => {
    const first = await run(['typegen', '--root', app.root])
    expect(first).toMatchObject({ code: 0, err: '' })
    expect(first.out).toBe('mizan: wrote .mizan/types/hooks.d.ts, .mizan/types/index.d.ts, .mizan/types/register.d.ts\n')
    expect(app.read('.mizan/types/hooks.d.ts')).toContain('export const usePost: DataHook<')
    const second = await run(['typegen', '--root', app.root])
    expect(second).toEqual({ code: 0, out: 'mizan: .mizan/types is up to date\n', err: '' })
  })

  test('exits 1 with the build error when the app is broken', async () => {
    app.write('src/routes/broken.tsx', "import { client } from 'mizan'\nexport const x = client({ ttl: 1, nope: 1 }, async () => 1)\nexport default function P() { return null }\n")
    try {
      const result = await run(['typegen', '--root', app.root])
      expect(result.code).toBe(1)
      expect(result.err).toContain('[MIZAN_UNKNOWN_POLICY_KEY] src/routes/broken.tsx')
    } finally {
      (await import('node:fs')).rmSync(app.file('src/routes/broken.tsx'))
    }
  })

  test('the bin script runs the same command', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'typegen'], { cwd: app.root })
    expect(stdout).toBe('mizan: .mizan/types is up to date\n')
  })
})

describe('usage', () => {
  test('help, no command, an unknown command, a bad option', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: mizan <command>') })
    expect(await run([])).toMatchObject({ code: 1, out: expect.stringContaining('typegen [--root <dir>]') })
    expect(await run(['deploy'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "deploy"') })
    expect(await run(['typegen', '--bogus'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--bogus'") })
  })
})
