import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { WorkerConfig } from '@cloudflare/vite-plugin'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { DEV_SECRET_FILE, LocalSecretState, localSecret, writePreviewVars } from './dev-secret.ts'
import { resolveOptions } from './options.ts'
import { cloudflareOptions } from './worker-config.ts'

let root: string
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mizan-dev-secret-'))
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

describe('localSecret', () => {
  test('is created once (32 random bytes, hex), private to the user, and git-ignored', () => {
    const first = localSecret(root)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(localSecret(root)).toBe(first)
    expect(fs.statSync(path.join(root, DEV_SECRET_FILE)).mode & 0o077).toBe(0)
    expect(fs.readFileSync(path.join(root, '.mizan/.gitignore'), 'utf8')).toContain('dev-secret')
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'mizan-dev-secret-'))
    try {
      expect(localSecret(other)).not.toBe(first)
    } finally {
      fs.rmSync(other, { recursive: true, force: true })
    }
  })

  test('replaces a file that does not hold a secret', () => {
    fs.mkdirSync(path.join(root, '.mizan'))
    fs.writeFileSync(path.join(root, DEV_SECRET_FILE), 'oops')
    expect(localSecret(root)).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('writePreviewVars', () => {
  test('writes the local secret next to the built wrangler.json', () => {
    writePreviewVars(root, root, {})
    expect(fs.readFileSync(path.join(root, '.dev.vars'), 'utf8')).toContain(`MIZAN_SECRET=${localSecret(root)}\n`)
  })

  test('writes nothing (and removes a stale file) when MIZAN_SECRET is in the environment', () => {
    fs.writeFileSync(path.join(root, '.dev.vars'), 'MIZAN_SECRET=old\n')
    writePreviewVars(root, root, { MIZAN_SECRET: 'a real one' })
    expect(fs.existsSync(path.join(root, '.dev.vars'))).toBe(false)
    expect(fs.existsSync(path.join(root, DEV_SECRET_FILE))).toBe(false)
  })
})

describe('the Worker config under vite dev', () => {
  const customise = (local: LocalSecretState, config: Partial<WorkerConfig> = {}) =>
    (cloudflareOptions(resolveOptions(undefined), local).config as (c: WorkerConfig) => Partial<WorkerConfig>)({ compatibility_flags: [], vars: {}, ...config } as unknown as WorkerConfig)

  test('passes the local secret and turns the page cache off; builds get neither', () => {
    const local = new LocalSecretState()
    local.root = root
    expect(customise(local).vars).toEqual({ MIZAN_ORIGIN: 'http://127.0.0.1:8787' })
    local.serving = true
    const vars = customise(local).vars as Record<string, string>
    expect(vars['MIZAN_SECRET']).toBe(localSecret(root))
    expect(vars['MIZAN_PAGE_CACHE']).toBe('off')
  })

  test("keeps the user's own MIZAN_SECRET var", () => {
    const local = new LocalSecretState()
    local.root = root
    local.serving = true
    const vars = customise(local, { vars: { MIZAN_SECRET: 'mine' } } as Partial<WorkerConfig>).vars as Record<string, string>
    expect(vars['MIZAN_SECRET']).toBeUndefined()
    expect(fs.existsSync(path.join(root, DEV_SECRET_FILE))).toBe(false)
  })
})
