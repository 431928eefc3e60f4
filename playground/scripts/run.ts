/**
 * `pnpm dev` / `pnpm start` for the playground: runs the backend and Vite in one process so one
 * Ctrl-C stops both.
 *
 *   node scripts/run.ts dev     backend + `vite dev` (the Worker runs in workerd, with HMR)
 *   node scripts/run.ts start   backend + `vite build` + `vite preview` (the built Worker)
 *
 * Ports: BACKEND_PORT (8790), PORT (5173 dev / 4173 preview); HOST (127.0.0.1).
 * @module
 */
import { fileURLToPath } from 'node:url'
import { createBuilder, createServer, preview } from 'vite'
import { startBackend } from '../backend/server.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const mode = process.argv[2]
const host = process.env['HOST'] ?? '127.0.0.1'
if (mode !== 'dev' && mode !== 'start') {
  process.stderr.write('usage: node scripts/run.ts dev|start\n')
  process.exit(2)
}

const backend = await startBackend({ port: Number(process.env['BACKEND_PORT'] ?? 8790) })
process.env['PLAYGROUND_ORIGIN'] = backend.url
const closers: Array<() => Promise<void>> = [() => backend.close()]

let stopping = false
async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  for (const close of closers.reverse()) await close().catch(() => {})
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

try {
  if (mode === 'dev') {
    const server = await createServer({ root, server: { host, port: Number(process.env['PORT'] ?? 5173), strictPort: true } })
    closers.push(() => server.close())
    await server.listen()
    server.printUrls()
    server.bindCLIShortcuts({ print: true })
  } else {
    const builder = await createBuilder({ root })
    await builder.buildApp()
    const server = await preview({ root, preview: { host, port: Number(process.env['PORT'] ?? 4173), strictPort: true } })
    closers.push(() => server.close())
    server.printUrls()
  }
  process.stdout.write(`\n  backend: ${backend.url}   (Ctrl-C stops everything)\n\n`)
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  await stop(1)
}
