/**
 * The `DataContext` a data function receives, one per request.
 * @module
 */
import { MizanError } from '@mizan/core'
import type { DataContext, RouteParams } from '../types.ts'

/**
 * What `ctx.notFound()` throws: not a failure, a way out. The page answers with the 404 page,
 * the data endpoint with 404.
 *
 * @example
 * ```ts
 * if (error instanceof NotFoundSignal) return notFoundResponse()
 * ```
 */
export class NotFoundSignal extends Error {
  constructor() {
    super('ctx.notFound() was called: Mizan answers 404. (If you caught this, rethrow it.)')
    this.name = 'NotFoundSignal'
  }
}

/**
 * The session function of `src/session.server.ts`: what `ctx.session()` returns.
 *
 * @example
 * ```ts
 * const session: SessionFunction = (request) => readUserFromCookie(request.headers.get('cookie'))
 * ```
 */
export type SessionFunction = (request: Request, env: any) => unknown

/**
 * The Worker's vars Mizan reads.
 *
 * @example
 * ```jsonc
 * // wrangler.jsonc
 * { "vars": { "MIZAN_ORIGIN": "https://api.example.com" } }
 * ```
 */
export interface MizanEnv {
  /** Base URL of your backend, for `ctx.origin.fetch()`. */
  readonly MIZAN_ORIGIN?: string
  /** Truthy (`"1"`, `"true"`): error responses include details. Never set it in production. */
  readonly MIZAN_DEV?: string | boolean
  /** The secret of cache keys and signed purges (`wrangler secret put MIZAN_SECRET`); caching is off without it. */
  readonly MIZAN_SECRET?: string
  /**
   * `"off"`: pages are always rendered (data stays cached). `vite dev` sets it: there a page's
   * cache version (the build id) does not change when a component is edited.
   */
  readonly MIZAN_PAGE_CACHE?: string
  /** With `CF_ZONE_ID`: every accepted purge also purges its tags from Cloudflare's cache (a token with Cache Purge permission). */
  readonly CF_API_TOKEN?: string
  readonly CF_ZONE_ID?: string
  /** Base URL of Cloudflare's API (default `https://api.cloudflare.com`), for a local stand-in. */
  readonly CF_API_BASE?: string
}

/**
 * The context of one request.
 *
 * @example
 * ```ts
 * const ctx = new RequestContext(request, env, { slug: 'a' }, options.session)
 * await fn.fn(params, ctx)
 * ```
 */
export class RequestContext implements DataContext {
  readonly request: Request
  readonly env: unknown
  readonly params: RouteParams
  readonly tags: string[] = []
  private readonly sessionFn: SessionFunction | undefined
  private sessionValue: Promise<unknown> | undefined
  private originValue: DataContext['origin'] | undefined

  constructor(request: Request, env: unknown, params: RouteParams, session: SessionFunction | undefined) {
    this.request = request
    this.env = env
    this.params = params
    this.sessionFn = session
  }

  get origin(): DataContext['origin'] {
    return (this.originValue ??= { fetch: (path, init) => originFetch(this.env, path, init) })
  }

  notFound(): never {
    throw new NotFoundSignal()
  }

  session<T = unknown>(): Promise<T> {
    if (this.sessionValue === undefined) {
      const fn = this.sessionFn
      this.sessionValue = fn === undefined
        ? Promise.reject(new MizanError('MIZAN_CONFIG', 'ctx.session() was called but the app has no session function. Create src/session.server.ts with `export default function session(request: Request, env: Env) { … }` returning what ctx.session() should give.'))
        : (async () => fn(this.request, this.env))()
    }
    return this.sessionValue as Promise<T>
  }

  addTags(...tags: string[]): void {
    for (const tag of tags) {
      if (typeof tag !== 'string') throw new MizanError('MIZAN_TAG', `ctx.addTags() takes strings, got ${typeof tag}.`)
      this.tags.push(tag)
    }
  }
}

/**
 * `fetch` against the backend named by `env.MIZAN_ORIGIN`. Only paths are accepted, so a data
 * function cannot be steered to another host by a param.
 *
 * @example
 * ```ts
 * await originFetch({ MIZAN_ORIGIN: 'http://127.0.0.1:8787' }, '/api/posts')
 * ```
 */
export function originFetch(env: unknown, path: string, init?: RequestInit): Promise<Response> {
  const origin = (env as MizanEnv | undefined)?.MIZAN_ORIGIN
  if (typeof origin !== 'string' || origin === '') {
    return Promise.reject(new MizanError('MIZAN_CONFIG', 'ctx.origin.fetch() needs the MIZAN_ORIGIN var, the base URL of your backend. Add it to wrangler.jsonc: "vars": { "MIZAN_ORIGIN": "https://api.example.com" } (or pass origin to mizan({ origin }) in vite.config.ts).'))
  }
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
    return Promise.reject(new MizanError('MIZAN_CONFIG', `ctx.origin.fetch() takes a path on your backend starting with "/", got ${JSON.stringify(path)}. Use fetch() for other hosts.`))
  }
  return fetch(new URL(path, origin), init)
}

/**
 * The context of one data function call: the request's, except that `addTags` goes to this
 * call's cache entry (two functions of one page never share tags).
 *
 * @example
 * ```ts
 * await fn.call(params, new CallContext(requestContext, (...tags) => added.push(...tags)))
 * ```
 */
export class CallContext implements DataContext {
  private readonly base: RequestContext
  private readonly sink: (...tags: string[]) => void

  constructor(base: RequestContext, sink: (...tags: string[]) => void) {
    this.base = base
    this.sink = sink
  }

  get request(): Request {
    return this.base.request
  }

  get env(): unknown {
    return this.base.env
  }

  get params(): RouteParams {
    return this.base.params
  }

  get origin(): DataContext['origin'] {
    return this.base.origin
  }

  notFound(): never {
    return this.base.notFound()
  }

  session<T = unknown>(): Promise<T> {
    return this.base.session<T>()
  }

  addTags(...tags: string[]): void {
    for (const tag of tags) {
      if (typeof tag !== 'string') throw new MizanError('MIZAN_TAG', `ctx.addTags() takes strings, got ${typeof tag}.`)
    }
    this.sink(...tags)
  }
}
