#!/usr/bin/env node
// Mizan ships its TypeScript sources. Node >= 22.18 strips types by default; older 22.x
// releases (>= 22.12, the supported floor) need the flag, so re-run with it.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

if (process.features.typescript) {
  const { main } = await import('../src/cli/index.ts')
  process.exitCode = await main(process.argv.slice(2))
} else {
  const args = ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)]
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' })
  process.exitCode = result.status ?? 1
}
