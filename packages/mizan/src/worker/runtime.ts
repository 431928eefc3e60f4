/**
 * What caching needs per request, resolved from the Worker's env once per isolate: the secret
 * (`MIZAN_SECRET`), the cache backend and the purge replay store. A missing or bad secret, or
 * no backend, turns caching off (every response `BYPASS`, nothing stored) and is logged once;
 * rendering goes on.
 * @module
 */
import { createSecret, MizanError } from '@mizan/core'
import type { CacheBackend, CacheSecret, ReplayStore } from '@mizan/core'
import type { TagPurger } from './purge.ts'

/** A value, or how to make it from the Worker's env (called once per env object). */
export type FromEnv<T> = T | ((env: unknown) => T)

/** The Worker's execution context, as far as Mizan uses it. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * The cache of one request: everything `cacheFetch` needs besides the function.
 *
 * @example
 * ```ts
 * const cache = await runtime.cacheFor(request, env, ctx)
 * if (cache !== null) await cacheFetch({ secret: cache.secret, backend: cache.backend, waitUntil: cache.waitUntil, … })
 * ```
 */
export interface RequestCache {
  readonly secret: CacheSecret
  readonly backend: CacheBackend
  waitUntil(promise: Promise<unknown>): void
}

/** How the runtime finds its parts; `backend`/`replay` default to the edge's (see handler). */
export interface RuntimeOptions {
  readonly backend: FromEnv<CacheBackend> | undefined
  readonly replay: FromEnv<ReplayStore> | undefined
  readonly cdn: FromEnv<TagPurger | null> | undefined
  readonly onError: (error: unknown, request: Request) => void
}

/** Why caching is off, said once per isolate. */
const SECRET_FIX =
  'Caching is off (every response says x-mizan-cache: BYPASS) until the Worker has a valid MIZAN_SECRET: run `wrangler secret put MIZAN_SECRET` with the output of `openssl rand -hex 32`, or put MIZAN_SECRET=<that> in .dev.vars for local runs.'

/**
 * Resolves and memoises the secret, backend and replay store of each env.
 *
 * @example
 * ```ts
 * const runtime = new CacheRuntime({ backend: new MemoryCache(), replay: undefined, onError })
 * ```
 */
export class CacheRuntime {
  private readonly options: RuntimeOptions
  private readonly secrets = new Map<string, Promise<CacheSecret | SecretProblem>>()
  private readonly backends = new WeakMap<object, CacheBackend | null>()
  private readonly replays = new WeakMap<object, ReplayStore | null>()
  private readonly cdns = new WeakMap<object, TagPurger | null>()
  private readonly reported = new Set<string>()

  constructor(options: RuntimeOptions) {
    this.options = options
  }

  /** The secret of `env`, or why there is none (reported once through `onError`). */
  async secret(request: Request, env: unknown): Promise<CacheSecret | SecretProblem> {
    const text = (env as { MIZAN_SECRET?: unknown } | undefined)?.MIZAN_SECRET
    const key = typeof text === 'string' ? text : ''
    let secret = this.secrets.get(key)
    if (secret === undefined) {
      secret = key === '' ? Promise.resolve(new SecretProblem('MIZAN_SECRET missing', 'the Worker has no MIZAN_SECRET.')) : createSecret(key).catch((error: unknown) => new SecretProblem('MIZAN_SECRET invalid', (error as Error).message))
      if (this.secrets.size > 4) this.secrets.clear()
      this.secrets.set(key, secret)
    }
    const resolved = await secret
    if (resolved instanceof SecretProblem) this.reportOnce(request, resolved.summary, () => new MizanError('MIZAN_SECRET', `${resolved.detail} ${SECRET_FIX}`))
    return resolved
  }

  /** The cache of this request, or `null` when caching is off. */
  async cacheFor(request: Request, env: unknown, ctx: unknown): Promise<RequestCache | null> {
    const secret = await this.secret(request, env)
    if (secret instanceof SecretProblem) return null
    const backend = this.resolve(this.backends, this.options.backend, request, env, 'backend')
    if (backend === null) return null
    return { secret, backend, waitUntil: waitUntilOf(ctx) }
  }

  /** The purge replay store of `env`, or `null` when it cannot be made (reported once). */
  replay(request: Request, env: unknown): ReplayStore | null {
    return this.resolve(this.replays, this.options.replay, request, env, 'replay store')
  }

  /** The CDN tag purger of `env`, `null` when none is configured. */
  cdn(request: Request, env: unknown): TagPurger | null {
    return this.options.cdn === undefined ? null : this.resolve(this.cdns, this.options.cdn, request, env, 'CDN purger')
  }

  /** Reports a failure of background work (a CDN purge) through `onError`. */
  report(error: unknown, request: Request): void {
    this.options.onError(error, request)
  }

  private resolve<T>(memo: WeakMap<object, T | null>, source: FromEnv<T> | undefined, request: Request, env: unknown, what: string): T | null {
    if (source === undefined) {
      this.reportOnce(request, what, () => new MizanError('MIZAN_CONFIG', `Caching is off: this Worker has no cache ${what}. The generated Worker entry configures the edge one; a custom entry must pass it to createHandler().`))
      return null
    }
    if (typeof source !== 'function') return source
    const key = typeof env === 'object' && env !== null ? env : NO_ENV
    if (memo.has(key)) return memo.get(key) ?? null
    let value: T | null
    try {
      value = (source as (env: unknown) => T)(env)
    } catch (error) {
      this.reportOnce(request, what, () => error)
      value = null
    }
    memo.set(key, value)
    return value
  }

  private reportOnce(request: Request, key: string, error: () => unknown): void {
    if (this.reported.has(key)) return
    this.reported.add(key)
    this.options.onError(error(), request)
  }
}

/**
 * Why there is no secret: `summary` is what the purge endpoint answers (503), `detail` what is
 * logged.
 *
 * @example
 * ```ts
 * if (secret instanceof SecretProblem) return purgeUnavailable(secret.summary)
 * ```
 */
export class SecretProblem {
  readonly summary: string
  readonly detail: string
  constructor(summary: string, detail: string) {
    this.summary = summary
    this.detail = detail
  }
}

const NO_ENV = {}

function waitUntilOf(ctx: unknown): (promise: Promise<unknown>) => void {
  const worker = ctx as Partial<WorkerContext> | undefined
  if (typeof worker?.waitUntil === 'function') return (promise) => worker.waitUntil!(promise)
  return (promise) => void promise.catch(() => undefined)
}
