/**
 * State shared by Mizan's sub-plugins within one Vite config: the validated options, the
 * resolved config facts they need, and the app model (routes + data functions), loaded once and
 * reloaded when route files change in dev.
 *
 * @example
 * ```ts
 * const ctx = new MizanContext(resolveOptions(undefined))
 * ctx.configure(resolvedConfig)
 * const app = await ctx.app()
 * ```
 * @module
 */
import path from 'node:path'
import type { ResolvedConfig } from 'vite'
import { invariant } from '@mizan/core/policy'
import { analyzeApp } from '../compiler/app.ts'
import type { AppModel } from '../compiler/index.ts'
import type { RouteTable } from '../compiler/routes.ts'
import { collectRoutes } from '../compiler/scan.ts'
import { readClientBuild, type ClientBuild } from './client-assets.ts'
import { analyzeAppOffThread } from './analysis-thread.ts'
import { debug } from './debug.ts'
import type { ResolvedOptions } from './options.ts'

/** The facts of the resolved Vite config Mizan's hooks use. */
export interface ConfigFacts {
  root: string
  command: 'serve' | 'build'
  base: string
  /** `build.outDir` of the top-level config (the build output root, e.g. `dist`), absolute. */
  outDir: string
  /** `build.outDir` of the client environment, absolute. */
  clientOutDir: string
}

/** Where a loaded (or loading) app model is kept. */
interface AppSlot {
  app: Promise<AppModel> | undefined
  /** The route table the app model is being built from, once it scanned without problems. */
  table: Promise<RouteTable> | undefined
  /** In a whole-app build: the browser build's result, settled when that build ends. */
  client?: Promise<ClientBuild> | undefined
}

/**
 * The app model of each whole-app build in progress, by root. Vite resolves the config, and so
 * creates a new plugin instance, for every environment: without this the browser build, the
 * Worker build and the final manifest would each load the app again from the same files — and
 * the manifest could in principle differ from the one the Worker embeds.
 */
const builds = new Map<string, AppSlot>()

/** Shared state of one `mizan()` plugin instance. */
export class MizanContext {
  readonly options: ResolvedOptions
  #facts: ConfigFacts | undefined
  readonly #own: AppSlot = { app: undefined, table: undefined }

  constructor(options: ResolvedOptions) {
    this.options = options
  }

  /** Records the resolved config (called from `configResolved`). */
  configure(config: ResolvedConfig): void {
    const client = config.environments['client']
    this.#facts = {
      root: config.root,
      command: config.command,
      base: config.base,
      outDir: path.resolve(config.root, config.build.outDir),
      clientOutDir: path.resolve(config.root, client?.build.outDir ?? path.join(config.build.outDir, 'client')),
    }
  }

  /** The resolved config facts; only valid after `configResolved`. */
  get facts(): ConfigFacts {
    invariant(this.#facts !== undefined, 'a Mizan hook ran before configResolved')
    return this.#facts
  }

  /**
   * The app model, loaded on first use and cached until {@link invalidate} — during
   * {@link shareAppDuring}, once for every plugin instance of the app.
   */
  app(): Promise<AppModel> {
    const slot = builds.get(this.facts.root) ?? this.#own
    if (slot.app === undefined) {
      debug('loading the app model from %s', this.facts.root)
      const scanning = collectRoutes(this.facts.root)
      // A build analyses on its own thread, beside the bundler (see analysis-thread.ts).
      const loading = scanning.then(this.facts.command === 'build' ? analyzeAppOffThread : analyzeApp)
      // A table with problems is never handed out: its callers get the model's error (analyzeApp
      // always throws then), which reports those problems together with every other one.
      const table = scanning.then(({ table: scanned, problems }) => (problems.length === 0 ? scanned : loading.then(() => scanned)))
      // A failed load is not cached: the next request retries after the user fixes the file.
      loading.catch(() => {
        if (slot.app === loading) {
          slot.app = undefined
          slot.table = undefined
        }
      })
      table.catch(() => undefined)
      slot.app = loading
      slot.table = table
    }
    return slot.app
  }

  /**
   * The scanned route table (routes, document, 404 page, session) of the app model that
   * {@link app} loads — available as soon as the routes folder is scanned, before any module is
   * read and analysed. It rejects with the app model's error when the scan found a problem.
   *
   * @example
   * ```ts
   * const table = await ctx.routeTable() // table.routes[0].file === 'src/routes/index.tsx'
   * ```
   */
  routeTable(): Promise<RouteTable> {
    void this.app()
    const slot = builds.get(this.facts.root) ?? this.#own
    invariant(slot.table !== undefined, 'the route table is loaded with the app model')
    return slot.table
  }

  /**
   * What the Worker build takes from the browser build (entry URL, stylesheets, build id
   * inputs). In a whole-app build it waits for the browser build, which runs beside the Worker
   * build (see build-app.ts), and fails with that build's error; a Worker environment built on
   * its own reads the browser build already on disk.
   *
   * @example
   * ```ts
   * const { assets } = await ctx.clientBuild() // assets.entry === '/assets/mizan-client-3f9a1c0b.js'
   * ```
   */
  clientBuild(): Promise<ClientBuild> {
    const shared = builds.get(this.facts.root)?.client
    // A new error for the Worker build to fail with: the bundler annotates what a hook throws,
    // and the browser build's own error is reported, untouched, by the app build.
    if (shared !== undefined) return shared.catch((cause: unknown) => Promise.reject(new Error('The browser build failed (its error is reported with this build), so the render Worker was not built.', { cause })))
    return Promise.resolve().then(() => readClientBuild(this.facts.clientOutDir, this.facts.base))
  }

  /**
   * Hands the browser build's result to the Worker build of the same whole-app build (see
   * {@link clientBuild}); only valid inside {@link shareAppDuring}.
   *
   * @example
   * ```ts
   * ctx.provideClientBuild(builder.build(client).then(() => readClientBuild(dir, base)))
   * ```
   */
  provideClientBuild(client: Promise<ClientBuild>): void {
    const slot = builds.get(this.facts.root)
    invariant(slot !== undefined, 'provideClientBuild() outside shareAppDuring()')
    // The Worker build reports a failed browser build as its own failure; this rejection is not unhandled.
    client.catch(() => undefined)
    slot.client = client
  }

  /** Drops the cached app model (a route file was added, removed or changed). */
  invalidate(): void {
    this.#own.app = undefined
    this.#own.table = undefined
    const shared = builds.get(this.facts.root)
    if (shared !== undefined) {
      shared.app = undefined
      shared.table = undefined
    }
  }

  /**
   * Runs `build` (one whole-app build) with a single app model for every plugin instance of this
   * root, loaded at first use; the next build loads it afresh.
   *
   * @example
   * ```ts
   * await ctx.shareAppDuring(async () => { await builder.build(client); await builder.build(worker) })
   * ```
   */
  async shareAppDuring<T>(build: () => Promise<T>): Promise<T> {
    const root = this.facts.root
    if (builds.has(root)) return await build()
    builds.set(root, { app: undefined, table: undefined })
    try {
      return await build()
    } finally {
      builds.delete(root)
    }
  }

  /** Absolute path of the routes folder. */
  get routesDir(): string {
    return path.join(this.facts.root, 'src', 'routes')
  }

  /**
   * How generated modules import a user file: root-relative (`/src/routes/index.tsx`), which
   * Vite resolves against the root in every environment and which keeps output machine-independent.
   */
  importPath(file: string): string {
    const relative = path.isAbsolute(file) ? path.relative(this.facts.root, file) : file
    return `/${relative.split(path.sep).join('/')}`
  }
}
