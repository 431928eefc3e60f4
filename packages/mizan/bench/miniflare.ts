/**
 * Serving Workers for the HTTP benchmarks the way DESIGN §8 measured them: one Worker bundle
 * through Miniflare's own socket (workerd with the Cache API and Durable Objects), with no
 * `vite preview` Node proxy and no assets layer in front — so a ratio compares Workers, not
 * the layers around them.
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { convertV4MiniflareOptions, Miniflare } from 'miniflare'
import type { V4MiniflareOptions } from 'miniflare'
import { serveWorker } from './load.ts'
import type { ServedWorker } from './load.ts'

interface BuiltConfig {
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
  vars?: Record<string, string>
  durable_objects?: { bindings?: { name: string; class_name: string }[] }
  migrations?: { new_sqlite_classes?: string[] }[]
}

/**
 * Serves the built Worker in `ssrDir` (the `wrangler.json` the Vite build wrote, its `main`,
 * vars and Durable Objects) with `bindings` added (e.g. `MIZAN_SECRET`).
 *
 * @example
 * ```ts
 * const worker = await serveBuilt(path.join(app.root, 'dist/ssr'), { MIZAN_SECRET: secret })
 * await worker.close()
 * ```
 */
export function serveBuilt(ssrDir: string, bindings: Record<string, string> = {}): Promise<ServedWorker> {
  const config = JSON.parse(fs.readFileSync(path.join(ssrDir, 'wrangler.json'), 'utf8')) as BuiltConfig
  const chunks = fs.readdirSync(ssrDir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.m?js$/.test(file) && file !== config.main)
  const sqlite = new Set((config.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []))
  const durableObjects: Record<string, { className: string; useSQLite: boolean }> = {}
  for (const binding of config.durable_objects?.bindings ?? []) {
    durableObjects[binding.name] = { className: binding.class_name, useSQLite: sqlite.has(binding.class_name) }
  }
  return serveOptions({
    modules: [config.main, ...chunks].map((file) => ({ type: 'ESModule' as const, path: path.join(ssrDir, file) })),
    modulesRoot: ssrDir,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...config.vars, ...bindings },
    durableObjects,
  })
}

/**
 * Serves a one-module Worker given as source text.
 *
 * @example
 * ```ts
 * const worker = await serveScript('export default { fetch: () => new Response("ok") }')
 * ```
 */
export function serveScript(script: string): Promise<ServedWorker> {
  return serveOptions({ modules: true, script, compatibilityDate: '2026-10-01', compatibilityFlags: ['nodejs_compat'] })
}

function serveOptions(options: V4MiniflareOptions): Promise<ServedWorker> {
  return serveWorker(async () => {
    // Miniflare 5 takes `workers: [...]`; the one-Worker (v4) shape converts into it.
    const mf = new Miniflare(convertV4MiniflareOptions({ ...options, host: '127.0.0.1', port: 0 } as V4MiniflareOptions))
    const url = (await mf.ready).origin
    return { url, server: { close: () => mf.dispose() } }
  })
}
