/**
 * The request-scoped data store of a server render: hooks call the registered functions
 * (through the cache when their policy allows), and every result is kept (as JSON) for the
 * page payload, with the tags and lifetimes the page's own cache entry inherits.
 * @module
 */
import { MizanError } from '@mizan/core'
import { createStore, type DataStore, type SeedEntry } from '../react/store.ts'
import { callFunction } from './call.ts'
import { CacheFreshness } from './cache-control.ts'
import { NotFoundSignal, type RequestContext } from './context.ts'
import { survivesJson } from './json.ts'
import type { CompiledFunction } from './options.ts'
import type { RequestCache } from './runtime.ts'

/**
 * What one render's data functions did: their results, the cache policy they allow, their
 * tags, and whether one failed or called `ctx.notFound()`.
 *
 * @example
 * ```ts
 * const data = new ServerData(compiled.functions, ctx, cache)
 * // render with data.store, then:
 * if (data.notFound) …; data.freshness.header(); data.records; data.tags
 * ```
 */
export class ServerData {
  readonly store: DataStore
  /** `[id, canonical, value]` JSON arrays, for the payload. */
  readonly records: string[] = []
  readonly freshness = new CacheFreshness()
  /** The union of the tags of every function that ran (normalised). */
  readonly tags = new Set<string>()
  /** Whether a function's value was served stale (a page made of it is not stored). */
  stale = false
  notFound = false
  failure: unknown = undefined
  /** Prerender mode: calls of uncacheable functions left as holes (promises that never settle). */
  holes = 0
  /** Prerender mode: cacheable calls started, and those not settled yet. */
  started = 0
  pending = 0
  private readonly functions: ReadonlyMap<string, CompiledFunction>
  private readonly ctx: RequestContext
  private readonly cache: RequestCache | null
  private readonly prerender: boolean
  private idle: (() => void) | undefined

  /**
   * With `prerender`, uncacheable functions are not called: their hooks suspend for good (the
   * holes of a shell) and add nothing to `freshness`. `seed` holds results known already (a
   * shell's cacheable data, when its holes are resumed).
   */
  constructor(functions: ReadonlyMap<string, CompiledFunction>, ctx: RequestContext, cache: RequestCache | null, options?: { prerender?: boolean; seed?: Iterable<SeedEntry> }) {
    this.functions = functions
    this.ctx = ctx
    this.cache = cache
    this.prerender = options?.prerender === true
    this.store = createStore((id, canonical) => this.load(id, canonical), options?.seed)
  }

  /** Resolves once no cacheable call is pending (prerender mode). */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
    return new Promise((resolve) => (this.idle = resolve))
  }

  /** Records an error seen by the render (a function's or a component's). */
  fail(error: unknown): void {
    if (error instanceof NotFoundSignal) this.notFound = true
    else this.failure ??= error
  }

  private async load(id: string, canonical: string): Promise<unknown> {
    const fn = this.functions.get(id)
    if (fn === undefined) throw new MizanError('MIZAN_CONFIG', `a data hook asked for "${id}", which is not a data function of this build: the hooks module and the Worker come from different builds.`)
    if (this.prerender) {
      if (fn.cachePolicy === null) {
        this.holes++
        return new Promise<never>(() => {})
      }
      this.started++
      this.pending++
      try {
        return await this.call(fn, id, canonical)
      } finally {
        if (--this.pending === 0) {
          const idle = this.idle
          this.idle = undefined
          idle?.()
        }
      }
    }
    return this.call(fn, id, canonical)
  }

  private async call(fn: CompiledFunction, id: string, canonical: string): Promise<unknown> {
    this.freshness.add(fn.policy)
    try {
      // The function gets what the data endpoint would give it (a fresh parse of the
      // canonical params), and the render gets what hydration will see: the value itself when
      // JSON keeps it intact (the common case, far cheaper than a parse), else its round trip.
      const result = await callFunction(fn, JSON.parse(canonical) as object, this.ctx, this.cache)
      if (result.cacheTag === null) this.freshness.refuse()
      if (result.state === 'STALE') this.stale = true
      for (const tag of result.tags) this.tags.add(tag)
      const json = JSON.stringify(result.value) ?? 'null'
      this.records.push(`[${JSON.stringify(id)},${JSON.stringify(canonical)},${json}]`)
      return survivesJson(result.value) ? result.value : JSON.parse(json)
    } catch (error) {
      this.fail(error)
      throw error
    }
  }
}
