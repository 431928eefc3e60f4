/**
 * `RedisCache`: the `CacheBackend` on Redis (standalone or Cluster). Key layout in
 * keys.ts, script contracts in lua.ts, the purge in purge.ts.
 *
 * Why `put` cannot resurrect purged data (see backend.ts for the epoch protocol): a purge
 * advances the epoch, raises the tag's purge epoch in the tag's slot, then marks and
 * cleans each context registered there. A put first registers its context in each tag's
 * slot and reads the tag's purge epoch, then writes in its context's slot only if no
 * marker there is newer than its ticket. Per tag slot, either the put registered first
 * (so the purge visits its context: its entry is deleted, or its write meets the marker)
 * or the purge came first (so the put sees the newer tag epoch and refuses).
 * @module
 */
import { randomBytes } from 'node:crypto'
import type { CacheBackend, EntryRef, Lease, PurgeReport, PurgeTarget, PutRequest, Ticket } from '../backend.ts'
import { BackendError, MizanError } from '../errors.ts'
import { connect } from './client.ts'
import { checkEvictionPolicy } from './eviction.ts'
import { CommandGuard } from './guard.ts'
import type { RedisClient } from './guard.ts'
import { contextKeys, globalKeys, isValidId } from './keys.ts'
import type { GlobalKeys } from './keys.ts'
import { resolveOptions } from './options.ts'
import type { RedisCacheOptions } from './options.ts'
import { runPurge } from './purge.ts'
import { defineScripts, epochState } from './scripts.ts'
import type { Scripts } from './scripts.ts'

function checkRef(ref: EntryRef, what: string): void {
  if (!isValidId(ref?.context) || !isValidId(ref?.key)) {
    throw new MizanError('MIZAN_CONFIG', `RedisCache ${what}: ${JSON.stringify(ref)} is not an entry ref made by @mizan/core (context and key must be 1-256 base64url characters, "." or "~"). Derive refs with the core's key functions.`)
  }
}

function checkTags(tags: readonly string[], what: string): string[] {
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t === '')) {
    throw new MizanError('MIZAN_TAG', `RedisCache ${what}: tags must be an array of non-empty strings normalised by normalizeTags(), got ${JSON.stringify(tags)}.`)
  }
  return [...new Set(tags)]
}

/**
 * The Redis cache backend. Creates its own ioredis client from `url` or `cluster` (with a
 * command timeout, fail-fast retries, a bounded offline queue, reconnect backoff and
 * auto-pipelining), or uses your `client` as is. A hit is one `GET`. Needs Redis ≥ 6.2.
 *
 * @example
 * ```ts
 * import { RedisCache } from '@mizan/core/redis'
 * const backend = new RedisCache({ url: process.env.REDIS_URL, prefix: 'blog' })
 * const { value } = await cacheFetch({ secret, backend, context, params, policy, compute })
 * await backend.close()
 * ```
 */
export class RedisCache implements CacheBackend {
  readonly name = 'redis'
  readonly markerTtlMs: number
  readonly #client: RedisClient
  readonly #owned: boolean
  readonly #guard: CommandGuard
  readonly #scripts: Scripts
  readonly #prefix: string
  readonly #global: GlobalKeys
  readonly #timeoutMs: number
  readonly #checkEviction: () => void
  #closed = false
  /** The last ref `get` validated, with its Redis key name. */
  #lastGet: { readonly context: string; readonly key: string; readonly name: string } = { context: '', key: '', name: '' }

  constructor(options: RedisCacheOptions) {
    const resolved = resolveOptions(options)
    const { client, owned } = connect(resolved.connection, resolved.commandTimeoutMs)
    this.markerTtlMs = resolved.markerTtlMs
    this.#client = client
    this.#owned = owned
    this.#prefix = resolved.prefix
    this.#global = globalKeys(resolved.prefix)
    this.#timeoutMs = resolved.commandTimeoutMs
    this.#guard = new CommandGuard(client, { timeoutMs: resolved.commandTimeoutMs, maxOffline: resolved.maxOfflineQueue, flushedOnClose: owned && resolved.connection.kind === 'url', nativeDeadline: owned })
    this.#scripts = defineScripts(client)
    let checked = false
    this.#checkEviction = () => {
      if (checked || this.#closed) return
      checkEvictionPolicy(client, resolved.onWarning).then((done) => (checked ||= done), () => {})
    }
    client.on('ready', this.#checkEviction)
    if (client.status === 'ready') this.#checkEviction()
  }

  #run<T>(what: string, send: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new BackendError(`RedisCache ${what}: the cache is closed.`))
    return this.#guard.run(what, send)
  }

  get(ref: EntryRef): Promise<Uint8Array | null> {
    // A popular entry is read again and again: its ids were checked and its key name built the last time.
    let last = this.#lastGet
    if (ref?.context !== last.context || ref.key !== last.key) {
      try {
        checkRef(ref, 'get')
      } catch (error) {
        return Promise.reject(error)
      }
      this.#lastGet = last = { context: ref.context, key: ref.key, name: contextKeys(this.#prefix, ref.context).entry(ref.key) }
    }
    const { name } = last
    // The hit path: no async frame of its own, one command (a Buffer is a Uint8Array).
    return this.#run('get', () => this.#client.getBuffer(name))
  }

  async ticket(): Promise<Ticket> {
    const issuedAt = Date.now()
    const { epoch } = epochState(await this.#run('ticket', () => this.#scripts.epoch(this.#global.epoch, this.#global.birth, '0')))
    return { epoch: Number(epoch), issuedAt }
  }

  async put(request: PutRequest): Promise<boolean> {
    const { ref, bytes, ttlMs, ticket } = request
    checkRef(ref, 'put')
    const tags = checkTags(request.tags, 'put')
    if (!(bytes instanceof Uint8Array)) throw new MizanError('MIZAN_CONFIG', 'RedisCache put: bytes must be a Uint8Array (an encoded envelope).')
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new MizanError('MIZAN_POLICY', `RedisCache put: ttlMs must be a positive number of milliseconds, got ${String(ttlMs)}.`)
    if (!Number.isFinite(ticket?.epoch) || !Number.isFinite(ticket?.issuedAt)) throw new MizanError('MIZAN_CONFIG', 'RedisCache put: ticket must come from backend.ticket().')
    if (Date.now() - ticket.issuedAt >= this.markerTtlMs) return false
    const epoch = String(ticket.epoch)
    const [state, ...tagEpochs] = await Promise.all([
      this.#run('put (epoch)', () => this.#scripts.epoch(this.#global.epoch, this.#global.birth, '0')),
      ...tags.map((tag) => this.#run('put (register)', () => this.#scripts.register(this.#global.registry(tag), this.#global.tagEpoch(tag), ref.context, epoch))),
    ])
    const { epoch: current, birth } = epochState(state)
    // A ticket above the current epoch cannot come from this Redis's history (data replaced, clock set back).
    if (ticket.epoch > Number(current) || tagEpochs.some((e) => Number(e) > ticket.epoch)) return false
    const keys = contextKeys(this.#prefix, ref.context)
    const stored = await this.#run('put', () =>
      this.#scripts.store(
        keys.entry(ref.key), keys.markers, keys.markerTimes, keys.floor, keys.all,
        epoch, birth, String(Math.ceil(ttlMs)), String(this.markerTtlMs), keys.base, ref.key,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ...tags,
      ),
    )
    return Number(stored) === 1
  }

  async delete(ref: EntryRef): Promise<void> {
    checkRef(ref, 'delete')
    await this.#run('delete', () => this.#client.del(contextKeys(this.#prefix, ref.context).entry(ref.key)))
  }

  async purge(target: PurgeTarget): Promise<PurgeReport> {
    const tags = checkTags(target?.tags ?? [], 'purge')
    const contexts = target?.contexts ?? []
    if (!Array.isArray(contexts) || !contexts.every(isValidId)) {
      throw new MizanError('MIZAN_CONFIG', `RedisCache purge: contexts must be context ids made by contextId(), got ${JSON.stringify(contexts)}.`)
    }
    for (const ref of target?.entries ?? []) checkRef(ref, 'purge')
    if (tags.length + contexts.length + (target?.entries?.length ?? 0) === 0) return { deleted: 0 }
    if (this.#closed) throw new BackendError('RedisCache purge: the cache is closed.')
    const deps = { client: this.#client, guard: this.#guard, scripts: this.#scripts, prefix: this.#prefix, markerTtlMs: this.markerTtlMs }
    return runPurge(deps, target, tags)
  }

  async lease(ref: EntryRef, ttlMs: number): Promise<Lease | null> {
    checkRef(ref, 'lease')
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new MizanError('MIZAN_CONFIG', `RedisCache lease: ttlMs must be a positive number, got ${String(ttlMs)}.`)
    const key = contextKeys(this.#prefix, ref.context).lease(ref.key)
    const token = randomBytes(16).toString('base64url')
    const taken = await this.#run('lease', () => this.#client.set(key, token, 'PX', Math.ceil(ttlMs), 'NX'))
    if (taken !== 'OK') return null
    return {
      token,
      release: async () => {
        await this.#run('lease release', () => this.#scripts.release(key, token))
      },
    }
  }

  /** Closes the client RedisCache created; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#guard.dispose()
    this.#client.off('ready', this.#checkEviction)
    if (!this.#owned) return
    const client = this.#client
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#timeoutMs)
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      client.quit().then(done, done)
    })
    client.disconnect()
  }
}
