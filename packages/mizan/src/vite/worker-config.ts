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
import { MizanError } from '@mizan/core/policy'
import type { PluginConfig as CloudflareOptions, WorkerConfig } from '@cloudflare/vite-plugin'
import { VIRTUAL } from './ids.ts'
import type { LocalSecretState } from './dev-secret.ts'
import type { ResolvedOptions } from './options.ts'

/** Must not be newer than the workerd bundled with `@cloudflare/vite-plugin` (2026-10-12). */
export const COMPATIBILITY_DATE = '2026-10-01'

/** `ctx.origin.fetch` goes here when neither `mizan({ origin })` nor the wrangler config says otherwise. */
export const DEFAULT_ORIGIN = 'http://127.0.0.1:8787'

/** Name of the Workers assets binding Mizan configures. */
export const ASSETS_BINDING = 'ASSETS'

/** The purge-state Durable Object: its binding and class (exported by the generated Worker entry). */
export const PURGE_BINDING = 'MIZAN_PURGE'
export const PURGE_CLASS = 'MizanPurgeState'
/** The migration that creates the purge-state class (SQLite-backed). */
export const PURGE_MIGRATION = Object.freeze({ tag: 'mizan-purge-state-v1', new_sqlite_classes: [PURGE_CLASS] })

type Patch = Partial<WorkerConfig>

/**
 * What Mizan adds to a Worker config: `main` (the generated entry, unless the user's config names
 * its own entry — which may re-export `virtual:mizan/worker-entry`), a compatibility date,
 * `nodejs_compat`, the assets binding, `vars.MIZAN_ORIGIN`, and the purge-state Durable Object
 * (binding `MIZAN_PURGE` → class `MizanPurgeState`, with its migration). Only missing values
 * are set, except `origin`, which was asked for explicitly. Arrays are merged by the Cloudflare
 * plugin (ours first), so the user's own bindings and migrations stay.
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
  const bindings = config.durable_objects?.bindings ?? []
  if (!bindings.some((b) => b.name === PURGE_BINDING)) {
    patch.durable_objects = { bindings: [{ name: PURGE_BINDING, class_name: PURGE_CLASS }] }
  }
  const migrations = config.migrations ?? []
  const created = migrations.some((m) => [...(m.new_sqlite_classes ?? []), ...(m.new_classes ?? [])].includes(PURGE_CLASS))
  if (!created) {
    // Migrations apply in order and the merge puts ours first: next to existing ones it would
    // rewrite the history of a deployed Worker, so the user appends it themselves.
    if (migrations.length > 0) throw missingMigration(migrations.length)
    patch.migrations = [{ ...PURGE_MIGRATION, new_sqlite_classes: [...PURGE_MIGRATION.new_sqlite_classes] }]
  }
  return patch
}

function missingMigration(count: number): MizanError {
  return new MizanError(
    'MIZAN_CONFIG',
    `Your Wrangler config has ${count} Durable Object migration(s) but none creates ${PURGE_CLASS}, the Durable Object Mizan keeps purge state in. Append this one to "migrations" in wrangler.jsonc:\n  { "tag": "${PURGE_MIGRATION.tag}", "new_sqlite_classes": ["${PURGE_CLASS}"] }`,
  )
}

/**
 * The options for `@cloudflare/vite-plugin`: the user's pass-through options with Mizan's
 * Worker environment name and config customiser (which, under `vite dev`, also passes the
 * local `MIZAN_SECRET` of `local` as a var).
 *
 * @example
 * ```ts
 * cloudflareOptions(resolveOptions(undefined)).viteEnvironment // { name: 'ssr' }
 * ```
 */
export function cloudflareOptions(options: ResolvedOptions, local?: LocalSecretState): CloudflareOptions {
  const user = options.cloudflare
  const userCustomizer = user.config
  return {
    ...user,
    viteEnvironment: { ...user.viteEnvironment, name: options.workerEnvironment },
    config(config: WorkerConfig): Patch {
      const ours = withDevSecret(mizanWorkerPatch(config, options.origin), config, local)
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
 * `vite dev` only: the local secret as a var (unless the config already has one), and pages
 * rendered on every request — an edited component does not change a page's cache version.
 */
function withDevSecret(patch: Patch, config: WorkerConfig, local: LocalSecretState | undefined): Patch {
  if (local?.serving !== true) return patch
  const vars: Record<string, string> = { ...(patch.vars as Record<string, string> | undefined), MIZAN_PAGE_CACHE: 'off' }
  const secret = config.vars?.['MIZAN_SECRET'] === undefined ? local.devVar() : undefined
  if (secret !== undefined) vars['MIZAN_SECRET'] = secret
  return { ...patch, vars }
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
