/**
 * `mizan/vite` — the Mizan Vite plugin. One call adds everything: React (with Fast Refresh),
 * the Cloudflare Workers runtime for the render Worker, and Mizan's own sub-plugins (routes,
 * generated modules, the `client()` transform, the server-only guard, typegen, the manifest).
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from 'vite'
 * import { mizan } from 'mizan/vite'
 * export default defineConfig({ plugins: [mizan({ origin: 'http://127.0.0.1:4000' })] })
 * ```
 * @module
 */
import react from '@vitejs/plugin-react'
import type { PluginOption } from 'vite'
import { buildRootFromArgv, startAnalysisThread } from './analysis-thread.ts'
import { MizanContext } from './context.ts'
import { resolveOptions } from './options.ts'
import type { MizanOptions } from './options.ts'
import { devSecretPlugin, LocalSecretState } from './dev-secret.ts'
import { configPlugin } from './plugins/config.ts'
import { devPlugin } from './plugins/dev.ts'
import { serverOnlyPlugin } from './plugins/server-only.ts'
import { transformPlugin } from './plugins/transform.ts'
import { typesPlugin } from './plugins/types.ts'
import { virtualModulesPlugin } from './plugins/virtual-modules.ts'
import { cloudflareOptions } from './worker-config.ts'

export type { MizanOptions } from './options.ts'

/**
 * Creates the Mizan plugin list. Options are validated here, so a typo fails at config load.
 * Do not add `@vitejs/plugin-react` or `@cloudflare/vite-plugin` yourself: pass their options
 * as `react` and `cloudflare`.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [mizan()] })
 * ```
 */
export function mizan(options?: MizanOptions): PluginOption[] {
  const ctx = new MizanContext(resolveOptions(options))
  const local = new LocalSecretState()
  // `vite build` on the command line: the analysis thread starts on the app now, while Vite is
  // still loading the config's imports (the Cloudflare plugin and wrangler take most of a
  // second); the config hook starts it anyway, with the root it then knows for sure.
  const root = buildRootFromArgv(process.argv)
  if (root !== null) startAnalysisThread(root)
  return [
    // First: its config hook sets builder.buildApp before the Cloudflare plugin installs its own.
    configPlugin(ctx),
    // Before React's JSX/TS compilation (enforce: 'pre' as well, listed first to run first):
    // client() bodies are removed from the user's source as written.
    transformPlugin(ctx),
    // Before Vite's resolver turns node: imports into browser stubs (enforce: 'pre').
    serverOnlyPlugin(ctx),
    // Before the Cloudflare plugin's config hook, which asks for the Worker config (and its vars).
    devSecretPlugin(local),
    ...react(ctx.options.react),
    // Loaded when Vite resolves the plugins (it awaits a plugin promise in place, so the order
    // holds): importing it pulls in wrangler and miniflare, which the lines above need not wait for.
    import('@cloudflare/vite-plugin').then(({ cloudflare }) => cloudflare(cloudflareOptions(ctx.options, local))),
    virtualModulesPlugin(ctx),
    typesPlugin(ctx),
    devPlugin(ctx),
  ]
}

