/**
 * Writing generated files so that watchers see a change only when there is one.
 * @module
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { GENERATED_HEADER } from './typegen.ts'

/**
 * Writes `files` (paths relative to `dir`) whose contents differ from what is on disk, and
 * deletes files in `dir` that Mizan generated earlier (they start with the generated header)
 * but that are no longer in `files`. Returns the absolute paths written or deleted, sorted —
 * empty when nothing changed, in which case no file was touched.
 *
 * @example
 * ```ts
 * const changed = await writeIfChanged(path.join(root, '.mizan/types'), generateTypes(app, { outDir }))
 * if (changed.length > 0) debug('types updated: %o', changed)
 * ```
 */
export async function writeIfChanged(dir: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const changed: string[] = []
  const wanted = new Set<string>()
  for (const [rel, contents] of files) {
    const file = path.resolve(dir, rel)
    wanted.add(file)
    const current = await readFile(file, 'utf8').catch(() => null)
    if (current === contents) continue
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, contents)
    changed.push(file)
  }
  for (const file of await listFiles(dir)) {
    if (wanted.has(file)) continue
    const contents = await readFile(file, 'utf8').catch(() => '')
    if (!contents.startsWith(GENERATED_HEADER)) continue
    await rm(file, { force: true })
    changed.push(file)
  }
  return changed.sort()
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}
