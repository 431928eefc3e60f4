/**
 * Writes the generated type declarations (`.mizan/types/*.d.ts`) for the app at `root`: typed
 * hooks for `virtual:mizan/hooks` and the `Register` augmentation behind `PageProps<Path>`.
 * Used by the Vite plugin (at startup, on route changes, at build) and by `mizan typegen`.
 *
 * @example
 * ```ts
 * const changed = await writeTypes('/path/to/app', await loadApp('/path/to/app'))
 * ```
 * @module
 */
import path from 'node:path'
import { generateTypes } from '../compiler/typegen.ts'
import { writeIfChanged } from '../compiler/write.ts'
import type { AppModel } from '../compiler/index.ts'
import { GENERATED_DIR } from './ids.ts'

/** Folder of the generated declarations, relative to the app root. */
export const TYPES_DIR = `${GENERATED_DIR}/types`

/**
 * Generates and writes the declarations; returns the paths that changed (nothing is written when
 * the output is already up to date, so watchers and `tsc --watch` stay quiet).
 *
 * @example
 * ```ts
 * await writeTypes(root, app) // ['.mizan/types/hooks.d.ts'] the first time, [] after
 * ```
 */
export async function writeTypes(root: string, app: AppModel): Promise<string[]> {
  const outDir = path.join(root, TYPES_DIR)
  const files = generateTypes(app, { outDir })
  return await writeIfChanged(outDir, files)
}
