/**
 * The master secret and the keys derived from it (docs/cache.md §Derived keys):
 * HKDF-SHA256 with salt `"mizan/1"` splits it into a key-derivation key (cache keys), a
 * purge-signing key and a public key id — never one key for two jobs.
 *
 * @module
 */
import { hkdfSha256, hmacFieldBase64urlSync, hmacSha256, hmacSha256Sync, importHmacKey } from '#crypto'
import type { EntryRef } from './backend.ts'
import type { HmacKey } from './crypto/types.ts'
import { base64urlEncode, hexEncode, utf8Encode } from './bytes.ts'
import { contextId, memoizedContextId } from './context-id.ts'
import { encodeFields, encodeFieldsTransient } from './encoding.ts'
import { MizanError } from './errors.ts'
import { parseSecret } from './secret-parse.ts'
import type { CacheContext } from './types.ts'

/**
 * A validated master secret with its derived keys. Key material stays in private fields: nothing
 * on this object (or its JSON / inspection) reveals it.
 *
 * @example
 * ```ts
 * const secret = await createSecret(process.env.MIZAN_SECRET)
 * const ref = await secret.entryRef({ fn: 'posts#list', version: '1' }, canonicalParams({ page: 2 }))
 * ```
 */
export interface CacheSecret {
  /** 16 lowercase hex chars derived from the secret; names the key in entries and signatures. */
  readonly keyId: string
  /** The storage ref of (context, canonical params). */
  entryRef(context: CacheContext, canonical: string): Promise<EntryRef>
  /**
   * The same without a promise where it can be had synchronously (Node, a context seen
   * before); `undefined` otherwise — then use `entryRef`. The hit path's shortcut.
   */
  entryRefSync?(context: CacheContext, canonical: string): EntryRef | undefined
  /** HMAC with the purge-signing key (never the key-derivation key). */
  signPurge(message: Uint8Array): Promise<Uint8Array>
}

/**
 * The current secret plus older ones still accepted while a rotation is under way. Cache
 * keys use `current`; purge verification accepts a signature by any key in `all`.
 *
 * @example
 * ```ts
 * const keyring = createKeyring(await createSecret(env.MIZAN_SECRET), await createSecret(env.MIZAN_SECRET_OLD))
 * ```
 */
export interface CacheKeyring {
  readonly current: CacheSecret
  readonly all: readonly CacheSecret[]
}

/**
 * HKDF labels (`info`) of the derived keys (salt `"mizan/1"`, 32 bytes each), for
 * reimplementations and audits.
 *
 * @example
 * ```ts
 * SECRET_LABELS.purgeSigning // 'purge-signing'
 * ```
 */
export const SECRET_LABELS = Object.freeze({
  keyDerivation: 'cache-key-derivation',
  purgeSigning: 'purge-signing',
  keyId: 'key-id',
})
const HKDF_SALT = 'mizan/1'
// Contexts are data-function versions: few per deploy. The bound only stops abuse.
const CONTEXT_MEMO_LIMIT = 256
// Recently derived keys per context, per generation (two generations): ~150 bytes each.
const KEY_MEMO_LIMIT = 512

interface ContextMemo {
  readonly fn: string
  readonly version: string
  /** The context id (secret-independent; see context-id.ts). */
  readonly id: string
  readonly prefix: Uint8Array
  recent: Map<string, string>
  older: Map<string, string>
}

/**
 * Validates a master secret and derives its keys. Fails closed with a `SecretError` (which
 * says how to generate a good one) when it is missing, empty, not hex/base64, shorter than
 * 32 bytes, a documented example, or obviously not random. Strings are trimmed first.
 *
 * @example
 * ```ts
 * // openssl rand -hex 32  →  MIZAN_SECRET
 * const secret = await createSecret(process.env.MIZAN_SECRET)
 * secret.keyId // e.g. '5f0c2a9e81d4b3c7'
 * ```
 */
export async function createSecret(master: string | Uint8Array | undefined): Promise<CacheSecret> {
  return deriveSecret(parseSecret(master))
}

/**
 * Derives the keys of already-validated secret bytes. Internal: `createSecret` is the only
 * public door, so nothing can skip validation; tests use this to run the published
 * vectors, whose secrets `createSecret` refuses as documented examples.
 */
export async function deriveSecret(bytes: Uint8Array): Promise<CacheSecret> {
  const salt = utf8Encode(HKDF_SALT)
  const derive = (label: string): Promise<Uint8Array> => hkdfSha256(bytes, salt, utf8Encode(label), 32)
  const [kdk, purge, id] = await Promise.all([derive(SECRET_LABELS.keyDerivation), derive(SECRET_LABELS.purgeSigning), derive(SECRET_LABELS.keyId)])
  const keyId = hexEncode(id.subarray(0, 8))
  const [kdkKey, purgeKey] = await Promise.all([importHmacKey(kdk), importHmacKey(purge)])
  kdk.fill(0)
  purge.fill(0)
  return new DerivedSecret(keyId, kdkKey, purgeKey)
}

class DerivedSecret implements CacheSecret {
  readonly keyId: string
  readonly #kdk: HmacKey
  readonly #purgeKey: HmacKey
  readonly #contexts = new Map<string, ContextMemo>()
  // Callers usually pass the same context object (a data function's): skip building the string key.
  readonly #byObject = new WeakMap<CacheContext, ContextMemo>()

  constructor(keyId: string, kdk: HmacKey, purgeKey: HmacKey) {
    this.keyId = keyId
    this.#kdk = kdk
    this.#purgeKey = purgeKey
  }

  entryRefSync(context: CacheContext, canonical: string): EntryRef | undefined {
    if (hmacFieldBase64urlSync === undefined) return undefined
    // One identity lookup on the hit path; the fields are compared so a mutated context object is not given its old memo.
    let memo = this.#byObject.get(context)
    if (memo === undefined || memo.fn !== context.fn || memo.version !== context.version) {
      // contextId validates the context before memoising it, so a memo hit needs no check.
      const id = memoizedContextId(context)
      if (id === undefined) return undefined
      memo = this.#memo(context, id)
    }
    let key = memo.recent.get(canonical) ?? memo.older.get(canonical)
    if (key === undefined) {
      key = hmacFieldBase64urlSync(this.#kdk, memo.prefix, canonical)
      // Two generations instead of deleting the oldest entry: a Map used as a queue keeps
      // its deleted slots and slows down; dropping a whole generation does not.
      if (memo.recent.size >= KEY_MEMO_LIMIT) {
        memo.older = memo.recent
        memo.recent = new Map()
      }
      memo.recent.set(canonical, key)
    }
    return { context: memo.id, key }
  }

  async entryRef(context: CacheContext, canonical: string): Promise<EntryRef> {
    const known = this.entryRefSync(context, canonical)
    if (known !== undefined) return known
    const id = await contextId(context)
    if (hmacFieldBase64urlSync !== undefined) return this.entryRefSync(context, canonical) ?? { context: id, key: hmacFieldBase64urlSync(this.#kdk, this.#memo(context, id).prefix, canonical) }
    const message = encodeFieldsTransient(['mizan-key', '1', this.keyId, context.fn, context.version, canonical])
    const mac = hmacSha256Sync !== undefined ? hmacSha256Sync(this.#kdk, message) : await hmacSha256(this.#kdk, message)
    return { context: id, key: base64urlEncode(mac) }
  }

  /**
   * Per context: `encodeFields(['mizan-key', '1', keyId, fn, version])` (the same for every
   * key of the context) and the most recently derived keys — a hit on a popular entry then
   * costs a Map lookup instead of an HMAC.
   */
  #memo(context: CacheContext, id: string): ContextMemo {
    const known = this.#byObject.get(context)
    if (known !== undefined && known.fn === context.fn && known.version === context.version) return known
    const memoKey = `${context.fn.length}:${context.fn}${context.version}`
    let memo = this.#contexts.get(memoKey)
    if (memo === undefined) {
      if (this.#contexts.size >= CONTEXT_MEMO_LIMIT) this.#contexts.delete(this.#contexts.keys().next().value!)
      memo = { fn: context.fn, version: context.version, id, prefix: encodeFields(['mizan-key', '1', this.keyId, context.fn, context.version]), recent: new Map(), older: new Map() }
      this.#contexts.set(memoKey, memo)
    }
    this.#byObject.set(context, memo)
    return memo
  }

  signPurge(message: Uint8Array): Promise<Uint8Array> {
    return hmacSha256(this.#purgeKey, message)
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId }
  }
}

/**
 * Groups the current secret with previous ones for a rotation (duplicates by key id are
 * dropped). Cache keys use `current`; purge verification accepts any of `all`.
 *
 * @example
 * ```ts
 * const keyring = createKeyring(newSecret, oldSecret)
 * keyring.all.map((s) => s.keyId) // [newSecret.keyId, oldSecret.keyId]
 * ```
 */
export function createKeyring(current: CacheSecret, ...previous: CacheSecret[]): CacheKeyring {
  const all: CacheSecret[] = []
  for (const secret of [current, ...previous]) {
    if (typeof secret?.keyId !== 'string' || typeof secret.signPurge !== 'function') {
      throw new MizanError('MIZAN_CONFIG', 'createKeyring takes CacheSecret objects: `createKeyring(await createSecret(current), await createSecret(previous))`.')
    }
    if (!all.some((s) => s.keyId === secret.keyId)) all.push(secret)
  }
  return Object.freeze({ current, all: Object.freeze(all) })
}
