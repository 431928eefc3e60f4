import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseSync, rawTransferSupported, type ParserOptions } from 'oxc-parser'
import { describe, expect, it } from 'vitest'
import { parseModule, parserOptions } from './parse.ts'
import { FIXTURES } from './test-support.ts'

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.[jt]sx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

/** JSON of an AST, with the values JSON cannot hold spelled out. */
function text(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof RegExp ? `${v}` : v))
}

const UNICODE = `import { client } from 'mizan'
// Ünïcödé before the nodes: offsets must stay UTF-16 code units 🎉
export const café = client({ ttl: '5m', tags: ['naïve'] }, async () => '日本語 🎉 ${'$'}{x}')
export default function Page() { return <p title="é">🎉 {café.length} 10n {1n} {/a+/g.source}</p> }
`

describe('parseModule', () => {
  it.runIf(rawTransferSupported())('builds the same AST with raw transfer as through JSON', () => {
    const cases: [string, string][] = [
      ...sources(FIXTURES).map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ...sources(path.join(FIXTURES, '../../src/compiler')).map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ['src/routes/unicode.tsx', UNICODE],
      ['src/routes/broken.tsx', 'export const = 1\n'],
    ]
    expect(cases.length).toBeGreaterThan(40)
    for (const [file, code] of cases) {
      const json = parseSync(file, code, parserOptions(file))
      const raw = parseSync(file, code, { ...parserOptions(file), experimentalRawTransfer: true } as ParserOptions)
      expect({ file, ast: text(raw.program), errors: text(raw.errors) }).toEqual({ file, ast: text(json.program), errors: text(json.errors) })
    }
  })

  it('gives UTF-16 offsets, so they index the source string', () => {
    const { module, problems } = parseModule(UNICODE, 'src/routes/unicode.tsx')
    expect(problems).toEqual([])
    const [, exported, page] = module.body
    expect(UNICODE.slice(exported!.start, exported!.end)).toMatch(/^export const café = client\(.*'日本語 🎉 \$\{x\}'\)$/)
    expect(UNICODE.slice(page!.start, page!.end)).toMatch(/^export default function Page\(\).*<\/p> }$/)
    expect(module.locate(exported!.start)).toEqual({ line: 3, column: 0 })
  })

  it('reports a syntax error as a problem with its position', () => {
    const { problems } = parseModule('import { client } from "mizan"\nexport const = 1\n', 'src/routes/a.tsx')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ code: 'MIZAN_PARSE_ERROR', file: 'src/routes/a.tsx', line: 2 })
  })
})
