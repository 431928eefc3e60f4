/**
 * The compiler's memos loaded in this thread, so that one call clears them all without loading
 * the ones that are not (the analysis memo pulls in the parser).
 * @module
 */

const clearers = new Set<() => void>()

/**
 * Registers a memo's clear function (called by the memo's module when it loads).
 *
 * @example
 * ```ts
 * registerMemo(() => entries.clear())
 * ```
 */
export function registerMemo(clear: () => void): void {
  clearers.add(clear)
}

/**
 * Clears every registered memo of this thread.
 *
 * @example
 * ```ts
 * clearMemos()
 * ```
 */
export function clearMemos(): void {
  for (const clear of clearers) clear()
}
