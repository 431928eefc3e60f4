/**
 * `mizan:dev` — keeps generated modules and types in step with `src/` while `vite dev` runs: a
 * route added, removed or renamed (or a data function changed) regenerates what depends on it
 * and reloads the browser and/or the Worker — no server restart.
 * @module
 */
import path from 'node:path'
import type { Plugin, ViteDevServer } from 'vite'
import type { MizanContext } from '../context.ts'
import { debug } from '../debug.ts'
import { devClientBuild } from '../client-assets.ts'
import { generatedModule } from '../generated.ts'
import { VIRTUAL, resolvedVirtualId } from '../ids.ts'
import type { VirtualId } from '../ids.ts'
import { writeTypes } from '../typegen.ts'

/** Which side runs each generated module. */
const USED_BY: Record<VirtualId, { client: boolean; worker: boolean }> = {
  [VIRTUAL.hooks]: { client: true, worker: true },
  [VIRTUAL.clientEntry]: { client: true, worker: false },
  [VIRTUAL.workerEntry]: { client: false, worker: true },
  [VIRTUAL.manifest]: { client: false, worker: true },
}

/**
 * Creates the dev sub-plugin (serve only).
 *
 * @example
 * ```ts
 * plugins.push(devPlugin(ctx))
 * ```
 */
export function devPlugin(ctx: MizanContext): Plugin {
  let previous = new Map<VirtualId, string>()
  let queue = Promise.resolve()
  return {
    name: 'mizan:dev',
    apply: 'serve',
    configureServer(server) {
      void snapshot(ctx).then((s) => (previous = s), () => {})
      const srcDir = path.join(ctx.facts.root, 'src') + path.sep
      server.watcher.on('all', (event, file) => {
        if (!file.startsWith(srcDir)) return
        const structural = event === 'add' || event === 'unlink' || event === 'addDir' || event === 'unlinkDir'
        if (!structural && !file.startsWith(ctx.routesDir + path.sep)) return
        // Serialised: a rename is an unlink and an add in quick succession.
        queue = queue.then(() => refresh(server, file)).catch((error: unknown) => {
          server.config.logger.error(error instanceof Error ? error.message : String(error), { error: error as Error })
        })
      })
    },
  }

  async function refresh(server: ViteDevServer, file: string): Promise<void> {
    ctx.invalidate()
    const next = await snapshot(ctx)
    const changed = [...next.keys()].filter((id) => next.get(id) !== previous.get(id))
    previous = next
    await writeTypes(ctx.facts.root, await ctx.app())
    if (changed.length === 0) return
    debug('%s changed %o', path.relative(ctx.facts.root, file), changed)
    const reload = { client: false, worker: false }
    for (const id of changed) {
      for (const environment of Object.values(server.environments)) {
        const node = environment.moduleGraph.getModuleById(resolvedVirtualId(id))
        if (node) environment.moduleGraph.invalidateModule(node)
      }
      reload.client ||= USED_BY[id].client
      reload.worker ||= USED_BY[id].worker
    }
    const worker = server.environments[ctx.options.workerEnvironment]
    if (reload.worker && worker) worker.hot.send({ type: 'full-reload' })
    if (reload.client) server.environments['client']?.hot.send({ type: 'full-reload', path: '*' })
  }
}

async function snapshot(ctx: MizanContext): Promise<Map<VirtualId, string>> {
  const app = await ctx.app()
  const ids = Object.keys(USED_BY) as VirtualId[]
  return new Map(ids.map((id) => [id, generatedModule(ctx, app, id, devClientBuild())]))
}
