/**
 * `mizan:config` — Vite configuration Mizan needs: the browser entry, the client build manifest
 * (the Worker reads the hashed entry URL from it), one copy of React, and the app build order.
 * @module
 */
import path from 'node:path'
import type { Plugin } from 'vite'
import { startAnalysisThread } from '../analysis-thread.ts'
import { createBuildApp } from '../build-app.ts'
import type { MizanContext } from '../context.ts'
import { CLIENT_ENTRY_NAME, GENERATED_DIR, VIRTUAL } from '../ids.ts'

const REACT_DEPS = ['react', 'react-dom', 'react/jsx-runtime', 'react/jsx-dev-runtime']

/**
 * Creates the config sub-plugin. It must come before `@cloudflare/vite-plugin`'s config hook,
 * which keeps a `builder.buildApp` that is already set.
 *
 * @example
 * ```ts
 * const plugins = [configPlugin(ctx), ...cloudflare(…)]
 * ```
 */
export function configPlugin(ctx: MizanContext): Plugin {
  return {
    name: 'mizan:config',
    enforce: 'pre',
    config(userConfig, env) {
      const root = path.resolve(userConfig.root ?? process.cwd())
      // Its start-up, and the analysis of the route modules, overlap the rest of the config work.
      if (env.command === 'build') startAnalysisThread(root)
      return {
        resolve: { dedupe: ['react', 'react-dom'] },
        // Module paths in bundles (region comments, ids) relative to the app, not the shell's
        // folder: the same app builds to the same bytes wherever it is built from.
        build: { rolldownOptions: { cwd: root } },
        server: { watch: { ignored: [`**/${GENERATED_DIR}/**`] } },
        // Mizan's own build order: both at once, the Worker build writing the browser build's
        // hashed URLs and the build id next to the Worker once that build is done (the Cloudflare
        // plugin's buildApp would build the Worker first, then the browser).
        builder: { buildApp: userConfig.builder?.buildApp ?? createBuildApp(ctx) },
      }
    },
    configEnvironment(name) {
      if (name === 'client') {
        return {
          optimizeDeps: { include: [...REACT_DEPS, 'react-dom/client'] },
          build: {
            manifest: true,
            rolldownOptions: { input: { [CLIENT_ENTRY_NAME]: VIRTUAL.clientEntry } },
          },
        }
      }
      if (name === ctx.options.workerEnvironment) {
        return { optimizeDeps: { include: [...REACT_DEPS, 'react-dom/server.edge'] } }
      }
      return undefined
    },
    configResolved(config) {
      ctx.configure(config)
    },
  }
}
