/**
 * `mizan:transform` — rewrites route modules: in the browser every `client()` body (and the
 * imports only it used) is replaced by a stub that calls the data endpoint; in the Worker the
 * module is only validated, and not even that when the app model was loaded from the same text.
 * The work is the pure `transformRouteModule` of `mizan/compiler`.
 * @module
 */
import path from 'node:path'
import type { Plugin } from 'vite'
import { loadedFrom } from '../../compiler/app.ts'
import type { TransformOptions } from '../../compiler/transform.ts'
import type { RouteEntry } from '../../compiler/routes.ts'
import { transformOffThread } from '../analysis-thread.ts'
import type { MizanContext } from '../context.ts'
import { reportBuildError } from '../report-error.ts'

const SCRIPT_RE = /\.[cm]?[jt]sx?$/

/** Route id by file, for each route list (one per app model / route table). */
const idsByFile = new WeakMap<readonly RouteEntry[], ReadonlyMap<string, string>>()

function routeIdOf(routes: readonly RouteEntry[], file: string): string | null {
  let ids = idsByFile.get(routes)
  if (ids === undefined) idsByFile.set(routes, (ids = new Map(routes.map((route) => [route.file, route.id]))))
  return ids.get(file) ?? null
}

/**
 * Creates the transform sub-plugin. `enforce: 'pre'`: it must see the source before TypeScript
 * and JSX are compiled away, so positions in errors and sourcemaps are the user's.
 *
 * @example
 * ```ts
 * plugins.push(transformPlugin(ctx))
 * ```
 */
export function transformPlugin(ctx: MizanContext): Plugin {
  return {
    name: 'mizan:transform',
    enforce: 'pre',
    transform: {
      // Only modules that import from 'mizan' can call client(); everything else is skipped cheaply.
      filter: { id: { include: SCRIPT_RE, exclude: /\/node_modules\// }, code: /['"]mizan['"]/ },
      async handler(code, id) {
        const file = id.split('?', 1)[0]!
        const { root } = ctx.facts
        if (!file.startsWith(root + path.sep)) return undefined
        const relative = path.relative(root, file).split(path.sep).join('/')
        const target = this.environment.config.consumer === 'client' ? 'browser' : 'worker'
        try {
          const dev = this.environment.mode === 'dev'
          let routes: readonly RouteEntry[]
          if (target === 'browser' && !dev) {
            // A browser build needs only the route id: it does not wait for the whole app's
            // analysis (the memo shares this module's with it, whichever comes first). A broken
            // app still fails the build, from the types plugin's buildEnd.
            routes = (await ctx.routeTable()).routes
          } else {
            // In dev every module of a broken app shows the app's error, as the page would.
            const app = await ctx.app()
            // The Worker keeps the module as written; loading the app already validated this very text.
            if (target === 'worker' && loadedFrom(app, relative, code)) return undefined
            routes = app.routes
          }
          // Not a page route (a component, the 404 page): routeId null, so a client() there is reported as misplaced.
          const routeId = routeIdOf(routes, relative)
          // A build without sourcemaps (Vite's default for the browser) gets none from here either.
          const sourcemap = dev || Boolean(this.environment.config.build.sourcemap)
          try {
            const options: TransformOptions = { file: relative, routeId, target, sourcemap }
            // A build's browser rewrites run where its app model was analysed (see analysis-thread.ts).
            if (target === 'browser' && !dev) return (await transformOffThread(code, options)) ?? undefined
            // Loaded here, not with the plugin: a build's main thread never needs the parser.
            const { transformRouteModule } = await import('../../compiler/transform.ts')
            return transformRouteModule(code, options) ?? undefined
          } catch (error) {
            // The app's own error, when it has one, reports this module's problems with every other.
            await ctx.app()
            throw error
          }
        } catch (error) {
          reportBuildError(this, error, root)
        }
      },
    },
  }
}
