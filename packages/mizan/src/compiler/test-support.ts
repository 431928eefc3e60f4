/**
 * Test helpers for the compiler: real temporary app folders (no fs mocks) and fixture paths.
 * @module
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** `packages/mizan/test/fixtures`. */
export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url))

const PAGE = 'export default function Page() { return null }\n'
const ROOT = 'export default function Document({ children }: { children: unknown }) { return children }\n'

/**
 * Creates an app folder under the OS temp dir with `files` (path → contents; `null` → a trivial
 * page) plus `src/root.tsx` unless `root: false`. Returns the folder and a cleanup function.
 *
 * @example
 * ```ts
 * const app = tempApp({ 'src/routes/index.tsx': null })
 * try { await scanRoutes(app.root) } finally { app.cleanup() }
 * ```
 */
export function tempApp(files: Record<string, string | null>, options: { root?: boolean } = {}): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'mizan-compiler-'))
  const all: Record<string, string | null> = options.root === false ? files : { 'src/root.tsx': ROOT, ...files }
  for (const [file, contents] of Object.entries(all)) {
    const abs = path.join(root, file)
    mkdirSync(path.dirname(abs), { recursive: true })
    writeFileSync(abs, contents ?? PAGE)
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}
