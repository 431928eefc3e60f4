/**
 * `mizan:types` — keeps `.mizan/types` in step with the app at startup and at every build, so
 * `tsc --noEmit` passes after `vite dev` or `vite build` as well as after `mizan typegen`.
 * @module
 */
import type { Plugin } from 'vite'
import type { AppModel } from '../../compiler/index.ts'
import type { MizanContext } from '../context.ts'
import { debug } from '../debug.ts'
import { reportBuildError } from '../report-error.ts'
import { writeTypes } from '../typegen.ts'

/**
 * App models whose types were written. Module-level: every environment of a build has its own
 * plugin instance but shares one app model (see context.ts), and its types need writing once.
 */
const written = new WeakSet<AppModel>()

/**
 * Creates the typegen sub-plugin. In dev a broken route file is reported but does not stop the
 * server (the page shows the error); in a build it fails the build.
 *
 * @example
 * ```ts
 * plugins.push(typesPlugin(ctx))
 * ```
 */
export function typesPlugin(ctx: MizanContext): Plugin {
  let pending: Promise<unknown> | undefined
  const write = async (): Promise<void> => {
    const app = await ctx.app()
    if (written.has(app)) return
    const changed = await writeTypes(ctx.facts.root, app)
    written.add(app)
    if (changed.length > 0) debug('types written: %o', changed)
  }
  return {
    name: 'mizan:types',
    async buildStart() {
      if (ctx.facts.command === 'build') {
        // Not awaited here: the browser graph starts (it needs only the route table) while the
        // app is analysed and its types written; buildEnd waits, so a broken app fails the build.
        pending = write().then(() => undefined, (error: unknown) => error ?? new Error('loading the app failed'))
        return
      }
      try {
        await write()
      } catch (error) {
        this.warn(error instanceof Error ? error.message : String(error))
      }
    },
    async buildEnd() {
      const failure = await pending
      pending = undefined
      if (failure !== undefined) reportBuildError(this, failure, ctx.facts.root)
    },
  }
}
