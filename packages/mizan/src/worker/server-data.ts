/**
 * The request-scoped data store of a server render: hooks call the registered functions
 * directly, and every result is kept (as JSON) for the page payload.
 * @module
 */
import { MizanError } from '@mizan/core'
import { createStore, type DataStore } from '../react/store.ts'
import { CacheFreshness } from './cache-control.ts'
import { NotFoundSignal, type RequestContext } from './context.ts'
import { survivesJson } from './json.ts'
import type { CompiledFunction } from './options.ts'

/**
 * What one render's data functions did: their results, the cache policy they allow, and
 * whether one failed or called `ctx.notFound()`.
 *
 * @example
 * ```ts
 * const data = new ServerData(compiled.functions, ctx)
 * // render with data.store, then:
 * if (data.notFound) …; data.freshness.header(); data.records
 * ```
 */
export class ServerData {
  readonly store: DataStore
  /** `[id, canonical, value]` JSON arrays, for the payload. */
  readonly records: string[] = []
  readonly freshness = new CacheFreshness()
  notFound = false
  failure: unknown = undefined
  private readonly functions: ReadonlyMap<string, CompiledFunction>
  private readonly ctx: RequestContext

  constructor(functions: ReadonlyMap<string, CompiledFunction>, ctx: RequestContext) {
    this.functions = functions
    this.ctx = ctx
    this.store = createStore((id, canonical) => this.load(id, canonical))
  }

  /** Records an error seen by the render (a function's or a component's). */
  fail(error: unknown): void {
    if (error instanceof NotFoundSignal) this.notFound = true
    else this.failure ??= error
  }

  private async load(id: string, canonical: string): Promise<unknown> {
    const fn = this.functions.get(id)
    if (fn === undefined) throw new MizanError('MIZAN_CONFIG', `a data hook asked for "${id}", which is not a data function of this build: the hooks module and the Worker come from different builds.`)
    this.freshness.add(fn.policy)
    try {
      // The function gets what the data endpoint would give it (a fresh parse of the
      // canonical params), and the render gets what hydration will see: the value itself when
      // JSON keeps it intact (the common case, far cheaper than a parse), else its round trip.
      const value = await fn.call(JSON.parse(canonical), this.ctx)
      const json = JSON.stringify(value) ?? 'null'
      this.records.push(`[${JSON.stringify(id)},${JSON.stringify(canonical)},${json}]`)
      return survivesJson(value) ? value : JSON.parse(json)
    } catch (error) {
      this.fail(error)
      throw error
    }
  }
}
