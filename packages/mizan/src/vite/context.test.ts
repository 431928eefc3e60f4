import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempApp } from '../compiler/test-support.ts'
import { MizanContext } from './context.ts'
import { resolveOptions } from './options.ts'

const page = (ttl: number) => `import { client } from 'mizan'\nexport const item = client({ ttl: ${ttl} }, async () => 1)\nexport default function Page() { return null }\n`

/** A context as one plugin instance has it after `configResolved` (Vite makes one per environment). */
function context(root: string): MizanContext {
  const ctx = new MizanContext(resolveOptions(undefined))
  const config = { root, command: 'build', base: '/', build: { outDir: 'dist' }, environments: {} }
  ctx.configure(config as unknown as Parameters<MizanContext['configure']>[0])
  return ctx
}

let cleanup = (): void => {}
afterEach(() => cleanup())

describe('MizanContext.shareAppDuring', () => {
  it('loads the app model once for every plugin instance of the root during one build, afresh for the next', async () => {
    const app = tempApp({ 'src/routes/index.tsx': page(60) })
    cleanup = app.cleanup
    const [top, client, worker] = [context(app.root), context(app.root), context(app.root)]
    const during = await top.shareAppDuring(async () => {
      const loaded = client.app()
      expect(worker.app()).toBe(loaded)
      expect(top.app()).toBe(loaded)
      return await loaded
    })
    expect(during.functions[0]?.policy).toMatchObject({ ttl: 60 })

    writeFileSync(path.join(app.root, 'src/routes/index.tsx'), page(120))
    const next = await top.shareAppDuring(() => worker.app())
    expect(next).not.toBe(during)
    expect(next.functions[0]?.policy).toMatchObject({ ttl: 120 })
  })

  it('shares nothing outside a build, nor with another root', async () => {
    const a = tempApp({ 'src/routes/index.tsx': page(60) })
    const b = tempApp({ 'src/routes/index.tsx': page(60) })
    cleanup = () => { a.cleanup(); b.cleanup() }
    const [one, two, other] = [context(a.root), context(a.root), context(b.root)]
    expect(one.app()).not.toBe(two.app())
    await one.shareAppDuring(async () => {
      expect(two.app()).toBe(one.app())
      expect(other.app()).not.toBe(one.app())
      await one.app()
    })
  })

  it('does not keep a failed load: the next use retries', async () => {
    const app = tempApp({ 'src/routes/index.tsx': 'export const = 1\n' })
    cleanup = app.cleanup
    const [top, client] = [context(app.root), context(app.root)]
    await top.shareAppDuring(async () => {
      await expect(client.app()).rejects.toThrow(/MIZAN_PARSE_ERROR/)
      writeFileSync(path.join(app.root, 'src/routes/index.tsx'), page(60))
      expect((await top.app()).functions.map((f) => f.id)).toEqual(['index#item'])
    })
  })
})

describe('MizanContext.clientBuild', () => {
  const build = { assets: { entry: '/assets/mizan-client-1.js', css: [] }, inputs: ['{}'] }

  it('waits for the browser build handed over in the same whole-app build, and fails with its error', async () => {
    const app = tempApp({ 'src/routes/index.tsx': page(60) })
    cleanup = app.cleanup
    const [top, worker] = [context(app.root), context(app.root)]
    await top.shareAppDuring(async () => {
      let finish: (value: typeof build) => void = () => {}
      top.provideClientBuild(new Promise((resolve) => (finish = resolve)))
      let settled = false
      const waiting = worker.clientBuild().then((value) => ((settled = true), value))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(settled).toBe(false)
      finish(build)
      expect(await waiting).toBe(build)
    })
    await top.shareAppDuring(async () => {
      const failure = new Error('the browser build failed')
      top.provideClientBuild(Promise.reject(failure))
      const error = await worker.clientBuild().then(() => undefined, (e: unknown) => e as Error)
      expect(error?.message).toMatch(/browser build failed .*render Worker was not built/)
      // Its own error: the bundler may annotate it without touching the browser build's.
      expect(error).not.toBe(failure)
      expect(error?.cause).toBe(failure)
    })
  })

  it('outside a whole-app build reads the browser build on disk, and says how to fix it when there is none', async () => {
    const app = tempApp({ 'src/routes/index.tsx': page(60) })
    cleanup = app.cleanup
    await expect(context(app.root).clientBuild()).rejects.toThrow(/being built before the browser assets[\s\S]*vite build/)
    expect(() => context(app.root).provideClientBuild(Promise.resolve(build))).toThrow(/outside shareAppDuring/)
  })
})
