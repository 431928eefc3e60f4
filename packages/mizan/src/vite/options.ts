/**
 * Options of the `mizan()` Vite plugin, validated when the plugin is created (not later, at a
 * request or in the middle of a build).
 *
 * @example
 * ```ts
 * import { resolveOptions } from './options.ts'
 * resolveOptions({ origin: 'http://127.0.0.1:4000' }).origin // 'http://127.0.0.1:4000'
 * ```
 * @module
 */
import type { PluginConfig as CloudflareOptions } from '@cloudflare/vite-plugin'
import type { Options as ReactOptions } from '@vitejs/plugin-react'
import { MizanError } from '@mizan/core/policy'
import { WORKER_ENVIRONMENT } from './ids.ts'

/** Options of {@link import('./index.ts').mizan}. Every key is optional. */
export interface MizanOptions {
  /**
   * Base URL of your backend, used by `ctx.origin.fetch(path)` (the Worker var `MIZAN_ORIGIN`).
   * Wins over a `vars.MIZAN_ORIGIN` in your wrangler config. Default: the wrangler config's value,
   * else `http://127.0.0.1:8787`.
   */
  origin?: string
  /** Options passed to `@vitejs/plugin-react` as they are. */
  react?: ReactOptions
  /** Options passed to `@cloudflare/vite-plugin`; a `config` customiser runs after Mizan's defaults. */
  cloudflare?: CloudflareOptions
  /** Print the routes / data functions summary after `vite build`. Default `true`. */
  summary?: boolean
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  origin: string | undefined
  react: ReactOptions
  cloudflare: CloudflareOptions
  summary: boolean
  /** Name of the Vite environment that runs the render Worker. */
  workerEnvironment: string
}

const KNOWN_KEYS = ['origin', 'react', 'cloudflare', 'summary'] as const

/**
 * Validates `mizan()` options and fills in defaults. Every problem is reported at once.
 *
 * @example
 * ```ts
 * resolveOptions({ orign: 'x' }) // throws MIZAN_CONFIG: unknown option "orign" …
 * ```
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return withDefaults({})
  if (!isPlainObject(options)) {
    throw configError([`mizan() takes an options object, got ${describe(options)}.`])
  }
  const problems: string[] = []
  for (const key of Object.keys(options)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      problems.push(`unknown option "${key}" (known options: ${KNOWN_KEYS.join(', ')}).`)
    }
  }
  const { origin, react, cloudflare, summary } = options as Record<string, unknown>
  if (origin !== undefined && !isHttpUrl(origin)) {
    problems.push(`"origin" must be an absolute http(s) URL such as 'http://127.0.0.1:4000', got ${describe(origin)}.`)
  }
  for (const [name, value] of [['react', react], ['cloudflare', cloudflare]] as const) {
    if (value !== undefined && !isPlainObject(value)) problems.push(`"${name}" must be an options object, got ${describe(value)}.`)
  }
  if (summary !== undefined && typeof summary !== 'boolean') problems.push(`"summary" must be true or false, got ${describe(summary)}.`)
  if (isPlainObject(cloudflare)) problems.push(...checkCloudflare(cloudflare))
  if (problems.length > 0) throw configError(problems)
  return withDefaults(options as MizanOptions)
}

function checkCloudflare(cloudflare: Record<string, unknown>): string[] {
  const env = cloudflare['viteEnvironment']
  if (env === undefined) return []
  const name = isPlainObject(env) ? env['name'] : undefined
  if (!isPlainObject(env) || (name !== undefined && (typeof name !== 'string' || name === '' || name === 'client'))) {
    return [`"cloudflare.viteEnvironment" must be { name: '<environment name other than client>' }, got ${describe(env)}.`]
  }
  return []
}

function withDefaults(options: MizanOptions): ResolvedOptions {
  const cloudflare = options.cloudflare ?? {}
  return {
    origin: options.origin === undefined ? undefined : options.origin.replace(/\/+$/, ''),
    react: options.react ?? {},
    cloudflare,
    summary: options.summary ?? true,
    workerEnvironment: cloudflare.viteEnvironment?.name ?? WORKER_ENVIRONMENT,
  }
}

function configError(problems: string[]): MizanError {
  const list = problems.map((p) => `  - ${p}`).join('\n')
  return new MizanError(
    'MIZAN_CONFIG',
    `Invalid mizan() options in vite.config.ts:\n${list}\nExample: plugins: [mizan({ origin: 'http://127.0.0.1:4000' })]`,
  )
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === ''
  } catch {
    return false
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}
