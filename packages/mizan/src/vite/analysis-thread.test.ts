/**
 * The build's analysis thread against the in-process compiler: the same app model, the same
 * browser rewrites and maps, the same errors; its memo cleared on request; a crash or stop fails
 * what was pending and the next request gets a new thread; an idle thread never keeps a process
 * alive.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blogApp } from '../../test/support/apps.ts'
import { createFixture, type Fixture } from '../../test/support/fixture.ts'
import { analyzeApp } from '../compiler/app.ts'
import { MizanBuildError } from '../compiler/errors.ts'
import { collectRoutes } from '../compiler/scan.ts'
import { transformRouteModule, type TransformOptions } from '../compiler/transform.ts'
import { analysisThreadCacheSize, analyzeAppOffThread, buildRootFromArgv, clearAnalysisCaches, startAnalysisThread, stopAnalysisThread, transformOffThread } from './analysis-thread.ts'

let app: Fixture
beforeAll(() => {
  app = createFixture(blogApp(), 'analysis-thread')
})
afterAll(async () => {
  await stopAnalysisThread()
  app?.remove()
})

const problemsOf = async (promise: Promise<unknown>): Promise<unknown> => {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(MizanBuildError)
  return (error as MizanBuildError).problems
}

describe('the analysis thread', () => {
  it('loads the same app model as the compiler in process', async () => {
    const scanned = await collectRoutes(app.root)
    const model = await analyzeAppOffThread(scanned)
    expect(model.functions.map((f) => f.id)).toEqual(['index#posts', 'posts/[slug]#post', 'posts/[slug]#viewer'])
    expect(model).toEqual(await analyzeApp(scanned))
  })

  it('rewrites route modules for the browser exactly as in process, with and without a sourcemap', async () => {
    for (const [file, routeId] of [['src/routes/index.tsx', 'index'], ['src/routes/posts/[slug].tsx', 'posts/[slug]']] as const) {
      const code = readFileSync(app.file(file), 'utf8')
      for (const sourcemap of [false, true]) {
        const options: TransformOptions = { file, routeId, target: 'browser', sourcemap }
        const here = transformRouteModule(code, options)
        const there = await transformOffThread(code, options)
        expect(there?.code).toBe(here?.code)
        expect(there?.code).toContain('__mizanClient(')
        if (sourcemap) expect(there?.map).toEqual({ ...here!.map })
        else expect(there?.map).toBeNull()
      }
    }
    // A module with nothing to rewrite comes back as null, as in process.
    expect(await transformOffThread('export default function A() { return null }\n', { file: 'src/routes/a.tsx', routeId: 'a', target: 'browser' })).toBeNull()
  })

  it('fails with the same MizanBuildError problems as the compiler in process', async () => {
    const broken = createFixture({ ...blogApp(), 'src/routes/about.tsx': "import { client } from 'mizan'\nexport const about = client({ ttl: 60, maxAge: 5 }, async () => 'a')\n" }, 'analysis-thread-broken')
    try {
      const scanned = await collectRoutes(broken.root)
      const there = await problemsOf(analyzeAppOffThread(scanned))
      expect(there).toEqual(await problemsOf(analyzeApp(scanned)))
      expect(JSON.stringify(there)).toContain('MIZAN_UNKNOWN_POLICY_KEY')
      const code = readFileSync(broken.file('src/routes/about.tsx'), 'utf8')
      const options: TransformOptions = { file: 'src/routes/about.tsx', routeId: 'about', target: 'browser' }
      expect(await problemsOf(transformOffThread(code, options))).toEqual(await problemsOf(Promise.resolve().then(() => transformRouteModule(code, options))))
    } finally {
      broken.remove()
    }
  })

  it('passes other errors on with their message and code', async () => {
    const scanned = await collectRoutes(app.root)
    const missing = { ...scanned, table: { ...scanned.table, routes: [...scanned.table.routes, { ...scanned.table.routes[0]!, id: 'gone', file: 'src/routes/gone.tsx' }] } }
    const error = await analyzeAppOffThread(missing).then(() => undefined, (e: unknown) => e as Error & { code?: string })
    expect(error).toBeInstanceOf(Error)
    expect(error?.code).toBe('ENOENT')
    expect(error?.message).toContain('gone.tsx')
  })

  it('forgets its memoised analyses when the caches are cleared', async () => {
    await analyzeAppOffThread(await collectRoutes(app.root))
    expect(await analysisThreadCacheSize()).toBeGreaterThanOrEqual(4)
    clearAnalysisCaches()
    expect(await analysisThreadCacheSize()).toBe(0)
  })

  it('started with an app root, analyses its route modules before anyone asks', async () => {
    clearAnalysisCaches()
    expect(await analysisThreadCacheSize()).toBe(0)
    startAnalysisThread(app.root)
    // Both route modules memoised without an app request (the 404 page and the document are not routes).
    await expect.poll(() => analysisThreadCacheSize(), { timeout: 10_000 }).toBe(2)
    expect((await analyzeAppOffThread(await collectRoutes(app.root))).routes).toHaveLength(2)
  })

  it('fails the requests pending when it stops, and starts anew for the next one', async () => {
    const scanned = await collectRoutes(app.root)
    const failed = expect(analyzeAppOffThread(scanned)).rejects.toThrow(/analysis thread was stopped/)
    await stopAnalysisThread()
    await failed
    expect((await analyzeAppOffThread(scanned)).routes).toHaveLength(2)
  })

  it('does not keep a process alive once its answers are in', () => {
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'analysis-thread.ts')
    const script = `
      const { analyzeAppOffThread } = await import(${JSON.stringify(module)})
      const { collectRoutes } = await import(${JSON.stringify(path.join(path.dirname(module), '../compiler/scan.ts'))})
      const model = await analyzeAppOffThread(await collectRoutes(${JSON.stringify(app.root)}))
      console.log('routes', model.routes.length)
    `
    const file = app.file('exit-check.mjs')
    writeFileSync(file, script)
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 })
    expect(run.stderr).not.toMatch(/Error/)
    expect(run.stdout.trim()).toBe('routes 2')
    // Not killed by the timeout: the process ended by itself with the worker still idle.
    expect(run.signal).toBeNull()
    expect(run.status).toBe(0)
  })
})

describe('buildRootFromArgv', () => {
  const vite = '/app/node_modules/vite/bin/vite.js'
  it('finds the root of a `vite build` command line', () => {
    expect(buildRootFromArgv(['node', vite, 'build'])).toBe(process.cwd())
    expect(buildRootFromArgv(['node', vite, 'build', 'site', '--mode', 'staging'])).toBe(path.resolve('site'))
    expect(buildRootFromArgv(['node', '/app/node_modules/.bin/vite', '--debug', 'build', '--outDir', 'out'])).toBe(process.cwd())
  })

  it('is null for anything else', () => {
    expect(buildRootFromArgv(['node', vite])).toBeNull()
    expect(buildRootFromArgv(['node', vite, 'dev'])).toBeNull()
    expect(buildRootFromArgv(['node', vite, 'preview', 'build'])).toBeNull()
    expect(buildRootFromArgv(['node', '/app/scripts/build.mjs', 'build'])).toBeNull()
  })
})
