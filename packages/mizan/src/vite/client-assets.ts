/**
 * Reads the browser build's Vite manifest (`.vite/manifest.json` of the client output) to find
 * what the render Worker must reference: the hashed entry script and the stylesheets.
 *
 * @example
 * ```ts
 * const assets = clientAssetsFromManifest(JSON.parse(fs.readFileSync(file, 'utf8')), '/')
 * assets.entry // '/assets/mizan-client-3f9a1c0b.js'
 * ```
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { MizanError, invariant } from '@mizan/core/policy'
import { CLIENT_ENTRY_NAME, VIRTUAL, devUrl } from './ids.ts'

/** One chunk of a Vite manifest (only the fields Mizan reads). */
export interface ViteManifestChunk {
  file: string
  name?: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}

/** Vite's build manifest: chunk key → chunk. */
export type ViteManifest = Record<string, ViteManifestChunk>

/** What the Worker puts into every page: the bootstrap module and the stylesheets. */
export interface ClientAssets {
  entry: string
  css: string[]
}

/** What the Worker build takes from the browser build (shared between callers: read only). */
export interface ClientBuild {
  readonly assets: Readonly<ClientAssets>
  /** Texts folded into the manifest's build id (the client manifest: it names every hashed file). */
  readonly inputs: readonly string[]
}

/** Where Vite writes the client manifest, relative to the client output folder. */
export const CLIENT_MANIFEST = path.join('.vite', 'manifest.json')

/**
 * The browser side in dev: Vite serves the entry module by id and injects CSS from JS.
 *
 * @example
 * ```ts
 * devClientBuild().assets.entry // '/@id/virtual:mizan/client-entry'
 * ```
 */
export function devClientBuild(): ClientBuild {
  return { assets: { entry: devUrl(VIRTUAL.clientEntry), css: [] }, inputs: [] }
}

/**
 * Reads the finished browser build from `clientOutDir`. Fails with the fix when it is missing
 * (the Worker environment was built on its own).
 *
 * @example
 * ```ts
 * readClientBuild('/app/dist/client', '/').assets.entry // '/assets/mizan-client-3f9a1c0b.js'
 * ```
 */
export function readClientBuild(clientOutDir: string, base: string): ClientBuild {
  const file = path.join(clientOutDir, CLIENT_MANIFEST)
  if (!fs.existsSync(file)) {
    throw new MizanError(
      'MIZAN_CONFIG',
      `The render Worker is being built before the browser assets (${file} is missing). ` +
        'Build the whole app with `vite build` (not a single environment), and leave `builder.buildApp` unset in vite.config.ts.',
    )
  }
  const text = fs.readFileSync(file, 'utf8')
  // The Worker build's generated modules and the final manifest each ask; the text decides.
  if (lastRead?.text === text && lastRead.base === base) return lastRead.build
  const build = { assets: clientAssetsFromManifest(JSON.parse(text) as ViteManifest, base), inputs: [text] }
  lastRead = { text, base, build }
  return build
}

let lastRead: { readonly text: string; readonly base: string; readonly build: ClientBuild } | undefined

/**
 * Finds the browser entry and every stylesheet reachable from it (statically or through a
 * route's dynamic import), in a deterministic order, as URLs under `base`.
 *
 * @example
 * ```ts
 * clientAssetsFromManifest({ e: { file: 'assets/e.js', name: 'mizan-client', isEntry: true, css: ['assets/e.css'] } }, '/')
 * // { entry: '/assets/e.js', css: ['/assets/e.css'] }
 * ```
 */
export function clientAssetsFromManifest(manifest: ViteManifest, base: string): ClientAssets {
  const entryKey = Object.keys(manifest).find((key) => {
    const chunk = manifest[key]
    return chunk?.isEntry === true && chunk.name === CLIENT_ENTRY_NAME
  })
  invariant(entryKey !== undefined, `the client build manifest has no "${CLIENT_ENTRY_NAME}" entry`)
  const css = new Set<string>()
  const seen = new Set<string>()
  const visit = (key: string): void => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (chunk === undefined) return
    for (const file of chunk.css ?? []) css.add(file)
    for (const next of chunk.imports ?? []) visit(next)
    for (const next of chunk.dynamicImports ?? []) visit(next)
  }
  visit(entryKey)
  const url = (file: string): string => `${base.endsWith('/') ? base : `${base}/`}${file}`
  return { entry: url(manifest[entryKey]!.file), css: [...css].map(url) }
}
