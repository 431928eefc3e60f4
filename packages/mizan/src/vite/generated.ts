/**
 * The source of each generated module for the current app model, from the pure codegen of
 * `mizan/compiler`. Shared by the virtual modules plugin (serving them) and the dev plugin
 * (detecting which of them a file change affects).
 *
 * @example
 * ```ts
 * const code = generatedModule(ctx, app, VIRTUAL.hooks, devClientBuild())
 * ```
 * @module
 */
import type { AppModel } from '../compiler/app.ts'
import { generateClientEntry, generateHooksModule, generateManifestModule, generateWorkerEntry } from '../compiler/codegen.ts'
import { buildManifest } from '../compiler/manifest.ts'
import type { RouteTable } from '../compiler/routes.ts'
import type { ClientBuild } from './client-assets.ts'
import type { MizanContext } from './context.ts'
import { VIRTUAL } from './ids.ts'
import type { VirtualId } from './ids.ts'

/** Fast Refresh needs its preamble to run before any component module (see @vitejs/plugin-react). */
const REACT_PREAMBLE = '@vitejs/plugin-react/preamble'

/**
 * Source text of the generated module `id`.
 *
 * @example
 * ```ts
 * generatedModule(ctx, app, VIRTUAL.manifest, devClientBuild()) // 'export default {…}'
 * ```
 */
export function generatedModule(ctx: MizanContext, app: AppModel, id: VirtualId, client: ClientBuild): string {
  const importPath = (file: string): string => ctx.importPath(file)
  switch (id) {
    case VIRTUAL.hooks:
      return generateHooksModule(app)
    case VIRTUAL.manifest:
      return generateManifestModule(buildManifest(app, { inputs: client.inputs }), { clientEntry: client.assets.entry, css: client.assets.css })
    case VIRTUAL.clientEntry:
      return clientEntryModule(ctx, app)
    case VIRTUAL.workerEntry:
      return generateWorkerEntry(app, { importPath })
  }
}

/**
 * Source text of `virtual:mizan/client-entry`: it needs only the route table, so a build can
 * start the browser graph before the route modules are analysed.
 *
 * @example
 * ```ts
 * const code = clientEntryModule(ctx, await ctx.routeTable())
 * ```
 */
export function clientEntryModule(ctx: MizanContext, table: Pick<RouteTable, 'routes' | 'document' | 'notFound'>): string {
  const code = generateClientEntry(table, { importPath: (file) => ctx.importPath(file) })
  if (ctx.facts.command !== 'serve') return code
  // Static imports evaluate in order: the preamble runs before the document component.
  const header = code.indexOf('\n') + 1
  return `${code.slice(0, header)}import '${REACT_PREAMBLE}'\n${code.slice(header)}`
}
