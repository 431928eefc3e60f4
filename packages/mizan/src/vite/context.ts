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
import { invariant } from '@mizan/core'
import { loadApp } from '../compiler/index.ts'
import type { AppModel } from '../compiler/index.ts'
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

/** Shared state of one `mizan()` plugin instance. */
export class MizanContext {
  readonly options: ResolvedOptions
  #facts: ConfigFacts | undefined
  #app: Promise<AppModel> | undefined

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

  /** The app model, loaded on first use and cached until {@link invalidate}. */
  app(): Promise<AppModel> {
    if (this.#app === undefined) {
      debug('loading the app model from %s', this.facts.root)
      const loading = loadApp(this.facts.root)
      // A failed load is not cached: the next request retries after the user fixes the file.
      loading.catch(() => {
        if (this.#app === loading) this.#app = undefined
      })
      this.#app = loading
    }
    return this.#app
  }

  /** Drops the cached app model (a route file was added, removed or changed). */
  invalidate(): void {
    this.#app = undefined
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
