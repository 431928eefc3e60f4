/**
 * Debug output of the Vite plugin, silent unless `NODE_DEBUG=mizan` is set.
 *
 * @example
 * ```ts
 * import { debug } from './debug.ts'
 * debug('regenerated %d files', 3) // NODE_DEBUG=mizan vite dev → "MIZAN 1234: regenerated 3 files"
 * ```
 * @module
 */
import { debuglog } from 'node:util'

/** Logs to stderr when `NODE_DEBUG` contains `mizan`. */
export const debug = debuglog('mizan')
