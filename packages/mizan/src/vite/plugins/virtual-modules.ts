/**
 * `mizan:virtual-modules` — serves the generated modules `virtual:mizan/hooks`,
 * `virtual:mizan/worker-entry`, `virtual:mizan/client-entry` and `virtual:mizan/manifest`
 * from the app model (the code itself comes from the pure codegen in `mizan/compiler`).
 * @module
 */
import type { Plugin } from 'vite'
import { devClientBuild } from '../client-assets.ts'
import { clientEntryModule, generatedModule } from '../generated.ts'
import type { MizanContext } from '../context.ts'
import { RESOLVED_VIRTUAL_ID_RE, VIRTUAL, VIRTUAL_ID_RE, resolvedVirtualId } from '../ids.ts'
import type { VirtualId } from '../ids.ts'
import { reportBuildError } from '../report-error.ts'

const KNOWN = new Map<string, VirtualId>(Object.values(VIRTUAL).map((id) => [resolvedVirtualId(id), id]))

/**
 * Creates the virtual modules sub-plugin.
 *
 * @example
 * ```ts
 * plugins.push(virtualModulesPlugin(ctx))
 * ```
 */
export function virtualModulesPlugin(ctx: MizanContext): Plugin {
  return {
    name: 'mizan:virtual-modules',
    resolveId: {
      filter: { id: VIRTUAL_ID_RE },
      handler(source) {
        const resolved = `\0${source}`
        if (KNOWN.has(resolved)) return resolved
        this.error(`Unknown Mizan module "${source}". Mizan generates: ${Object.values(VIRTUAL).join(', ')}.`)
      },
    },
    load: {
      filter: { id: RESOLVED_VIRTUAL_ID_RE },
      async handler(id) {
        const name = KNOWN.get(id)
        if (name === undefined) return undefined
        // In a build the browser entry needs only the route table: the browser graph starts while
        // the route modules are still being analysed (the hooks module waits for the whole app).
        if (name === VIRTUAL.clientEntry && this.environment.mode !== 'dev') {
          const table = await ctx.routeTable().catch((error: unknown) => reportBuildError(this, error, ctx.facts.root))
          return clientEntryModule(ctx, table)
        }
        const app = await ctx.app().catch((error: unknown) => reportBuildError(this, error, ctx.facts.root))
        // The manifest module embeds the browser build's hashed URLs and build id inputs, and
        // waits for that build, which runs beside this one; no other module (and nothing in dev) does.
        const built = this.environment.config.consumer === 'server' && this.environment.config.command === 'build'
        const needsClient = built && name === VIRTUAL.manifest
        const client = needsClient ? await ctx.clientBuild() : devClientBuild()
        return generatedModule(ctx, app, name, client)
      },
    },
  }
}
