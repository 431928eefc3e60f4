/**
 * `mizan:virtual-modules` — serves the generated modules `virtual:mizan/hooks`,
 * `virtual:mizan/worker-entry`, `virtual:mizan/client-entry` and `virtual:mizan/manifest`
 * from the app model (the code itself comes from the pure codegen in `mizan/compiler`), and, in a
 * build, writes the module with the browser build's URLs and the build id next to the Worker.
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'vite'
import { generateClientBuildModule, generateManifestModule } from '../../compiler/codegen.ts'
import { buildManifest } from '../../compiler/manifest.ts'
import { devClientBuild } from '../client-assets.ts'
import { clientEntryModule, generatedModule } from '../generated.ts'
import type { MizanContext } from '../context.ts'
import { CLIENT_BUILD_FILE, RESOLVED_VIRTUAL_ID_RE, VIRTUAL, VIRTUAL_ID_RE, resolvedVirtualId } from '../ids.ts'
import type { VirtualId } from '../ids.ts'
import { reportBuildError } from '../report-error.ts'

const KNOWN = new Map<string, VirtualId>(Object.values(VIRTUAL).map((id) => [resolvedVirtualId(id), id]))
const MANIFEST_ID = resolvedVirtualId(VIRTUAL.manifest)
const CLIENT_BUILD_RE = new RegExp(`^\\./${CLIENT_BUILD_FILE.replace(/\./g, '\\.')}$`)

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
      filter: { id: [VIRTUAL_ID_RE, CLIENT_BUILD_RE] },
      handler(source, importer) {
        // The built Worker's manifest module imports what the browser build produced from a file
        // written next to the Worker after that build (see writeBundle): not bundled, kept as is.
        if (CLIENT_BUILD_RE.test(source)) return importer === MANIFEST_ID ? { id: source, external: true } : undefined
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
        // A built Worker's manifest module takes the browser build's URLs and the build id from
        // the file writeBundle writes: nothing in the Worker's module graph waits for that build.
        if (name === VIRTUAL.manifest && builtWorker(this.environment)) return generateManifestModule(buildManifest(app), { from: `./${CLIENT_BUILD_FILE}` })
        return generatedModule(ctx, app, name, devClientBuild())
      },
    },
    async writeBundle(output) {
      if (!builtWorker(this.environment)) return
      // The one place the Worker build waits for the browser build (which runs beside it).
      const client = await ctx.clientBuild()
      const app = await ctx.app()
      // The same inputs as manifest.json's build id (build-app.ts), so both carry the same id.
      const { buildId } = buildManifest(app, { inputs: client.inputs })
      // Where this build wrote the Worker: its output dir (Vite always sets one), else next to its file.
      const dir = output.dir ?? (output.file !== undefined ? path.dirname(output.file) : path.resolve(ctx.facts.root, this.environment.config.build.outDir))
      fs.writeFileSync(path.join(dir, CLIENT_BUILD_FILE), generateClientBuildModule(buildId, { clientEntry: client.assets.entry, css: client.assets.css }))
    },
  }
}


function builtWorker(environment: { config: { consumer: string; command: string } }): boolean {
  return environment.config.consumer === 'server' && environment.config.command === 'build'
}
