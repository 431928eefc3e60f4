import { describe, expect, test } from 'vitest'
import { clientAssetsFromManifest } from './client-assets.ts'
import type { ViteManifest } from './client-assets.ts'

const manifest: ViteManifest = {
  '_shared-a1.js': { file: 'assets/shared-a1.js', css: ['assets/shared-a1.css'] },
  'src/routes/index.tsx': { file: 'assets/index-b2.js', imports: ['_shared-a1.js'], css: ['assets/index-b2.css'] },
  'src/routes/posts/[slug].tsx': { file: 'assets/_slug_-c3.js', imports: ['_shared-a1.js'] },
  'virtual:mizan/client-entry': {
    file: 'assets/mizan-client-d4.js',
    name: 'mizan-client',
    isEntry: true,
    imports: ['_shared-a1.js'],
    dynamicImports: ['src/routes/index.tsx', 'src/routes/posts/[slug].tsx'],
    css: ['assets/root-e5.css'],
  },
  'unrelated.js': { file: 'assets/unrelated.js', css: ['assets/unrelated.css'] },
}

describe('clientAssetsFromManifest', () => {
  test('finds the entry and every reachable stylesheet once, in a stable order', () => {
    expect(clientAssetsFromManifest(manifest, '/')).toEqual({
      entry: '/assets/mizan-client-d4.js',
      css: ['/assets/root-e5.css', '/assets/shared-a1.css', '/assets/index-b2.css'],
    })
  })

  test('prefixes a non-root base', () => {
    expect(clientAssetsFromManifest(manifest, '/app').entry).toBe('/app/assets/mizan-client-d4.js')
    expect(clientAssetsFromManifest(manifest, '/app/').entry).toBe('/app/assets/mizan-client-d4.js')
  })

  test('a manifest without the Mizan entry is a bug, said so', () => {
    expect(() => clientAssetsFromManifest({ x: { file: 'x.js', isEntry: true, name: 'main' } }, '/')).toThrow(/bug in Mizan/)
  })
})
