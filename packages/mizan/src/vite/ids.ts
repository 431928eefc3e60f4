/**
 * The ids of Mizan's generated (virtual) modules, declared once. User code imports the public
 * form (`virtual:mizan/hooks`); Vite resolves it to the `\0`-prefixed form so no other plugin
 * (and no file system lookup) touches it.
 *
 * @example
 * ```ts
 * import { VIRTUAL, resolvedVirtualId } from './ids.ts'
 * resolvedVirtualId(VIRTUAL.hooks) // '\0virtual:mizan/hooks'
 * ```
 * @module
 */

const PREFIX = 'virtual:mizan/'

/** The public ids of Mizan's virtual modules. */
export const VIRTUAL = {
  hooks: `${PREFIX}hooks`,
  workerEntry: `${PREFIX}worker-entry`,
  clientEntry: `${PREFIX}client-entry`,
  manifest: `${PREFIX}manifest`,
} as const

/** One of Mizan's virtual module ids. */
export type VirtualId = (typeof VIRTUAL)[keyof typeof VIRTUAL]

/** Matches an import of any Mizan virtual module (for `resolveId` filters). */
export const VIRTUAL_ID_RE = /^virtual:mizan\//

/** Matches a resolved Mizan virtual module id (for `load` filters). */
export const RESOLVED_VIRTUAL_ID_RE = /^\0virtual:mizan\//

/**
 * The resolved form of a virtual id.
 *
 * @example
 * ```ts
 * resolvedVirtualId('virtual:mizan/manifest') // '\0virtual:mizan/manifest'
 * ```
 */
export function resolvedVirtualId(id: VirtualId): string {
  return `\0${id}`
}

/**
 * The URL the browser uses for a virtual module in dev (Vite serves resolved ids under `/@id/`).
 *
 * @example
 * ```ts
 * devUrl(VIRTUAL.clientEntry) // '/@id/virtual:mizan/client-entry'
 * ```
 */
export function devUrl(id: VirtualId): string {
  return `/@id/${id}`
}

/**
 * The module a build writes next to the render Worker once the browser build is done (build id,
 * entry and stylesheet URLs); the Worker's manifest module imports it as `./` + this name.
 */
export const CLIENT_BUILD_FILE = 'mizan-client-build.js'

/** Rollup input name of the browser entry; the client manifest is searched for it. */
export const CLIENT_ENTRY_NAME = 'mizan-client'

/** The Vite environment the render Worker runs in (given to `@cloudflare/vite-plugin`). */
export const WORKER_ENVIRONMENT = 'ssr'

/** Folder (under the project root) for generated files; gitignored by convention. */
export const GENERATED_DIR = '.mizan'
