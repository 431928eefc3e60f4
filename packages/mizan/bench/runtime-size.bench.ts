// Browser runtime size: every export of `mizan/react` + `mizan/react/client` built as one
// library bundle (Vite/rolldown lib mode, ES format, minified, React and React DOM external —
// the app ships those anyway) and gzipped with node:zlib (level 9). One bundle because an app
// build puts the runtime into its entry chunk; the note also gives the sum over the chunks of
// a two-entry lib build (what separately cached files would cost). Everything these entries
// import (the store, router, @mizan/core/canonical) is inside the count.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { build } from 'vite'
import type { Rolldown } from 'vite'
import { report } from '../../../bench/lib.ts'

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url))
const GOAL_BYTES = 6 * 1024
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizan-bench-size-'))
const ENTRIES = { react: path.join(PACKAGE_DIR, 'src/react/index.ts'), client: path.join(PACKAGE_DIR, 'src/react/client.ts') }

async function libBuild(entry: Record<string, string>) {
  const result = await build({
    configFile: false,
    root: PACKAGE_DIR,
    logLevel: 'silent',
    plugins: [react()],
    build: {
      outDir: path.join(outDir, 'out'),
      write: false,
      minify: true,
      sourcemap: false,
      lib: { entry, formats: ['es'] },
      rollupOptions: { external: (id) => /^react(-dom)?($|\/)/.test(id) },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rolldown.OutputChunk => o.type === 'chunk')
  if (chunks.length === 0) throw new Error('benchmark setup: the library build produced no chunks')
  const leaked = chunks.filter((c) => /react-dom\/cjs|__SECRET_INTERNALS|scheduler/.test(c.code)).map((c) => c.fileName)
  if (leaked.length > 0) throw new Error(`benchmark setup: React was bundled into ${leaked.join(', ')} (it must be external)`)
  return chunks.map((c) => ({ file: c.fileName, name: c.name, exports: c.isEntry ? c.exports : [], min: Buffer.byteLength(c.code), gzip: gzipSync(c.code, { level: 9 }).length }))
}

try {
  const split = await libBuild(ENTRIES)
  // Re-export every runtime export of both entries by name, so nothing is tree-shaken away.
  const allEntry = path.join(outDir, 'all.ts')
  const reexports = Object.entries(ENTRIES).map(([name, file]) => {
    const names = split.find((c) => c.name === name)?.exports ?? []
    if (names.length === 0) throw new Error(`benchmark setup: entry ${name} has no exports`)
    return `export { ${names.join(', ')} } from ${JSON.stringify(file)}`
  })
  fs.writeFileSync(allEntry, reexports.join('\n') + '\n')
  const [bundle] = await libBuild({ all: allEntry })
  const gzip = bundle!.gzip
  const splitGzip = split.reduce((sum, s) => sum + s.gzip, 0)
  report({
    name: 'mizan: browser runtime mizan/react + mizan/react/client',
    unit: 'bytes min+gzip',
    value: gzip,
    goal: `<= ${GOAL_BYTES} bytes (6 KiB)`,
    pass: gzip <= GOAL_BYTES,
    note: `${bundle!.min} bytes minified; as separate chunks ${splitGzip} gzip (${split.map((s) => `${s.file} ${s.gzip}`).join(', ')})`,
  })
} finally {
  fs.rmSync(outDir, { recursive: true, force: true })
}
