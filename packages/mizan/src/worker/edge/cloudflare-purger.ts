/**
 * `createCloudflarePurger`: the client of Cloudflare's purge-by-tag API that the purge endpoint
 * hands purged tags to, so Cloudflare drops the tagged Cache API entries in every data centre.
 * @module
 */
import { MizanError } from '@mizan/core'
import { CloudflarePurgeError, purgeTagsOnce } from './cloudflare-api.ts'
import type { ApiTarget } from './cloudflare-api.ts'

/**
 * Options of {@link createCloudflarePurger}.
 *
 * @example
 * ```ts
 * const options: CloudflarePurgerOptions = { token: env.CF_API_TOKEN, zone: env.CF_ZONE_ID }
 * ```
 */
export interface CloudflarePurgerOptions {
  /** An API token with the Zone → Cache Purge permission. */
  readonly token: string
  /** The zone id (Cloudflare dashboard → the domain → Overview → Zone ID). */
  readonly zone: string
  /** API base URL (default `https://api.cloudflare.com`); tests point it at a stand-in. */
  readonly apiBase?: string
  /** The fetch to use (default the global one). */
  readonly fetch?: (input: string, init: RequestInit) => Promise<Response>
  /** Most tags per API call: 1–100 (default 100, Cloudflare's limit). */
  readonly batch?: number
  /** Tags asked for within this many ms go out together (default 25). */
  readonly coalesceMs?: number
  /** Retries of 429, 5xx and network errors (default: 5 attempts, backoff from 500 ms up to 30 s). */
  readonly retry?: { readonly attempts?: number; readonly baseMs?: number; readonly maxMs?: number }
}

/**
 * Purges tags from Cloudflare's cache.
 *
 * @example
 * ```ts
 * await cdn.purgeTags(['post:hello', 'posts'])
 * ```
 */
export interface CloudflarePurger {
  /** Resolves once Cloudflare accepted every tag; rejects with `CloudflarePurgeError`. */
  purgeTags(tags: readonly string[]): Promise<void>
}

interface Window {
  readonly tags: Set<string>
  readonly done: Promise<void>
}

const MAX_BATCH = 100
// Purges run in ctx.waitUntil, which Workers keep for about 30 s after the response.
const MAX_WAIT_MS = 25_000

/**
 * A client of Cloudflare's purge-by-tag API: tags asked for within `coalesceMs` are merged and
 * deduplicated, sent ≤ 100 a call, and 429 (after its `Retry-After`), 5xx and network errors are
 * retried with exponential backoff; any other 4xx fails at once with the API's error messages.
 * Throws `MizanError('MIZAN_CONFIG')` for bad options.
 *
 * @example
 * ```ts
 * import { createCloudflarePurger } from 'mizan/worker'
 * const cdn = createCloudflarePurger({ token: env.CF_API_TOKEN, zone: env.CF_ZONE_ID })
 * ctx.waitUntil(cdn.purgeTags(summary.tags))
 * ```
 */
export function createCloudflarePurger(options: CloudflarePurgerOptions): CloudflarePurger {
  const settings = resolve(options)
  let open: Window | undefined
  const flush = async (tags: readonly string[]): Promise<void> => {
    const failures: CloudflarePurgeError[] = []
    for (let i = 0; i < tags.length; i += settings.batch) {
      const error = await sendWithRetries(settings, tags.slice(i, i + settings.batch))
      if (error !== undefined) failures.push(error)
    }
    if (failures.length === 1) throw failures[0]
    if (failures.length > 1) {
      const first = failures[0]!
      throw new CloudflarePurgeError(`${failures.length} of ${Math.ceil(tags.length / settings.batch)} Cloudflare purge calls failed; first: ${first.message}`, first)
    }
  }
  return {
    purgeTags(tags) {
      if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || tag === '')) {
        return Promise.reject(new MizanError('MIZAN_CONFIG', 'purgeTags: tags must be an array of non-empty strings, e.g. purgeTags([\'post:hello\']).'))
      }
      if (tags.length === 0) return Promise.resolve()
      if (open === undefined) {
        const window: Window = {
          tags: new Set(),
          done: new Promise<void>((resolve) => setTimeout(resolve, settings.coalesceMs)).then(() => {
            if (open === window) open = undefined
            return flush([...window.tags])
          }),
        }
        open = window
      }
      for (const tag of tags) open.tags.add(tag)
      return open.done
    },
  }
}

interface Settings {
  readonly target: ApiTarget
  readonly batch: number
  readonly coalesceMs: number
  readonly attempts: number
  readonly baseMs: number
  readonly maxMs: number
}

async function sendWithRetries(settings: Settings, tags: readonly string[]): Promise<CloudflarePurgeError | undefined> {
  for (let attempt = 1; ; attempt++) {
    const result = await purgeTagsOnce(settings.target, tags, Date.now())
    if (result.kind === 'done') return undefined
    if (result.kind === 'fail' || attempt >= settings.attempts) return result.error
    const step = Math.min(settings.maxMs, settings.baseMs * 2 ** (attempt - 1))
    const backoff = step / 2 + Math.random() * (step / 2)
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_WAIT_MS, Math.max(backoff, result.afterMs ?? 0))))
  }
}

function resolve(options: CloudflarePurgerOptions): Settings {
  if (typeof options !== 'object' || options === null) throw new MizanError('MIZAN_CONFIG', 'createCloudflarePurger: options must be an object like { token: env.CF_API_TOKEN, zone: env.CF_ZONE_ID }.')
  const problems: string[] = []
  if (typeof options.token !== 'string' || options.token.trim() === '') problems.push('token must be a Cloudflare API token with the Zone → Cache Purge permission (set CF_API_TOKEN)')
  if (typeof options.zone !== 'string' || !/^[A-Za-z0-9]+$/.test(options.zone)) problems.push(`zone must be the zone id (32 hex characters, set CF_ZONE_ID), got ${JSON.stringify(options.zone)}`)
  const apiBase = options.apiBase ?? 'https://api.cloudflare.com'
  if (typeof apiBase !== 'string' || !/^https?:\/\//.test(apiBase)) problems.push(`apiBase must be an http(s) URL, got ${JSON.stringify(apiBase)}`)
  const fetcher = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init))
  if (typeof fetcher !== 'function') problems.push('fetch must be a function')
  const integer = (value: unknown, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    if (value === undefined) return fallback
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value
    problems.push(`${name} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}, got ${String(value)}`)
    return fallback
  }
  const settings: Settings = {
    target: { url: `${String(apiBase).replace(/\/+$/, '')}/client/v4/zones/${options.zone}/purge_cache`, token: options.token, fetch: fetcher },
    batch: integer(options.batch, 'batch', MAX_BATCH, 1, MAX_BATCH),
    coalesceMs: integer(options.coalesceMs, 'coalesceMs', 25, 0),
    attempts: integer(options.retry?.attempts, 'retry.attempts', 5, 1),
    baseMs: integer(options.retry?.baseMs, 'retry.baseMs', 500, 1),
    maxMs: integer(options.retry?.maxMs, 'retry.maxMs', 30_000, 1),
  }
  if (problems.length > 0) throw new MizanError('MIZAN_CONFIG', `Invalid createCloudflarePurger options: ${problems.join('; ')}.`)
  return settings
}
