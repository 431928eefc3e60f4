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
import { transformRouteModule } from '../../compiler/index.ts'
import type { MizanContext } from '../context.ts'
import { reportBuildError } from '../report-error.ts'

const SCRIPT_RE = /\.[cm]?[jt]sx?$/

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
          const app = await ctx.app()
          // The Worker keeps the module as written; loading the app already validated this very text.
          if (target === 'worker' && loadedFrom(app, relative, code)) return undefined
          // Not a page route (a component, the 404 page): routeId null, so a client() there is reported as misplaced.
          const routeId = app.routes.find((route) => route.file === relative)?.id ?? null
          // A build without sourcemaps (Vite's default for the browser) gets none from here either.
          const sourcemap = this.environment.mode === 'dev' || Boolean(this.environment.config.build.sourcemap)
          return transformRouteModule(code, { file: relative, routeId, target, sourcemap }) ?? undefined
        } catch (error) {
          reportBuildError(this, error, root)
        }
      },
    },
  }
}
