/**
 * A durable purge outbox in one JSON file, for Node (`@mizan/core/purger-node`). It is not
 * part of the main entry because it needs `node:fs`, which the render Worker does not have.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { PurgeError } from '../errors.ts'
import { checkMaxItems, outboxFull } from './outbox.ts'
import type { OutboxItem, PurgeOutbox } from './outbox.ts'

const FORMAT = 'mizan-purge-outbox/1'

/**
 * A {@link PurgeOutbox} kept in a file, so purges the edges have not acknowledged are resent
 * after a restart. Every change rewrites the file atomically (write a temporary file, fsync,
 * rename), so a crash leaves either the old or the new content. One process per file.
 *
 * @example
 * ```ts
 * import { createPurger } from '@mizan/core'
 * import { FileOutbox } from '@mizan/core/purger-node'
 * const purger = createPurger({ secret, edges: [process.env.MIZAN_EDGE_URL!], outbox: new FileOutbox('.mizan/purge-outbox.json') })
 * ```
 */
export class FileOutbox implements PurgeOutbox {
  readonly path: string
  readonly #maxItems: number
  #items: Map<string, OutboxItem> | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(path: string, options: { maxItems?: number } = {}) {
    this.path = path
    this.#maxItems = checkMaxItems('FileOutbox', options.maxItems)
  }

  add(item: OutboxItem): Promise<void> {
    return this.#serial(async (items) => {
      if (!items.has(item.id) && items.size >= this.#maxItems) throw outboxFull(this.#maxItems)
      const next = new Map(items).set(item.id, { id: item.id, body: item.body, edges: [...item.edges], createdAt: item.createdAt })
      await this.#write(next)
    })
  }

  remove(id: string): Promise<void> {
    return this.#serial(async (items) => {
      if (!items.has(id)) return
      const next = new Map(items)
      next.delete(id)
      await this.#write(next)
    })
  }

  list(): Promise<OutboxItem[]> {
    return this.#serial(async (items) => [...items.values()])
  }

  // Operations run one at a time so each rewrite starts from the result of the previous one;
  // the in-memory copy changes only once its file is written, so memory never runs ahead of disk.
  #serial<T>(operation: (items: Map<string, OutboxItem>) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => operation(this.#items ??= await this.#load()))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #load(): Promise<Map<string, OutboxItem>> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
      throw new PurgeError(`Cannot read the purge outbox ${this.path}: ${(error as Error).message}`, { cause: error })
    }
    const items = parseOutbox(text)
    if (items === null) {
      throw new PurgeError(`The purge outbox ${this.path} is not a ${FORMAT} file. Move it away to start with an empty outbox (its purges would then not be resent).`)
    }
    return new Map(items.map((item) => [item.id, item]))
  }

  async #write(items: Map<string, OutboxItem>): Promise<void> {
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`
    const text = JSON.stringify({ format: FORMAT, items: [...items.values()] })
    try {
      await mkdir(dirname(this.path), { recursive: true })
      const handle = await open(temporary, 'w')
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, this.path)
      this.#items = items
    } catch (error) {
      await rm(temporary, { force: true })
      throw new PurgeError(`Cannot write the purge outbox ${this.path}: ${(error as Error).message}`, { cause: error })
    }
  }
}

function parseOutbox(text: string): OutboxItem[] | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== FORMAT) return null
  const items = (data as { items?: unknown }).items
  if (!Array.isArray(items) || !items.every(isItem)) return null
  return items
}

function isItem(value: unknown): value is OutboxItem {
  if (typeof value !== 'object' || value === null) return false
  const item = value as Record<string, unknown>
  return typeof item.id === 'string' && typeof item.body === 'string' && typeof item.createdAt === 'number'
    && Array.isArray(item.edges) && item.edges.every((edge) => typeof edge === 'string')
}
