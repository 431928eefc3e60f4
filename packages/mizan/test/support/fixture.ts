/**
 * Fixture apps for the plugin's integration tests: real files in a temp dir whose
 * `node_modules` links this package (as `mizan`) and its dependencies, built with the real
 * `vite build` (programmatic app builder) and served with the real `vite preview` (workerd).
 * @module
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBuilder, preview } from 'vite'
import type { PreviewServer } from 'vite'

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))

/** A fixture app on disk. */
export interface Fixture {
  root: string
  file(relative: string): string
  read(relative: string): string
  write(relative: string, contents: string): void
  remove(): void
}

/** The vite.config.ts of every fixture: Mizan with the origin from FIXTURE_ORIGIN, quiet logs. */
export const FIXTURE_VITE_CONFIG = `import { defineConfig } from 'vite'
import { mizan } from 'mizan/vite'

export default defineConfig({
  logLevel: 'warn',
  plugins: [mizan({ origin: process.env.FIXTURE_ORIGIN, summary: false, cloudflare: { inspectorPort: false } })],
})
`

/**
 * Writes `files` (path → contents) into a fresh temp dir with `node_modules` and a package.json.
 *
 * @example
 * ```ts
 * const app = createFixture({ 'src/root.tsx': '…', 'src/routes/index.tsx': '…' })
 * ```
 */
export function createFixture(files: Record<string, string>, name = 'fixture'): Fixture {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `mizan-${name}-`)))
  const modules = path.join(root, 'node_modules')
  fs.mkdirSync(path.join(modules, '@types'), { recursive: true })
  fs.symlinkSync(PACKAGE_DIR, path.join(modules, 'mizan'))
  for (const entry of fs.readdirSync(path.join(PACKAGE_DIR, 'node_modules'))) {
    if (entry.startsWith('.') || entry === '@types') continue
    fs.symlinkSync(path.join(PACKAGE_DIR, 'node_modules', entry), path.join(modules, entry))
  }
  for (const entry of fs.readdirSync(path.join(PACKAGE_DIR, 'node_modules', '@types'))) {
    fs.symlinkSync(path.join(PACKAGE_DIR, 'node_modules', '@types', entry), path.join(modules, '@types', entry))
  }
  const rootTypes = path.resolve(PACKAGE_DIR, '../../node_modules/@types/node')
  if (!fs.existsSync(path.join(modules, '@types', 'node'))) fs.symlinkSync(rootTypes, path.join(modules, '@types', 'node'))
  const fixture: Fixture = {
    root,
    file: (relative) => path.join(root, relative),
    read: (relative) => fs.readFileSync(path.join(root, relative), 'utf8'),
    write: (relative, contents) => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true })
      fs.writeFileSync(path.join(root, relative), contents)
    },
    // Vite's dep optimizer may still be writing `node_modules/.vite/deps_temp_*` just after close().
    remove: () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }),
  }
  fixture.write('package.json', JSON.stringify({ name: `mizan-${name}`, private: true, type: 'module' }, null, 2))
  fixture.write('vite.config.ts', FIXTURE_VITE_CONFIG)
  for (const [file, contents] of Object.entries(files)) fixture.write(file, contents)
  return fixture
}

/**
 * Runs the whole app build (`vite build`) of the fixture.
 *
 * @example
 * ```ts
 * await buildFixture(app.root)
 * ```
 */
export async function buildFixture(root: string, options: { quiet?: boolean } = {}): Promise<void> {
  // Vite builds for production only when NODE_ENV says so, and Vitest sets it to "test".
  const nodeEnv = process.env['NODE_ENV']
  process.env['NODE_ENV'] = 'production'
  try {
    const builder = await createBuilder({
      root,
      configFile: path.join(root, 'vite.config.ts'),
      mode: 'production',
      ...(options.quiet ? { logLevel: 'silent' as const } : {}),
    })
    await builder.buildApp()
  } finally {
    process.env['NODE_ENV'] = nodeEnv
  }
}

/**
 * Serves the built fixture with `vite preview` (the Worker in workerd) on a free port.
 *
 * @example
 * ```ts
 * const server = await previewFixture(app.root); await fetch(server.resolvedUrls!.local[0]!)
 * ```
 */
export async function previewFixture(root: string): Promise<{ url: string; server: PreviewServer }> {
  const server = await preview({ root, configFile: path.join(root, 'vite.config.ts'), preview: { host: '127.0.0.1', port: 0 } })
  const address = server.httpServer.address()
  if (address === null || typeof address === 'string') throw new Error('vite preview is not listening on a TCP port')
  return { url: `http://127.0.0.1:${address.port}`, server }
}

/**
 * Every file under `dir` (relative paths, sorted) with its contents.
 *
 * @example
 * ```ts
 * readTree(path.join(app.root, 'dist')).get('manifest.json')
 * ```
 */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(at, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full))
    }
  }
  walk(dir)
  return out
}
