import type { WorkerConfig } from '@cloudflare/vite-plugin'
import { describe, expect, test } from 'vitest'
import { resolveOptions } from './options.ts'
import { cloudflareOptions, mergePatch, mizanWorkerPatch } from './worker-config.ts'

const base = (extra: Partial<WorkerConfig> = {}): WorkerConfig => ({ compatibility_flags: [], vars: {}, ...extra }) as unknown as WorkerConfig

describe('mizanWorkerPatch', () => {
  test('fills an empty config', () => {
    expect(mizanWorkerPatch(base(), undefined)).toEqual({
      main: 'virtual:mizan/worker-entry',
      compatibility_date: '2026-10-01',
      compatibility_flags: ['nodejs_compat'],
      assets: { binding: 'ASSETS' },
      vars: { MIZAN_ORIGIN: 'http://127.0.0.1:8787' },
      durable_objects: { bindings: [{ name: 'MIZAN_PURGE', class_name: 'MizanPurgeState' }] },
      migrations: [{ tag: 'mizan-purge-state-v1', new_sqlite_classes: ['MizanPurgeState'] }],
    })
  })

  test("adds the purge-state Durable Object next to the user's own, never twice", () => {
    const mine = { name: 'ROOMS', class_name: 'Room' }
    const withOthers = mizanWorkerPatch(base({ durable_objects: { bindings: [mine] } } as Partial<WorkerConfig>), undefined)
    expect(withOthers.durable_objects).toEqual({ bindings: [{ name: 'MIZAN_PURGE', class_name: 'MizanPurgeState' }] })
    const already = base({
      durable_objects: { bindings: [mine, { name: 'MIZAN_PURGE', class_name: 'MizanPurgeState' }] },
      migrations: [{ tag: 'v1', new_classes: ['Room'] }, { tag: 'v2', new_sqlite_classes: ['MizanPurgeState'] }],
    } as Partial<WorkerConfig>)
    const patch = mizanWorkerPatch(already, undefined)
    expect(patch.durable_objects).toBeUndefined()
    expect(patch.migrations).toBeUndefined()
  })

  test("asks the user to append the migration when their config has migrations of its own", () => {
    const config = base({ migrations: [{ tag: 'v1', new_classes: ['Room'] }] } as Partial<WorkerConfig>)
    expect(() => mizanWorkerPatch(config, undefined)).toThrow(/Append this one to "migrations".*\n.*"new_sqlite_classes": \["MizanPurgeState"\]/s)
  })

  test("keeps what the user's wrangler config already says", () => {
    const config = base({
      main: './src/worker.ts',
      compatibility_date: '2026-09-01',
      compatibility_flags: ['nodejs_compat'],
      assets: { binding: 'STATIC' } as WorkerConfig['assets'],
      vars: { MIZAN_ORIGIN: 'https://api.example.com' },
      durable_objects: { bindings: [{ name: 'MIZAN_PURGE', class_name: 'MizanPurgeState' }] },
      migrations: [{ tag: 'v1', new_sqlite_classes: ['MizanPurgeState'] }],
    } as Partial<WorkerConfig>)
    expect(mizanWorkerPatch(config, undefined)).toEqual({})
  })

  test('an explicit origin option wins over the wrangler config', () => {
    expect(mizanWorkerPatch(base({ vars: { MIZAN_ORIGIN: 'https://a' } }), 'https://b').vars).toEqual({ MIZAN_ORIGIN: 'https://b' })
  })
})

describe('cloudflareOptions', () => {
  test('names the Worker environment and passes other options through', () => {
    const options = cloudflareOptions(resolveOptions({ cloudflare: { persistState: false, inspectorPort: false } }))
    expect(options.viteEnvironment).toEqual({ name: 'ssr' })
    expect(options.persistState).toBe(false)
    expect(options.inspectorPort).toBe(false)
  })

  test("a user customiser sees Mizan's defaults and its answer wins", () => {
    let seen: WorkerConfig | undefined
    const options = cloudflareOptions(
      resolveOptions({
        cloudflare: {
          config: (config: WorkerConfig) => {
            seen = config
            return { vars: { MIZAN_ORIGIN: 'https://mine', OTHER: '1' } }
          },
        },
      }),
    )
    const customise = options.config as (c: WorkerConfig) => Partial<WorkerConfig>
    const patch = customise(base({ name: 'app' }))
    expect(seen?.main).toBe('virtual:mizan/worker-entry')
    expect(seen?.name).toBe('app')
    expect(patch.vars).toEqual({ MIZAN_ORIGIN: 'https://mine', OTHER: '1' })
    expect(patch.main).toBe('virtual:mizan/worker-entry')
  })

  test('a customiser that mutates and returns nothing still applies', () => {
    const options = cloudflareOptions(resolveOptions({ cloudflare: { config: (c: WorkerConfig) => void (c.compatibility_date = '2026-01-01') } }))
    const patch = (options.config as (c: WorkerConfig) => Partial<WorkerConfig>)(base())
    expect(patch.compatibility_date).toBe('2026-01-01')
  })

  test('an object customiser is merged over the defaults', () => {
    const options = cloudflareOptions(resolveOptions({ cloudflare: { config: { compatibility_flags: ['nodejs_als'] } } }))
    const patch = (options.config as (c: WorkerConfig) => Partial<WorkerConfig>)(base())
    expect(patch.compatibility_flags).toEqual(['nodejs_als', 'nodejs_compat'])
  })
})

test('mergePatch merges objects deeply, winner first, arrays without duplicates', () => {
  expect(mergePatch({ a: { x: 1 }, l: [1, 2], s: 'w' }, { a: { y: 2 }, l: [2, 3], s: 'l', k: true })).toEqual({
    a: { x: 1, y: 2 },
    l: [1, 2, 3],
    s: 'w',
    k: true,
  })
})
