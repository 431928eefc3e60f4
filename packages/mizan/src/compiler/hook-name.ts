/**
 * The generated hook's name for a data function or action export, on its own so that code which
 * only needs the name (the app model's checks) does not load the analysis.
 * @module
 */

/**
 * The generated hook's name for a data function export: `post` → `usePost`.
 *
 * @example
 * ```ts
 * hookName('viewer') // 'useViewer'
 * ```
 */
export function hookName(exportName: string): string {
  return `use${exportName.charAt(0).toUpperCase()}${exportName.slice(1)}`
}
