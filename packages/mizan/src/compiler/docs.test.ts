/**
 * The user docs stay in step with the code: docs/manifest.md names every manifest field,
 * shows the real snapshot manifest, and docs/errors.md has a section for every error code.
 * Names are read from the TypeScript source text, so a new field or code fails this test
 * until it is documented.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8')

const manifestDoc = read('../../../../docs/manifest.md')
const errorsDoc = read('../../../../docs/errors.md')

/** Every `readonly name:` / `readonly name?:` property declared in the file. */
function fieldNames(source: string): string[] {
  return [...new Set([...source.matchAll(/^\s*readonly\s+([A-Za-z_$][\w$]*)\??\s*:/gm)].map((m) => m[1]!))]
}

/** The string literals of a `type Name = | 'A' | 'B'` union. */
function unionMembers(source: string, typeName: string): string[] {
  const start = source.indexOf(`export type ${typeName} =`)
  expect(start, `no "export type ${typeName} =" in the source`).toBeGreaterThanOrEqual(0)
  const end = source.indexOf('\n\n', start)
  const body = source.slice(start, end === -1 ? undefined : end)
  return [...body.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!)
}

/** Whether the markdown has a heading (## to ####) naming `code`, with or without backticks. */
function hasHeading(markdown: string, code: string): boolean {
  return new RegExp(`^#{2,4} \`?${code}\`?\\s*$`, 'm').test(markdown)
}

describe('docs/manifest.md', () => {
  const fields = fieldNames(read('./manifest-types.ts'))

  it('finds the manifest fields in manifest-types.ts', () => {
    expect(fields).toEqual(expect.arrayContaining(['version', 'buildId', 'routes', 'functions', 'purge', 'catchAll', 'staleIfError', 'tags']))
  })

  it('mentions every field declared in manifest-types.ts, in backticks', () => {
    const missing = fields.filter((name) => !manifestDoc.includes(`\`${name}\``))
    expect(missing).toEqual([])
  })

  it('shows the app-basic snapshot manifest verbatim', () => {
    const snapshot = read('./__snapshots__/app-basic/manifest.json.snap')
    const shown = manifestDoc.includes(`\`\`\`json\n${snapshot}\`\`\``)
    expect(shown, 'the Example section must be a json block holding __snapshots__/app-basic/manifest.json.snap verbatim').toBe(true)
  })
})

describe('docs/errors.md', () => {
  const buildCodes = unionMembers(read('./errors.ts'), 'BuildErrorCode')
  const runtimeCodes = unionMembers(read('../../../core/src/errors.ts'), 'MizanErrorCode')

  it('finds the codes in the error modules', () => {
    expect(buildCodes).toContain('MIZAN_PARSE_ERROR')
    expect(runtimeCodes).toContain('MIZAN_CONFIG')
    for (const code of [...buildCodes, ...runtimeCodes]) expect(code).toMatch(/^MIZAN_/)
  })

  it('has a section for every build error code of the compiler', () => {
    expect(buildCodes.filter((code) => !hasHeading(errorsDoc, code))).toEqual([])
  })

  it('has a section for every runtime error code of @mizan/core', () => {
    expect(runtimeCodes.filter((code) => !hasHeading(errorsDoc, code))).toEqual([])
  })
})
