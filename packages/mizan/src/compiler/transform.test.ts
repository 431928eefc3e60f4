import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseSync } from 'oxc-parser'
import { describe, expect, it } from 'vitest'
import { MizanBuildError } from './errors.ts'
import { FIXTURES } from './test-support.ts'
import { transformRouteModule } from './transform.ts'

const CASES = ['basic', 'renamed', 'default-namespace', 'helpers', 'shadowed', 'types-only'] as const

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, 'transform', `${name}.tsx`), 'utf8')
}

function browser(name: string, code = fixture(name)) {
  const out = transformRouteModule(code, { file: `src/routes/${name}.tsx`, routeId: name, target: 'browser' })
  expect(out).not.toBeNull()
  return out!
}

describe('transformRouteModule (browser)', () => {
  it.each(CASES)('%s matches its snapshot and still parses', async (name) => {
    const out = browser(name)
    await expect(out.code).toMatchFileSnapshot(`./__snapshots__/transform/${name}.browser.tsx.snap`)
    expect(parseSync(`${name}.tsx`, out.code).errors).toEqual([])
  })

  it('with sourcemap: false gives the same code and no map, and a later request still gets the full map', () => {
    for (const name of CASES) {
      const code = fixture(name)
      const options = { file: `src/routes/${name}-nomap.tsx`, routeId: name, target: 'browser' } as const
      const bare = transformRouteModule(code, { ...options, sourcemap: false })
      expect(bare).toEqual({ code: browser(name).code, map: null })
      expect(transformRouteModule(code, options)?.map).toEqual(transformRouteModule(code, { ...options, sourcemap: true })?.map)
      expect(transformRouteModule(code, options)?.map.mappings).toBe(browser(name).map.mappings)
    }
  })

  it('keeps every line number: same line count, untouched lines unchanged in place', () => {
    for (const name of CASES) {
      const input = fixture(name).split('\n')
      const output = browser(name).code.split('\n')
      expect(output).toHaveLength(input.length)
      const page = input.findIndex((line) => line.startsWith('export default function'))
      expect(output[page]).toBe(input[page])
    }
  })

  it('removes secrets and server-only imports used only inside client() bodies', () => {
    const basic = browser('basic').code
    expect(basic).not.toContain('sk_live_SECRET_DO_NOT_SHIP')
    expect(basic).not.toContain('db.server')
    expect(basic).not.toContain('auth.server')
    expect(basic).not.toContain('slugify')
    expect(basic).toContain("import { formatDate } from '../lib/format.ts'")
    expect(basic).toContain('export const post = /*#__PURE__*/ __mizanClient("basic#post")')
    expect(basic).toContain("export const search = ['page'] as const")

    const helpers = browser('helpers').code
    expect(helpers).not.toContain('hunter2')
    expect(helpers).not.toContain('pool.server')
    expect(helpers).not.toMatch(/loadItem|loadAll|createPool/)
    expect(helpers).toContain("import './styles.css'")
    expect(helpers).toContain('const unused =')
  })

  it('prunes per binding: default and namespace imports, a shared declaration keeps what is still used', () => {
    const out = browser('default-namespace').code
    expect(out).not.toContain('driver')
    expect(out).not.toContain('marked')
    expect(out).not.toContain("from 'mizan'")
    expect(out).toContain("import render from './markdown.ts'")
    expect(out).toContain("import Layout from '../components/layout.tsx'")
    expect(out).toContain("import * as icons from '../components/icons.tsx'")
  })

  it('does not count a shadowing local as a use of the import', () => {
    const out = browser('shadowed').code
    expect(out).not.toContain('db.server')
    expect(out).toContain('const db = useItem')
  })

  it('turns a declaration left with type-only specifiers into `import type`', () => {
    const out = browser('types-only').code
    expect(out).toContain("import type { Row } from './rows.server.ts'")
    expect(out).toContain("import type { PageProps } from 'mizan'")
  })

  it('emits a high-resolution sourcemap with the original source', () => {
    const { map } = browser('basic')
    expect(map.sources).toEqual(['src/routes/basic.tsx'])
    expect(map.sourcesContent).toEqual([fixture('basic')])
    expect(map.mappings.length).toBeGreaterThan(100)
  })

  it('avoids a module binding already named like the stub', () => {
    const out = browser('x', `import { client } from 'mizan'\nconst __mizanClient = 1\nexport const a = client({ ttl: 1 }, () => __mizanClient)\nexport default function P() { return __mizanClient }\n`)
    expect(out.code).toContain('import { clientStub as ___mizanClient } from "mizan/react"')
    expect(out.code).toContain('export const a = /*#__PURE__*/ ___mizanClient("x#a")')
    expect(out.code).toContain('const __mizanClient = 1')
  })

  it('returns null when there is nothing to change', () => {
    expect(transformRouteModule(fixture('no-client'), { file: 'src/routes/about.tsx', routeId: 'about', target: 'browser' })).toBeNull()
  })
})

describe('transformRouteModule pruning (scope-aware)', () => {
  const out = (rest: string) => browser('p', `import { client } from 'mizan'\nimport { db } from './db.server.ts'\n${rest}\nexport const a = client({ ttl: 1 }, () => db.get())\n`).code

  it.each([
    ['an object key', 'export const shape = { db: 1 }'],
    ['a member property', 'export const x = globalThis.db'],
    ['a class member name', 'export class C { db = 1; db2() { return 2 } }'],
    ['a label', 'db: for (;;) { break db }'],
    ['a parameter of the same name', 'export function f(db: number) { return db }'],
    ['a catch binding', 'try {} catch (db) { console.error(db) }'],
    ['a var hoisted in a function', 'export function g() { if (true) { var db = 1 } return db }'],
    ['an intrinsic JSX tag', 'export const el = <db />'],
  ])('is not kept alive by %s', (_, rest) => {
    expect(out(rest)).not.toContain('db.server')
  })

  it.each([
    ['a re-export', 'export { db }'],
    ['a JSX component', 'export const El = () => <db.Table />'],
    ['a type position', 'export type Row = typeof db'],
    ['a nested closure', 'export const h = () => () => db'],
    ['a default parameter value', 'export function f(x = db) { return x }'],
    ['a computed key', 'export const o = { [db.key]: 1 }'],
  ])('is kept by %s', (_, rest) => {
    expect(out(rest)).toContain("import { db } from './db.server.ts'")
  })
})

describe('transformRouteModule (worker)', () => {
  it.each(CASES)('%s is validated and left unchanged', (name) => {
    expect(transformRouteModule(fixture(name), { file: `src/routes/${name}.tsx`, routeId: name, target: 'worker' })).toBeNull()
  })
})

describe('transformRouteModule errors', () => {
  it.each(['browser', 'worker'] as const)('throws every problem of the module as one MizanBuildError (%s)', (target) => {
    const code = `import { client } from 'mizan'\nexport const a = client(p, () => 1)\nexport const b = client({ ttl: 1, x: 1 }, () => 1)\n`
    let error: unknown
    try {
      transformRouteModule(code, { file: 'src/routes/a.tsx', routeId: 'a', target })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MizanBuildError)
    expect((error as MizanBuildError).problems.map((p) => p.code)).toEqual(['MIZAN_POLICY_NOT_STATIC', 'MIZAN_UNKNOWN_POLICY_KEY'])
    expect((error as MizanBuildError).message).toContain('Mizan found 2 problems')
  })

  it('rejects client() in a module that is not a route', () => {
    expect(() => transformRouteModule(fixture('renamed'), { file: 'src/lib/data.tsx', routeId: null, target: 'browser' }))
      .toThrow(/MIZAN_CLIENT_OUTSIDE_ROUTE\] src\/lib\/data\.tsx:4:22 \(export "posts"\)/)
  })
})
