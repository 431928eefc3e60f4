/**
 * A test Worker inside real workerd: one entry file bundled with esbuild (the workerd export
 * conditions, as Cloudflare's bundler resolves them) and served by Miniflare with the Mizan
 * purge-state Durable Object (SQLite) and the Cache API.
 * @module
 */
import { build } from 'esbuild'
import { convertV4MiniflareOptions, Miniflare } from 'miniflare'

/**
 * Bundles `entry` and starts it in workerd with `bindings` (e.g. `MIZAN_SECRET`).
 *
 * @example
 * ```ts
 * const mf = await startTestWorker(fileURLToPath(new URL('./psr.worker.ts', import.meta.url)), { MIZAN_SECRET: secret })
 * const response = await mf.dispatchFetch('http://psr.test/')
 * await mf.dispose()
 * ```
 */
export async function startTestWorker(entry: string, bindings: Record<string, string> = {}): Promise<Miniflare> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    jsx: 'automatic',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:workers', 'node:*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: '2026-10-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings,
      durableObjects: { MIZAN_PURGE: { className: 'MizanPurgeState', useSQLite: true } },
    }),
  )
  await mf.ready
  return mf
}
