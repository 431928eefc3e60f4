/**
 * `mizan:server-only` — fails the browser graph when it reaches server-only code: a
 * `*.server.ts(x)` module, a `node:` builtin, a `cloudflare:` module, or (from your own code) a
 * bare Node builtin. The error names the import chain that pulled it in.
 * @module
 */
import { builtinModules } from 'node:module'
import type { DevEnvironment, Plugin } from 'vite'
import { MizanBuildError } from '../../compiler/errors.ts'
import { serverOnlyImportError } from '../../compiler/import-chain.ts'
import type { MizanContext } from '../context.ts'
import { findImportChain } from '../import-chain.ts'

const SERVER_FILE_RE = /\.server\.[cm]?[jt]sx?$/
const PREFIXED_RE = /^(?:node|cloudflare):/
const BARE_BUILTIN_RE = new RegExp(
  `^(?:${builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/')).join('|')})(?:\\/|$)`,
)

interface GraphContext {
  environment: { mode: string }
  getModuleInfo(id: string): { importers: readonly string[]; dynamicImporters: readonly string[] } | null
}

/** A forbidden module and the module that imported it (when known at that point). */
interface Violation {
  module: string
  importer: string | undefined
}

/**
 * Creates the server-only guard; it applies to the browser (`client` consumer) environment only.
 * `enforce: 'pre'` so it sees `node:` ids before Vite maps them to browser stubs.
 *
 * In dev the module graph already knows every importer, so the request fails at once. In a
 * build the importers are only complete at `buildEnd`: violations are collected (forbidden
 * builtins become externals so nothing fails later for their sake) and reported together.
 *
 * @example
 * ```ts
 * plugins.push(serverOnlyPlugin(ctx))
 * ```
 */
export function serverOnlyPlugin(ctx: MizanContext): Plugin {
  let violations: Violation[] = []
  const chainOf = (graph: GraphContext, { module, importer }: Violation): string[] =>
    importer === undefined ? [module] : [...findImportChain(importer, (id) => importersOf(graph, id)), module]
  const found = (graph: GraphContext, violation: Violation): void => {
    if (graph.environment.mode === 'dev') throw serverOnlyImportError(chainOf(graph, violation), ctx.facts.root)
    violations.push(violation)
  }
  return {
    name: 'mizan:server-only',
    enforce: 'pre',
    applyToEnvironment: (environment) => environment.config.consumer === 'client',
    buildStart() {
      violations = []
    },
    resolveId: {
      filter: { id: [PREFIXED_RE, BARE_BUILTIN_RE] },
      handler(source, importer) {
        // Bare names like "events" are also npm packages that browser libraries depend on.
        if (!PREFIXED_RE.test(source) && (importer === undefined || importer.includes('/node_modules/'))) return undefined
        // Inside a server-only module already reported, its own imports are no news.
        if (importer === undefined || !violations.some((v) => v.module === importer)) found(this, { module: source, importer })
        return { id: source, external: true }
      },
    },
    load: {
      filter: { id: SERVER_FILE_RE },
      handler(id) {
        found(this, { module: id, importer: importersOf(this, id)[0] })
        return undefined
      },
    },
    buildEnd(error) {
      if (error !== undefined || violations.length === 0) return
      // Complete now: a load-time violation may not have known its importer yet.
      const problems = violations.flatMap((violation) => {
        const importer = violation.importer ?? importersOf(this, violation.module)[0]
        return serverOnlyImportError(chainOf(this, { module: violation.module, importer }), ctx.facts.root).problems
      })
      violations = []
      throw new MizanBuildError(problems)
    },
  }
}

function importersOf(graph: GraphContext, id: string): string[] {
  const env = graph.environment as Partial<DevEnvironment>
  if (graph.environment.mode === 'dev' && env.moduleGraph !== undefined) {
    const node = env.moduleGraph.getModuleById(id)
    return [...(node?.importers ?? [])].flatMap((m) => (m.id === null ? [] : [m.id])).sort()
  }
  const info = graph.getModuleInfo(id)
  return info === null ? [] : [...info.importers, ...info.dynamicImporters].sort()
}
