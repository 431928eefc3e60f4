import { describe, expect, it } from 'vitest'
import { analyzeRouteModule, hookName } from './analyze.ts'
import { formatProblem } from './errors.ts'

const FILE = 'src/routes/posts/[slug].tsx'
const analyze = (code: string, routeId: string | null = 'posts/[slug]') => analyzeRouteModule(code, { file: FILE, routeId })

/** The only problem of a module, formatted as the developer sees it. */
function onlyProblem(code: string, routeId?: string | null) {
  const { errors } = analyze(code, routeId)
  expect(errors).toHaveLength(1)
  const problem = errors[0]!
  return { ...problem, text: formatProblem(problem) }
}

const PAGE = 'export default function Page() { return null }\n'

describe('analyzeRouteModule: data functions', () => {
  it('finds client() exports with ids, hooks, normalised policies and positions', () => {
    const a = analyze(`import { client } from 'mizan'
export const post = client({ ttl: '5m', swr: '1h', tags: ['post:{slug}', 'Posts', 'posts'] }, async ({ slug }: { slug: string }) => slug)
export const viewer = client(false, async () => null)
export const mine = client({ ttl: 60, staleIfError: '1d', scope: 'user' }, async () => 1)
${PAGE}`)
    expect(a.errors).toEqual([])
    expect(a.hasDefaultExport).toBe(true)
    expect(a.functions.map(({ version: _, ...f }) => f)).toEqual([
      { id: 'posts/[slug]#post', route: 'posts/[slug]', exportName: 'post', hook: 'usePost', line: 2, column: 20,
        policy: { ttl: 300, swr: 3600, staleIfError: 0, tags: ['post:{slug}', 'posts'], scope: 'public' } },
      { id: 'posts/[slug]#viewer', route: 'posts/[slug]', exportName: 'viewer', hook: 'useViewer', line: 3, column: 22, policy: false },
      { id: 'posts/[slug]#mine', route: 'posts/[slug]', exportName: 'mine', hook: 'useMine', line: 4, column: 20,
        policy: { ttl: 60, swr: 0, staleIfError: 86400, tags: [], scope: 'user' } },
    ])
    for (const f of a.functions) expect(f.version).toMatch(/^[0-9a-f]{12}$/)
  })

  it('follows a renamed client import and a namespace import, and ignores other `client`s', () => {
    const renamed = analyze(`import { client as data } from 'mizan'\nexport const a = data({ ttl: 1 }, () => 1)\n${PAGE}`)
    expect(renamed.functions.map((f) => f.id)).toEqual(['posts/[slug]#a'])
    const namespace = analyze(`import * as m from 'mizan'\nexport const b = m.client({ ttl: 1 }, () => 1)\nexport const c = m['client'](false, () => 1)\n${PAGE}`)
    expect(namespace.functions.map((f) => f.id)).toEqual(['posts/[slug]#b', 'posts/[slug]#c'])
    const other = analyze(`import { client } from './api.ts'\nexport const d = client({ ttl: 'nonsense' }, () => 1)\n${PAGE}`)
    expect(other).toMatchObject({ functions: [], errors: [] })
    const typeOnly = analyze(`import type { client } from 'mizan'\nexport type C = typeof client\n${PAGE}`)
    expect(typeOnly).toMatchObject({ functions: [], errors: [] })
  })

  it('reads declared search params (sorted, deduplicated) and the default export', () => {
    expect(analyze(`export const search = ['sort', 'page', 'sort'] as const\n${PAGE}`).search).toEqual(['page', 'sort'])
    expect(analyze(PAGE).search).toBeNull()
    expect(analyze('function Page() { return null }\nexport { Page as default }\n').hasDefaultExport).toBe(true)
    expect(analyze('export const x = 1\n').hasDefaultExport).toBe(false)
  })
})

describe('analyzeRouteModule: versions', () => {
  const base = `import { client } from 'mizan'
import { db } from './db.server.ts'
import { Card } from './card.tsx'
const TABLE = 'posts'
function load(slug: string) { return db.get(TABLE, slug) }
export const post = client({ ttl: 60 }, async ({ slug }: { slug: string }) => load(slug))
export const other = client({ ttl: 60 }, async () => 2)
export default function Page() { return <Card /> }
`
  const version = (code: string) => analyze(code).functions[0]?.version

  it('is deterministic', () => {
    expect(version(base)).toBe(version(base))
  })

  it.each([
    ['the call changes', base.replace('({ ttl: 60 }, async ({ slug }', '({ ttl: 61 }, async ({ slug }')],
    ['an import it uses changes', base.replace("'./db.server.ts'", "'./db2.server.ts'")],
    ['a helper it uses changes', base.replace('db.get(TABLE', 'db.find(TABLE')],
    ['a constant the helper uses changes', base.replace("'posts'", "'articles'")],
  ])('changes when %s', (_, changed) => {
    expect(version(changed)).not.toBe(version(base))
  })

  it.each([
    ['the page changes', base.replace('<Card />', '<Card big />')],
    ['an import it does not use changes', base.replace("'./card.tsx'", "'./card2.tsx'")],
    ['another data function changes', base.replace('async () => 2', 'async () => 3')],
  ])('stays when %s', (_, changed) => {
    expect(version(changed)).toBe(version(base))
  })
})

describe('analyzeRouteModule: errors', () => {
  it('MIZAN_POLICY_NOT_STATIC: a variable policy, with file, export, frame and fix', () => {
    const p = onlyProblem(`import { client } from 'mizan'
const policy = { ttl: 60 }

export const post = client(policy, async () => 1)
${PAGE}`)
    expect(p).toMatchObject({ code: 'MIZAN_POLICY_NOT_STATIC', file: FILE, exportName: 'post', line: 4, column: 27 })
    expect(p.text).toBe([
      '[MIZAN_POLICY_NOT_STATIC] src/routes/posts/[slug].tsx:4:28 (export "post"): the cache policy must be written inline as an object literal (or `false`), but this is a variable (`policy`).',
      '  2 | const policy = { ttl: 60 }',
      '  3 |',
      '> 4 | export const post = client(policy, async () => 1)',
      '    |                            ^',
      '  5 | export default function Page() { return null }',
      '  6 |',
      "Fix: Mizan reads the policy at build time, before any code runs, so it cannot come from a variable, call or spread. Write it inline: client({ ttl: '5m', swr: '1h', tags: ['posts'] }, async (params, ctx) => …)",
    ].join('\n'))
  })

  it.each([
    ['{ ...base, ttl: 1 }', 'it contains a spread (`...`)', 'Write each key with a literal value'],
    ['{ [key]: 1 }', 'it contains a computed key (`[key]: …`)', 'Write each key with a literal value'],
    ['{ ttl }', 'it contains a shorthand property', 'Write each key with a literal value'],
    ['{ ttl: 5 * 60 }', '"ttl" must be a literal number of seconds or a duration string, but it is a computed expression', "ttl: 300 or ttl: '5m'"],
    ['{ ttl: 1, tags: [`post:${slug}`] }', 'every tag must be a string literal, but this is a template literal with ${…} expressions', "use a {param} placeholder instead: 'post:{slug}'"],
    ['{ ttl: 1, tags: TAGS }', '"tags" must be an array literal of strings, but it is a variable (`TAGS`)', "tags: ['post:{slug}', 'posts']"],
    ['{ ttl: 1, scope: SCOPE }', '"scope" must be \'public\' or \'user\', but it is a variable (`SCOPE`)', "scope: 'user'"],
    ['makePolicy()', 'but this is a function call', 'Write it inline'],
  ])('MIZAN_POLICY_NOT_STATIC: %s', (policy, message, fix) => {
    const p = onlyProblem(`import { client } from 'mizan'\nexport const post = client(${policy}, async () => 1)\n${PAGE}`)
    expect(p.code).toBe('MIZAN_POLICY_NOT_STATIC')
    expect(p.exportName).toBe('post')
    expect(p.text).toContain(message)
    expect(p.text).toContain(fix)
    expect(p.frame).toContain('> 2 | export const post = client(')
  })

  it('MIZAN_UNKNOWN_POLICY_KEY: suggests the closest key', () => {
    const p = onlyProblem(`import { client } from 'mizan'\nexport const post = client({ tll: '5m' }, async () => 1)\n${PAGE}`)
    expect(p).toMatchObject({ code: 'MIZAN_UNKNOWN_POLICY_KEY', exportName: 'post', line: 2, column: 29 })
    expect(p.text).toContain('unknown cache policy key "tll".')
    expect(p.text).toContain('Fix: Did you mean "ttl"? A policy takes only ttl, swr, staleIfError, tags, scope.')
    expect(p.frame).toContain('|                              ^')
  })

  it.each([
    ["{ ttl: '5 minutes' }", `ttl: "5 minutes" is not a duration; write '5m' or 300 (seconds)`, "Write a whole number of seconds (300) or a duration like '30s'"],
    ['{ ttl: -5 }', 'ttl: -5 is not a duration', 'Write a whole number of seconds (300)'],
    ["{ swr: '1h' }", 'the cache policy has no ttl', "Add one, e.g. { ttl: '5m' }, or use client(false, …)"],
    ['{ ttl: 1, ttl: 2 }', 'the cache policy sets "ttl" twice', 'Remove one of the two "ttl" entries.'],
    ["{ ttl: 1, tags: ['has space'] }", 'the tag "has space" is not valid', 'Tags are lowercase printable ASCII without spaces or commas'],
    ["{ ttl: 1, tags: ['post:{a-b}'] }", 'the placeholder {a-b} must name one param', "Tags are lowercase printable ASCII without spaces or commas, up to 1024 characters; placeholders name one param: 'post:{slug}'."],
    ["{ ttl: 1, tags: ['post:{slug'] }", 'it has an unmatched "{" or "}"', 'Tags are lowercase printable ASCII'],
    ["{ ttl: 1, scope: 'private' }", `"scope" must be 'public' or 'user', but it is "private"`, "Use scope: 'public' (shared by everyone, the default) or scope: 'user'"],
    ['true', '`true` is not a cache policy', "Pass an object such as client({ ttl: '5m', swr: '1h', tags: ['posts'] }, async (params, ctx) => …), or `false` for data that must never be cached."],
  ])('MIZAN_POLICY_INVALID: %s', (policy, message, fix) => {
    const p = onlyProblem(`import { client } from 'mizan'\nexport const post = client(${policy}, async () => 1)\n${PAGE}`)
    expect(p.code).toBe('MIZAN_POLICY_INVALID')
    expect(p.exportName).toBe('post')
    expect(p.text).toContain(message)
    expect(p.text).toContain(`\nFix: ${fix}`)
    expect(p.frame).toContain(`> 2 | export const post = client(${policy}`)
    expect(p.frame).toMatch(/\n {4}\| +\^/)
  })

  it('MIZAN_UNKNOWN_TAG_PARAM: a placeholder that is not a key of the literal params type', () => {
    const p = onlyProblem(`import { client } from 'mizan'\nexport const post = client({ ttl: 1, tags: ['post:{id}'] }, async ({ slug }: { slug: string }) => slug)\n${PAGE}`)
    expect(p).toMatchObject({ code: 'MIZAN_UNKNOWN_TAG_PARAM', exportName: 'post', line: 2, column: 44 })
    expect(p.text).toContain(`the tag "post:{id}" uses {id}, but the function's params type has no "id" (it has "slug").`)
    expect(p.text).toContain('Fix: Use one of {slug} or add "id" to the params type.')
    expect(p.frame).toContain(`    |${' '.repeat(44)} ^`)
    // Not a literal type: nothing to check against.
    expect(analyze(`import { client } from 'mizan'\nexport const post = client({ ttl: 1, tags: ['post:{id}'] }, async (p: Params) => p)\n${PAGE}`).errors).toEqual([])
  })

  it.each([
    ['inside a function', `export default function Page() {\n  const x = client({ ttl: 1 }, async () => 1)\n  return x\n}`, 'default', 'must be the initializer of a top-level `export const`'],
    ['a non-exported const', `const x = client({ ttl: 1 }, async () => 1)\n${PAGE}`, undefined, 'must be the initializer of a top-level `export const`'],
    ['an export let', `export let x = client({ ttl: 1 }, async () => 1)\n${PAGE}`, 'x', 'must be the initializer of a top-level `export const`'],
    ['stored, not called', `export const make = client\n${PAGE}`, 'make', '`client` must be called directly'],
  ])('MIZAN_CLIENT_NOT_TOP_LEVEL: %s', (_, body, exportName, message) => {
    const p = onlyProblem(`import { client } from 'mizan'\n${body}`)
    expect(p.code).toBe('MIZAN_CLIENT_NOT_TOP_LEVEL')
    expect(p.exportName).toBe(exportName)
    expect(p.text).toContain(message)
    expect(p.text).toContain("Fix: Declare the data function at the top level of the route module:\n\n  export const post = client({ ttl: '5m' }")
    expect(p.frame).toMatch(/> \d \| .*client/)
  })

  it('MIZAN_CLIENT_NOT_TOP_LEVEL ignores a local `client` that shadows the import', () => {
    const a = analyze(`import { client } from 'mizan'\nexport const post = client({ ttl: 1 }, async () => 1)\nexport default function Page({ client }: { client: () => void }) { client(); return null }\n`)
    expect(a.errors).toEqual([])
  })

  it.each([
    ['client({ ttl: 1 })', 'got 1'],
    ['client({ ttl: 1 }, async () => 1, 3)', 'got 3'],
    ['client(...args)', 'got 1 (with a spread)'],
  ])('MIZAN_CLIENT_ARGUMENTS: %s', (call, count) => {
    const p = onlyProblem(`import { client } from 'mizan'\nexport const post = ${call}\n${PAGE}`)
    expect(p).toMatchObject({ code: 'MIZAN_CLIENT_ARGUMENTS', exportName: 'post' })
    expect(p.text).toContain(`client() takes exactly two arguments, a cache policy and a function, but ${count}.`)
    expect(p.text).toContain("Fix: Write it as: export const post = client({ ttl: '5m' }, async ({ slug }: { slug: string }, ctx) => …)")
    expect(p.frame).toContain(`> 2 | export const post = ${call}`)
  })

  it('MIZAN_CLIENT_OUTSIDE_ROUTE: client() in a module that is not a route', () => {
    const p = onlyProblem(`import { client } from 'mizan'\nexport const post = client({ ttl: 1 }, async () => 1)\n`, null)
    expect(p.code).toBe('MIZAN_CLIENT_OUTSIDE_ROUTE')
    expect(p.text).toContain('client() is only allowed in route modules (files under src/routes)')
    expect(p.text).toContain('Fix: Move "post" into the route module whose page uses it')
    expect(p).toMatchObject({ exportName: 'post', line: 2, column: 20 })
    expect(p.frame).toContain('> 2 | export const post = client({ ttl: 1 }, async () => 1)')
  })

  it.each([
    ['export const search = SEARCH'],
    ['export let search = [\'page\']'],
    ["export const search = ['page', 1]"],
    ["export const search = ['']"],
    ["const s = ['a']\nexport { s as search }"],
  ])('MIZAN_SEARCH_NOT_STATIC: %s', (decl) => {
    const p = onlyProblem(`${decl}\n${PAGE}`)
    expect(p).toMatchObject({ code: 'MIZAN_SEARCH_NOT_STATIC', exportName: 'search' })
    expect(p.text).toContain("Fix: Declare the search params the page reads as a literal array: export const search = ['page', 'sort'] as const")
    expect(p.frame).toMatch(/> \d \| .*search/)
  })

  it('MIZAN_PARSE_ERROR: a syntax error, with its position', () => {
    const p = onlyProblem('export const x = (\n')
    expect(p.code).toBe('MIZAN_PARSE_ERROR')
    expect(p.text).toContain('[MIZAN_PARSE_ERROR] src/routes/posts/[slug].tsx:2:1: the module could not be parsed: ')
    expect(p.line).toBe(2)
    expect(p.frame).toBe('  1 | export const x = (\n> 2 |\n    | ^')
    expect(p.text).toMatch(/\nFix: \S/)
  })

  it('reports every problem of the module at once', () => {
    const { errors } = analyze(`import { client } from 'mizan'
export const a = client(policy, async () => 1)
export const b = client({ ttl: 1, color: 'red' }, async () => 1)
export const c = client({ ttl: 'soon' }, async () => 1)
export function Page() { return client }
`)
    expect(errors.map((e) => [e.code, e.exportName])).toEqual([
      ['MIZAN_CLIENT_NOT_TOP_LEVEL', 'Page'],
      ['MIZAN_POLICY_NOT_STATIC', 'a'],
      ['MIZAN_UNKNOWN_POLICY_KEY', 'b'],
      ['MIZAN_POLICY_INVALID', 'c'],
    ])
  })
})

describe('hookName', () => {
  it('capitalises the export name', () => {
    expect(hookName('post')).toBe('usePost')
    expect(hookName('_raw')).toBe('use_raw')
  })
})
