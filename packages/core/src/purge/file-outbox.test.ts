import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PurgeError } from '../errors.ts'
import { FileOutbox } from './file-outbox.ts'
import { MemoryOutbox } from './outbox.ts'
import type { OutboxItem, PurgeOutbox } from './outbox.ts'

const item = (id: string, edges = ['http://a', 'http://b']): OutboxItem => ({ id, body: `{"id":"${id}","tags":["x"]}`, edges, createdAt: 1 })

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mizan-outbox-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe.each([
  ['MemoryOutbox', (): PurgeOutbox => new MemoryOutbox({ maxItems: 3 })],
  ['FileOutbox', (): PurgeOutbox => new FileOutbox(join(dir, 'nested', 'outbox.json'), { maxItems: 3 })],
])('%s', (_, make) => {
  it('adds, replaces by id (keeping order), lists and removes', async () => {
    const outbox = make()
    await outbox.add(item('a'))
    await outbox.add(item('b'))
    await outbox.add(item('a', ['http://b']))
    expect(await outbox.list()).toEqual([item('a', ['http://b']), item('b')])
    await outbox.remove('a')
    await outbox.remove('missing')
    expect(await outbox.list()).toEqual([item('b')])
  })

  it('refuses a new item when full, but still replaces existing ones', async () => {
    const outbox = make()
    for (const id of ['a', 'b', 'c']) await outbox.add(item(id))
    await expect(outbox.add(item('d'))).rejects.toThrow(PurgeError)
    await outbox.add(item('c', []))
    expect((await outbox.list()).map((i) => i.id)).toEqual(['a', 'b', 'c'])
  })
})

describe('FileOutbox', () => {
  it('persists across instances (a restart) and leaves no temporary files', async () => {
    const path = join(dir, 'outbox.json')
    const first = new FileOutbox(path)
    await Promise.all([first.add(item('a')), first.add(item('b')), first.add(item('c'))])
    await first.remove('b')
    const second = new FileOutbox(path)
    expect(await second.list()).toEqual([item('a'), item('c')])
    expect(await readdir(dir)).toEqual(['outbox.json'])
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ format: 'mizan-purge-outbox/1' })
  })

  it('refuses a corrupt file with a message naming it, and keeps refusing', async () => {
    const path = join(dir, 'outbox.json')
    await writeFile(path, '{"format":"something else"}')
    const outbox = new FileOutbox(path)
    await expect(outbox.list()).rejects.toThrow(/outbox\.json is not a mizan-purge-outbox\/1 file/)
    await expect(outbox.add(item('a'))).rejects.toThrow(PurgeError)
    expect(await readFile(path, 'utf8')).toBe('{"format":"something else"}')
  })

  it('keeps memory in step with disk when a write fails', async () => {
    const path = join(dir, 'outbox.json')
    const outbox = new FileOutbox(path)
    await outbox.add(item('a'))
    // A directory where the file should go makes the final rename fail, even for root.
    await rm(path)
    await mkdir(path)
    await expect(outbox.add(item('b'))).rejects.toThrow(/Cannot write the purge outbox/)
    expect(await outbox.list()).toEqual([item('a')])
    expect(await readdir(dir)).toEqual(['outbox.json'])
  })
})
