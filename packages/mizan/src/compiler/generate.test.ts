import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadApp, type AppModel } from './app.ts'
import { generateClientBuildModule, generateClientEntry, generateHooksModule, generateManifestModule, generateWorkerEntry } from './codegen.ts'
import { buildManifest, stringifyManifest } from './manifest.ts'
import type { Manifest, WorkerManifest } from './manifest-types.ts'
import { formatSummary } from './summary.ts'
import { FIXTURES, tempApp } from './test-support.ts'
import { generateTypes, GENERATED_HEADER } from './typegen.ts'
import { writeIfChanged } from './write.ts'

const ROOT = path.join(FIXTURES, 'app-basic')
const SNAP = './__snapshots__/app-basic'
const importPath = (file: string) => `/${file}`
const ASSETS = { clientEntry: '/assets/client-abc123.js', css: ['/assets/app-def456.css'] }

/** Every generated output of one app, by snapshot name. */
function outputs(app: AppModel): Map<string, string> {
  const manifest = buildManifest(app)
  const out = new Map<string, string>()
  for (const [file, text] of generateTypes(app, { outDir: path.join(app.root, '.mizan/types') })) out.set(`types/${file}`, text)
  out.set('manifest.json', stringifyManifest(manifest))
  out.set('hooks.js', generateHooksModule(app))
  out.set('worker-entry.js', generateWorkerEntry(app, { importPath }))
  out.set('client-entry.js', generateClientEntry(app, { importPath }))
  out.set('manifest.js', generateManifestModule(manifest, ASSETS))
  out.set('summary.txt', `${formatSummary(manifest)}\n`)
  return out
}

let app: AppModel
beforeAll(async () => {
  app = await loadApp(ROOT)
})

describe('generated files of app-basic', () => {
  it('match their snapshots', async () => {
    for (const [name, text] of outputs(app)) await expect(text).toMatchFileSnapshot(`${SNAP}/${name}.snap`)
  })

  it('are byte-identical on a second run', async () => {
    const again = outputs(await loadApp(ROOT))
    expect([...again]).toEqual([...outputs(app)])
  })

  it('start with the generated header', () => {
    for (const [name, text] of outputs(app)) {
      if (name.endsWith('.json') || name.endsWith('.txt')) continue
      expect(text.startsWith(`${GENERATED_HEADER}\n`)).toBe(true)
    }
  })

  it('import route files by a path relative to the types folder', () => {
    const hooks = generateTypes(app, { outDir: '.mizan/types' }).get('hooks.d.ts')
    expect(hooks).toContain('export const usePost: DataHook<typeof import("../../src/routes/posts/[slug].tsx").post>')
    expect(hooks).toContain('export const useAddComment: ActionHook<typeof import("../../src/routes/posts/[slug].tsx").addComment>')
  })
})

describe('buildManifest', () => {
  let manifest: Manifest
  beforeAll(() => {
    manifest = buildManifest(app)
  })

  it('lists routes in match order with their functions, and the purge table', () => {
    expect(manifest.routes.map((r) => r.id)).toEqual(['index', 'about/index', 'posts/new', 'posts/[slug]', 'users/[id]/posts/[slug]', 'docs/[...rest]'])
    expect(manifest.functions['posts/[slug]#post']).toMatchObject({
      route: 'posts/[slug]', export: 'post', hook: 'usePost',
      policy: { ttl: 300, swr: 3600, staleIfError: 0, tags: ['post:{slug}', 'posts'], scope: 'public' },
    })
    expect(manifest.functions['posts/[slug]#viewer']?.policy).toBe(false)
    expect(manifest.actions).toEqual({
      'posts/[slug]#addComment': { route: 'posts/[slug]', export: 'addComment', hook: 'useAddComment', version: expect.stringMatching(/^[0-9a-f]{12}$/), tags: ['post:{slug}', 'posts'] },
    })
    expect(manifest.purge.tags).toEqual({
      'doc:{path}': { functions: ['docs/[...rest]#doc'], routes: ['docs/[...rest]'], actions: [] },
      docs: { functions: ['docs/[...rest]#doc'], routes: ['docs/[...rest]'], actions: [] },
      'post:{slug}': { functions: ['posts/[slug]#post'], routes: ['posts/[slug]'], actions: ['posts/[slug]#addComment'] },
      posts: { functions: ['index#posts', 'posts/[slug]#post'], routes: ['index', 'posts/[slug]'], actions: ['posts/[slug]#addComment'] },
    })
    expect(manifest.buildId).toMatch(/^[0-9a-f]{16}$/)
  })

  it('changes the build id with the inputs', () => {
    expect(buildManifest(app, { inputs: ['client bundle v2'] }).buildId).not.toBe(manifest.buildId)
    const edited = { ...app, inputs: app.inputs.map((i, n) => (n === 0 ? { ...i, sha256: '0'.repeat(64) } : i)) }
    expect(buildManifest(edited).buildId).not.toBe(manifest.buildId)
  })

  it('hands out one frozen manifest per model and inputs, and builds afresh when the inputs change', () => {
    const first = buildManifest(app)
    expect(buildManifest(app)).toBe(first)
    expect(first).toEqual(manifest)
    expect(Object.isFrozen(first.functions['posts/[slug]#post']?.policy)).toBe(true)
    expect(() => { (first.routes as unknown as unknown[]).push(null) }).toThrow(TypeError)
    const other = buildManifest(app, { inputs: ['client bundle v3'] })
    expect(other).not.toBe(first)
    expect(buildManifest(app, { inputs: ['client bundle v3'] })).toBe(other)
    expect(buildManifest(app, { inputs: ['client bundle v4'] }).buildId).not.toBe(other.buildId)
  })

  it('stringifies with a fixed key order whatever the object order', () => {
    const shuffled = JSON.parse(JSON.stringify(manifest), (_, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value) as Manifest
    expect(Object.keys(shuffled)[0]).toBe('purge')
    expect(stringifyManifest(shuffled)).toBe(stringifyManifest(manifest))
    expect(stringifyManifest(manifest).endsWith('}\n')).toBe(true)
  })

  it('keeps a "__proto__" tag as data in the manifest module', async () => {
    const fn = { ...app.functions[0]!, policy: { ttl: 1, swr: 0, staleIfError: 0, tags: ['__proto__'], scope: 'public' as const } }
    const odd = buildManifest({ ...app, functions: [fn], actions: [] })
    expect(Object.keys(odd.purge.tags)).toEqual(['__proto__'])
    const source = generateManifestModule(odd, ASSETS)
    const loaded = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as { default: WorkerManifest }
    const [id] = Object.keys(odd.functions)
    expect(loaded.default.functions[id!]?.policy).toMatchObject({ tags: ['__proto__'] })
    expect(Object.getPrototypeOf(loaded.default.functions)).toBe(Object.prototype)
  })

  it('in a build, takes the build id and the URLs from the module written after the browser build', async () => {
    const manifest = buildManifest(app)
    const assets = generateClientBuildModule(manifest.buildId, ASSETS)
    const source = generateManifestModule(manifest, { from: 'ASSETS_MODULE' })
    expect(source).toContain('import { buildId, clientEntry, css } from "ASSETS_MODULE"')
    const url = `data:text/javascript,${encodeURIComponent(assets)}`
    const loaded = (await import(`data:text/javascript,${encodeURIComponent(source.replace('ASSETS_MODULE', url))}`)) as { default: WorkerManifest; clientEntry: string; css: string[] }
    expect(loaded.default.buildId).toBe(manifest.buildId)
    expect(Object.keys(loaded.default)).toEqual(['version', 'buildId', 'routes', 'functions', 'actions'])
    expect(loaded.default.routes.map((r) => r.id)).toEqual(manifest.routes.map((r) => r.id))
    expect([loaded.clientEntry, loaded.css]).toEqual([ASSETS.clientEntry, ASSETS.css])
  })

  it('embeds in the manifest module only what the Worker reads, the same for any key order', async () => {
    const manifest = buildManifest(app)
    const source = generateManifestModule(manifest, ASSETS)
    const loaded = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as { default: WorkerManifest; clientEntry: string; css: string[] }
    expect(Object.keys(loaded.default)).toEqual(['version', 'buildId', 'routes', 'functions', 'actions'])
    expect([loaded.clientEntry, loaded.css]).toEqual([ASSETS.clientEntry, ASSETS.css])
    expect(loaded.default.actions).toEqual({ 'posts/[slug]#addComment': { route: 'posts/[slug]', export: 'addComment', tags: ['post:{slug}', 'posts'] } })
    expect(loaded.default.routes.map((r) => Object.keys(r))).toEqual(manifest.routes.map(() => ['id', 'file', 'search', 'functions']))
    expect(loaded.default.routes.map((r) => r.id)).toEqual(manifest.routes.map((r) => r.id))
    for (const [id, f] of Object.entries(manifest.functions)) {
      expect(loaded.default.functions[id]).toEqual({ route: f.route, export: f.export, version: f.version, policy: f.policy })
    }
    const shuffled = JSON.parse(JSON.stringify(manifest, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)) as Manifest
    expect(generateManifestModule(shuffled, ASSETS)).toBe(source)
    expect(source.length).toBeLessThan(stringifyManifest(manifest).length / 2)
  })
})

describe('writeIfChanged', () => {
  it('writes only changed files, leaves unchanged ones untouched and removes stale generated ones', async () => {
    const dir = tempApp({}, { root: false })
    try {
      const out = path.join(dir.root, '.mizan/types')
      const files = generateTypes(app, { outDir: out })
      expect(await writeIfChanged(out, files)).toEqual([...files.keys()].map((f) => path.join(out, f)).sort())
      const past = new Date(Date.now() - 60_000)
      for (const f of files.keys()) utimesSync(path.join(out, f), past, past)
      const mtimes = () => [...files.keys()].map((f) => statSync(path.join(out, f)).mtimeMs)
      const before = mtimes()

      expect(await writeIfChanged(out, files)).toEqual([])
      expect(mtimes()).toEqual(before)

      writeFileSync(path.join(out, 'old.d.ts'), `${GENERATED_HEADER}\nexport {}\n`)
      writeFileSync(path.join(out, 'mine.d.ts'), 'export {}\n')
      const changed = new Map(files).set('hooks.d.ts', `${files.get('hooks.d.ts')}// changed\n`)
      expect(await writeIfChanged(out, changed)).toEqual([path.join(out, 'hooks.d.ts'), path.join(out, 'old.d.ts')])
      expect(readFileSync(path.join(out, 'hooks.d.ts'), 'utf8')).toContain('// changed')
      expect(statSync(path.join(out, 'index.d.ts')).mtimeMs).toBe(before[[...files.keys()].indexOf('index.d.ts')])
      expect(() => statSync(path.join(out, 'old.d.ts'))).toThrow()
      expect(readFileSync(path.join(out, 'mine.d.ts'), 'utf8')).toBe('export {}\n')
    } finally {
      dir.cleanup()
    }
  })
})
