import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadApp } from './app.ts'
import { cachedModuleFacts, clearFactsCache, factsCacheSize, FACTS_CACHE_LIMITS } from './facts-cache.ts'
import { clearMemos } from './memo.ts'
import { tempApp } from './test-support.ts'
import { transformRouteModule } from './transform.ts'

const FILE = 'src/routes/posts/[slug].tsx'
const page = (ttl: string) => `import { client } from 'mizan'
import { db } from './db.server.ts'
export const post = client({ ttl: '${ttl}' }, async ({ slug }: { slug: string }) => db.get(slug))
export default function Page() { return null }
`

afterEach(() => clearFactsCache())

describe('cachedModuleFacts', () => {
  it('analyses the same text of the same module once', () => {
    const first = cachedModuleFacts(page('5m'), { file: FILE, routeId: 'posts/[slug]' })
    // Built from pieces, so the hit does not depend on string identity.
    const again = cachedModuleFacts(['import { client }', page('5m').slice('import { client }'.length)].join(''), { file: FILE, routeId: 'posts/[slug]' })
    expect(again).toBe(first)
    expect(first.analysis.functions[0]?.policy).toMatchObject({ ttl: 300 })
  })

  it('is cleared by clearMemos(), with every other memo loaded in this thread', () => {
    cachedModuleFacts(page('5m'), { file: FILE, routeId: 'posts/[slug]' })
    expect(factsCacheSize()).toBeGreaterThan(0)
    clearMemos()
    expect(factsCacheSize()).toBe(0)
  })

  it('re-analyses a changed text, even by one byte, and replaces the entry', () => {
    const before = cachedModuleFacts(page('5m'), { file: FILE, routeId: 'posts/[slug]' })
    const changed = cachedModuleFacts(page('6m'), { file: FILE, routeId: 'posts/[slug]' })
    expect(changed).not.toBe(before)
    expect(changed.analysis.functions[0]?.policy).toMatchObject({ ttl: 360 })
    expect(changed.analysis.functions[0]?.version).not.toBe(before.analysis.functions[0]?.version)
    const spaced = cachedModuleFacts(`${page('6m')} `, { file: FILE, routeId: 'posts/[slug]' })
    expect(spaced).not.toBe(changed)
    // The old text was replaced, so going back to it analyses it afresh (and gives the same result).
    const back = cachedModuleFacts(page('5m'), { file: FILE, routeId: 'posts/[slug]' })
    expect(back).not.toBe(before)
    expect(back.analysis).toEqual(before.analysis)
  })

  it('keys on the file and the route id as well as the text', () => {
    const code = page('5m')
    const route = cachedModuleFacts(code, { file: FILE, routeId: 'posts/[slug]' })
    const other = cachedModuleFacts(code, { file: 'src/routes/b.tsx', routeId: 'b' })
    const notRoute = cachedModuleFacts(code, { file: FILE, routeId: null })
    expect(other.analysis.functions.map((f) => f.id)).toEqual(['b#post'])
    expect(notRoute.analysis.errors.map((e) => e.code)).toEqual(['MIZAN_CLIENT_OUTSIDE_ROUTE'])
    expect(route.analysis.functions.map((f) => f.id)).toEqual(['posts/[slug]#post'])
    expect(cachedModuleFacts(code, { file: FILE, routeId: 'posts/[slug]' })).toBe(route)
  })

  it('keeps at most FACTS_CACHE_LIMITS.entries modules, dropping the least recently used', () => {
    const options = (i: number) => ({ file: `src/routes/r${i}.tsx`, routeId: `r${i}` })
    const code = 'export default function Page() { return null }\n'
    const first = cachedModuleFacts(code, options(0))
    const second = cachedModuleFacts(code, options(1))
    for (let i = 2; i < FACTS_CACHE_LIMITS.entries; i++) cachedModuleFacts(code, options(i))
    expect(cachedModuleFacts(code, options(0))).toBe(first)
    // One more entry: r1 is now the least recently used (r0 was just read).
    cachedModuleFacts(code, options(FACTS_CACHE_LIMITS.entries))
    expect(cachedModuleFacts(code, options(0))).toBe(first)
    expect(cachedModuleFacts(code, options(1))).not.toBe(second)
  })

  it('never holds one text larger than the whole bound', () => {
    const big = `export default function Page() { return null }\n${'//'.padEnd(FACTS_CACHE_LIMITS.codeUnits, 'x')}\n`
    const first = cachedModuleFacts(big, { file: 'src/routes/big.tsx', routeId: 'big' })
    expect(first.analysis.errors).toEqual([])
    expect(cachedModuleFacts(big, { file: 'src/routes/big.tsx', routeId: 'big' })).not.toBe(first)
  })
})

describe('the memo under loadApp and the transform', () => {
  it('loadApp and the transform see a route file changed on disk', async () => {
    const app = tempApp({ 'src/routes/posts/[slug].tsx': page('5m') })
    try {
      const before = await loadApp(app.root)
      expect(before.functions[0]?.policy).toMatchObject({ ttl: 300 })
      const file = path.join(app.root, FILE)
      writeFileSync(file, page('2h').replace('export const post', 'export const article'))
      const after = await loadApp(app.root)
      expect(after.functions.map((f) => [f.id, f.policy === false ? false : f.policy.ttl])).toEqual([['posts/[slug]#article', 7200]])
      expect(after.inputs).not.toEqual(before.inputs)
      const out = transformRouteModule(readFileSync(file, 'utf8'), { file: FILE, routeId: 'posts/[slug]', target: 'browser' })
      expect(out?.code).toContain('__mizanClient("posts/[slug]#article")')
      expect(out?.code).not.toContain('db.server')
    } finally {
      app.cleanup()
    }
  })

  it('gives every caller of a memoised browser output its own sourcemap object', () => {
    const options = { file: FILE, routeId: 'posts/[slug]', target: 'browser' } as const
    const a = transformRouteModule(page('5m'), options)
    const b = transformRouteModule(page('5m'), options)
    expect(b?.code).toBe(a?.code)
    expect(b?.map).not.toBe(a?.map)
    expect(b?.map.sources).not.toBe(a?.map.sources)
    expect(b?.map.toString()).toBe(a?.map.toString())
    a!.map.sources[0] = 'mutated.tsx'
    expect(transformRouteModule(page('5m'), options)?.map.sources).toEqual([FILE])
  })
})
