import { expect, test } from 'vitest'
import { findImportChain } from './import-chain.ts'

const graphOf = (edges: Record<string, string[]>) => (id: string) => edges[id] ?? []

test('walks up to an entry along the shortest chain', () => {
  const importers = graphOf({
    'db.server.ts': ['lib/posts.ts', 'routes/admin.tsx'],
    'lib/posts.ts': ['routes/index.tsx'],
    'routes/index.tsx': ['entry'],
    'routes/admin.tsx': ['entry'],
    entry: [],
  })
  expect(findImportChain('db.server.ts', importers)).toEqual(['entry', 'routes/admin.tsx', 'db.server.ts'])
})

test('a module nothing imports is its own chain', () => {
  expect(findImportChain('a', graphOf({}))).toEqual(['a'])
})

test('survives cycles and stops at the depth limit', () => {
  expect(findImportChain('a', graphOf({ a: ['b'], b: ['a'] }))).toEqual(['b', 'a'])
  const long = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}`, [`m${i + 1}`]]))
  expect(findImportChain('m0', graphOf(long), 5)).toHaveLength(6)
})
