/**
 * The render Worker's configuration, given to `@cloudflare/vite-plugin` as a `config`
 * customiser. The plugin reads the user's `wrangler.jsonc|json|toml` when there is one (or
 * starts from Wrangler's defaults); Mizan then fills in only what is missing, and a user
 * customiser (`mizan({ cloudflare: { config } })`) runs last and wins.
 *
 * @example
 * ```ts
 * import { cloudflare } from '@cloudflare/vite-plugin'
 * cloudflare(cloudflareOptions(resolveOptions({ origin: 'http://127.0.0.1:4000' })))
 * ```
 * @module
 */
import type { PluginConfig as CloudflareOptions, WorkerConfig } from '@cloudflare/vite-plugin'
import { VIRTUAL } from './ids.ts'
import type { ResolvedOptions } from './options.ts'

/** Must not be newer than the workerd bundled with `@cloudflare/vite-plugin` (2026-10-12). */
export const COMPATIBILITY_DATE = '2026-10-01'

/** `ctx.origin.fetch` goes here when neither `mizan({ origin })` nor the wrangler config says otherwise. */
export const DEFAULT_ORIGIN = 'http://127.0.0.1:8787'

/** Name of the Workers assets binding Mizan configures. */
export const ASSETS_BINDING = 'ASSETS'

type Patch = Partial<WorkerConfig>

/**
 * What Mizan adds to a Worker config: `main` (the generated entry, unless the user's config names
 * its own entry — which may re-export `virtual:mizan/worker-entry`), a compatibility date,
 * `nodejs_compat`, the assets binding and `vars.MIZAN_ORIGIN`. Only missing values are set,
 * except `origin`, which was asked for explicitly.
 *
 * @example
 * ```ts
 * mizanWorkerPatch({ vars: {} } as WorkerConfig, undefined).vars // { MIZAN_ORIGIN: 'http://127.0.0.1:8787' }
 * ```
 */
export function mizanWorkerPatch(config: WorkerConfig, origin: string | undefined): Patch {
  const patch: Patch = {}
  if (!config.main) patch.main = VIRTUAL.workerEntry
  if (!config.compatibility_date) patch.compatibility_date = COMPATIBILITY_DATE
  const flags = config.compatibility_flags ?? []
  if (!flags.includes('nodejs_compat')) patch.compatibility_flags = ['nodejs_compat']
  if (!config.assets?.binding) patch.assets = { ...config.assets, binding: ASSETS_BINDING }
  const vars = config.vars ?? {}
  if (origin !== undefined || vars['MIZAN_ORIGIN'] === undefined) {
    patch.vars = { MIZAN_ORIGIN: origin ?? DEFAULT_ORIGIN }
  }
  return patch
}

/**
 * The options for `@cloudflare/vite-plugin`: the user's pass-through options with Mizan's
 * Worker environment name and config customiser.
 *
 * @example
 * ```ts
 * cloudflareOptions(resolveOptions(undefined)).viteEnvironment // { name: 'ssr' }
 * ```
 */
export function cloudflareOptions(options: ResolvedOptions): CloudflareOptions {
  const user = options.cloudflare
  const userCustomizer = user.config
  return {
    ...user,
    viteEnvironment: { ...user.viteEnvironment, name: options.workerEnvironment },
    config(config: WorkerConfig): Patch {
      const ours = mizanWorkerPatch(config, options.origin)
      if (userCustomizer === undefined) return ours
      if (typeof userCustomizer !== 'function') return mergePatch(userCustomizer, ours)
      const seen = mergePatch(ours, config) as WorkerConfig
      // A customiser may mutate the config it is given and return nothing.
      const theirs = userCustomizer(seen) ?? seen
      return mergePatch(theirs, ours)
    },
  }
}

/**
 * Deep-merges two config patches, `winner` first; arrays are concatenated without duplicates
 * (the Cloudflare plugin merges the result into the file config the same way).
 *
 * @example
 * ```ts
 * mergePatch({ vars: { A: '1' } }, { vars: { B: '2' } }) // { vars: { A: '1', B: '2' } }
 * ```
 */
export function mergePatch(winner: object, loser: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(loser as Record<string, unknown>) }
  for (const [key, value] of Object.entries(winner)) {
    if (value === undefined) continue
    const previous = out[key]
    if (Array.isArray(value) && Array.isArray(previous)) out[key] = [...new Set([...value, ...previous])]
    else if (isPlainObject(value) && isPlainObject(previous)) out[key] = mergePatch(value, previous)
    else out[key] = value
  }
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
