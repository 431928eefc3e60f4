/**
 * The app build (`vite build`): the browser and the render Worker side by side (the Worker build
 * waits for the browser build only to write the module with its URLs and the build id), then
 * Mizan's `manifest.json` at the build output root and the build summary.
 *
 * @example
 * ```ts
 * // set as `builder.buildApp` by the config sub-plugin
 * await createBuildApp(ctx)(builder)
 * ```
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import type { ViteBuilder } from 'vite'
import { invariant } from '@mizan/core/policy'
import { buildManifest, stringifyManifest } from '../compiler/manifest.ts'
import { formatSummary } from '../compiler/summary.ts'
import { CLIENT_MANIFEST, readClientBuild } from './client-assets.ts'
import type { MizanContext } from './context.ts'
import { debug } from './debug.ts'
import { writePreviewVars } from './dev-secret.ts'

/** File name of Mizan's manifest in the build output root. */
export const MANIFEST_FILE = 'manifest.json'

/**
 * Returns the `builder.buildApp` function for this plugin instance.
 *
 * @example
 * ```ts
 * const config = { builder: { buildApp: createBuildApp(ctx) } }
 * ```
 */
export function createBuildApp(ctx: MizanContext): (builder: ViteBuilder) => Promise<void> {
  return (builder) => ctx.shareAppDuring(() => buildApp(ctx, builder))
}

async function buildApp(ctx: MizanContext, builder: ViteBuilder): Promise<void> {
  const client = builder.environments['client']
  const worker = builder.environments[ctx.options.workerEnvironment]
  invariant(client !== undefined, 'no "client" environment in the app build')
  invariant(worker !== undefined, `no "${ctx.options.workerEnvironment}" environment in the app build`)
  const root = builder.config.root
  const clientDir = path.resolve(root, client.config.build.outDir)
  const workerDir = path.resolve(root, worker.config.build.outDir)
  // Each environment's config copies its own `build` over the top level; the builder's config has the user's.
  const keepClientManifest = Boolean(builder.config.build.manifest)

  // Start reading the app now: its file reads overlap the client build's setup. Errors surface
  // where the model is first awaited (the types plugin's buildStart), with the plugin context.
  ctx.app().catch(() => undefined)
  // Both environments build at once: the whole Worker bundle is made while the browser build
  // runs; only the Worker's writeBundle waits for it, to write mizan-client-build.js next to the
  // Worker (the browser build's hashed URLs and the build id; decision 0011).
  const browser = builder.build(client).then(() => readClientBuild(clientDir, builder.config.base))
  ctx.provideClientBuild(browser)
  const [browserDone, workerDone] = await Promise.allSettled([browser, builder.build(worker)])
  // A failed browser build also fails the Worker build (its writeBundle waits for it): report the cause.
  if (browserDone.status === 'rejected') throw browserDone.reason
  if (workerDone.status === 'rejected') throw workerDone.reason
  const clientBuild = browserDone.value
  moveWorkerAssets(workerDir, clientDir)
  writePreviewVars(root, workerDir)
  // The client manifest only served the Worker build; left in place it would be deployed as a public asset.
  if (!keepClientManifest) removeClientManifest(clientDir)

  const app = await ctx.app()
  // Same inputs as the manifest module inside the Worker, so both carry the same build id.
  const manifest = buildManifest(app, { inputs: clientBuild.inputs })
  const outFile = path.resolve(root, builder.config.build.outDir, MANIFEST_FILE)
  fs.mkdirSync(path.dirname(outFile), { recursive: true })
  fs.writeFileSync(outFile, stringifyManifest(manifest))
  debug('wrote %s', outFile)
  if (ctx.options.summary) builder.config.logger.info(`\n${formatSummary(manifest)}`)
}

/**
 * Files the Worker build emitted as assets (images, fonts imported by code that also runs on the
 * server) belong with the browser assets, where the assets binding serves them. Its stylesheets
 * are dropped: pages link the browser build's own.
 */
function moveWorkerAssets(workerDir: string, clientDir: string): void {
  const manifestFile = path.join(workerDir, '.vite', 'manifest.json')
  if (!fs.existsSync(manifestFile)) return
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, { assets?: string[]; css?: string[] }>
  for (const css of new Set(Object.values(manifest).flatMap((chunk) => chunk.css ?? []))) {
    fs.rmSync(path.join(workerDir, css), { force: true })
    removeIfEmpty(path.dirname(path.join(workerDir, css)))
  }
  const assets = new Set(Object.values(manifest).flatMap((chunk) => chunk.assets ?? []))
  for (const asset of assets) {
    const from = path.join(workerDir, asset)
    const to = path.join(clientDir, asset)
    if (!fs.existsSync(from)) continue
    if (fs.existsSync(to)) fs.rmSync(from)
    else {
      fs.mkdirSync(path.dirname(to), { recursive: true })
      fs.renameSync(from, to)
    }
  }
}

function removeClientManifest(clientDir: string): void {
  const file = path.join(clientDir, CLIENT_MANIFEST)
  fs.rmSync(file, { force: true })
  removeIfEmpty(path.dirname(file))
}

function removeIfEmpty(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir)
}
