/**
 * The server-only guard's pure part: which modules must never reach the browser, and the error
 * that shows how one got there. (The Vite plugin walks the importers; this names and formats.)
 * @module
 */
import path from 'node:path'
import { MizanBuildError } from './errors.ts'

/**
 * Why a module id or specifier is server-only, or `null` when the browser may import it:
 * `*.server.*` files, `node:*` built-ins (and bare built-ins Vite externalised for the browser as
 * `__vite-browser-external:*`), `cloudflare:*` modules. Other bare names are not flagged: the
 * browser may resolve them to npm polyfills (`events`, `buffer`).
 *
 * @example
 * ```ts
 * serverOnlyReason('/app/src/db.server.ts') // 'a .server module'
 * serverOnlyReason('node:fs')               // 'a Node.js built-in'
 * serverOnlyReason('react')                 // null
 * ```
 */
export function serverOnlyReason(id: string): string | null {
  const clean = cleanId(id)
  if (clean.startsWith('node:') || clean.startsWith('__vite-browser-external:')) return 'a Node.js built-in'
  if (clean.startsWith('cloudflare:')) return 'a Cloudflare Workers runtime module'
  if (/\.server\.[cm]?[jt]sx?$/.test(clean)) return 'a .server module'
  return null
}

/**
 * The import chain as indented lines, from the browser entry to the server-only module,
 * paths shown relative to `root`.
 *
 * @example
 * ```ts
 * formatImportChain(['/app/src/routes/index.tsx', '/app/src/db.server.ts'], '/app')
 * // '  src/routes/index.tsx\n  → imports src/db.server.ts'
 * ```
 */
export function formatImportChain(chain: readonly string[], root: string): string {
  return chain.map((id, i) => `  ${i === 0 ? '' : '→ imports '}${display(id, root)}`).join('\n')
}

/**
 * The build error for a server-only module reached from the browser graph. `chain` runs from the
 * browser-side module that starts the chain to the forbidden module (last).
 *
 * @example
 * ```ts
 * throw serverOnlyImportError(['/app/src/routes/index.tsx', '/app/src/db.server.ts'], '/app')
 * ```
 */
export function serverOnlyImportError(chain: readonly string[], root: string): MizanBuildError {
  const target = chain[chain.length - 1] ?? ''
  const importer = chain.length > 1 ? (chain[chain.length - 2] ?? target) : target
  return new MizanBuildError([{
    code: 'MIZAN_SERVER_ONLY_IMPORT',
    file: display(importer, root),
    message: `"${display(target, root)}" is ${serverOnlyReason(target) ?? 'server-only'} and must not reach the browser, but browser code imports it:\n${formatImportChain(chain, root)}`,
    fix: 'Use it only inside client() functions (Mizan removes their bodies, and the imports only they use, from the browser build) or from other .server modules. ' +
      'If a component needs its data, load the data in a client() function and read it with the generated hook.',
  }])
}

function cleanId(id: string): string {
  return id.replace(/^\0/, '').replace(/[?#].*$/, '')
}

function display(id: string, root: string): string {
  const clean = cleanId(id)
  if (!path.isAbsolute(clean)) return clean
  const rel = path.relative(root, clean)
  return rel.startsWith('..') ? clean : rel.split(path.sep).join('/')
}
