import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { CLIENT_MANIFEST, clientAssetsFromManifest, readClientBuild } from './client-assets.ts'
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

describe('readClientBuild', () => {
  test('reads the client manifest again on every call, and answers from it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizan-client-build-'))
    try {
      const file = path.join(dir, CLIENT_MANIFEST)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, JSON.stringify(manifest))
      const first = readClientBuild(dir, '/')
      expect(first.assets.entry).toBe('/assets/mizan-client-d4.js')
      expect(readClientBuild(dir, '/')).toEqual(first)
      expect(readClientBuild(dir, '/app/').assets.entry).toBe('/app/assets/mizan-client-d4.js')
      const entry = manifest['virtual:mizan/client-entry']!
      fs.writeFileSync(file, JSON.stringify({ ...manifest, 'virtual:mizan/client-entry': { ...entry, file: 'assets/mizan-client-f6.js' } }))
      expect(readClientBuild(dir, '/').assets.entry).toBe('/assets/mizan-client-f6.js')
      expect(readClientBuild(dir, '/').inputs).toEqual([fs.readFileSync(file, 'utf8')])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
