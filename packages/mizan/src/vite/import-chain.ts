/**
 * Finds how a module got into a module graph: the shortest chain of importers from an entry
 * (a module nothing imports) down to it. Pure: the graph is read through `importersOf`, so the
 * same walk serves Vite's dev module graph and Rolldown's module infos.
 *
 * @example
 * ```ts
 * const graph = { 'db.server.ts': ['page.tsx'], 'page.tsx': ['entry'], entry: [] }
 * findImportChain('db.server.ts', (id) => graph[id] ?? []) // ['entry', 'page.tsx', 'db.server.ts']
 * ```
 * @module
 */

/**
 * Breadth-first walk up the importers of `id`; returns `[entry, …, id]`. Stops at `maxDepth`
 * modules and on cycles, returning the longest chain found so far.
 *
 * @example
 * ```ts
 * findImportChain('a', () => []) // ['a']
 * ```
 */
export function findImportChain(id: string, importersOf: (id: string) => readonly string[], maxDepth = 50): string[] {
  const parent = new Map<string, string | null>([[id, null]])
  let frontier = [id]
  let deepest = id
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: string[] = []
    for (const current of frontier) {
      const importers = [...importersOf(current)].sort()
      if (importers.length === 0) return chainTo(current, parent)
      for (const importer of importers) {
        if (parent.has(importer)) continue
        parent.set(importer, current)
        next.push(importer)
        deepest = importer
      }
    }
    frontier = next
  }
  return chainTo(deepest, parent)
}

function chainTo(top: string, parent: Map<string, string | null>): string[] {
  const chain: string[] = []
  for (let at: string | null | undefined = top; at != null; at = parent.get(at)) chain.push(at)
  return chain
}
