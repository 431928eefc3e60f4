/**
 * Typed errors of `@mizan/core`. Every user-facing error carries a stable `code`
 * (documented in docs/cache.md) and a message that says what was wrong and how to fix it.
 *
 * @example
 * ```ts
 * import { MizanError } from '@mizan/core'
 * try { canonicalParams({ when: new Date() }) }
 * catch (e) { if (e instanceof MizanError && e.code === 'MIZAN_PARAMS') console.log(e.message) }
 * ```
 * @module
 */

/** Stable error codes. */
export type MizanErrorCode =
  | 'MIZAN_PARAMS'
  | 'MIZAN_SECRET'
  | 'MIZAN_TAG'
  | 'MIZAN_POLICY'
  | 'MIZAN_BACKEND'
  | 'MIZAN_SIGNATURE'
  | 'MIZAN_PURGE'
  | 'MIZAN_CONFIG'

/**
 * Base class of every error Mizan throws on purpose.
 *
 * @example
 * ```ts
 * if (err instanceof MizanError) console.error(err.code, err.message)
 * ```
 */
export class MizanError extends Error {
  readonly code: MizanErrorCode
  constructor(code: MizanErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/**
 * Params that are not canonical JSON: `path` names where (`$.user.tags[2]`), `reason` what.
 *
 * @example
 * ```ts
 * try { canonicalParams({ n: NaN }) } catch (e) { (e as ParamsError).path === '$.n' }
 * ```
 */
export class ParamsError extends MizanError {
  readonly path: string
  readonly reason: string
  constructor(path: string, reason: string) {
    super('MIZAN_PARAMS', `Invalid cache params at ${path}: ${reason}. Params must be plain JSON (null, booleans, finite numbers, strings, arrays, plain objects).`)
    this.path = path
    this.reason = reason
  }
}

/**
 * A master secret that is missing, too short, malformed or a published example.
 *
 * @example
 * ```ts
 * await createSecret('changeme') // throws SecretError
 * ```
 */
export class SecretError extends MizanError {
  constructor(message: string) {
    super('MIZAN_SECRET', message)
  }
}

/**
 * A cache tag outside the rules (lowercase printable ASCII, ≤ 1024 chars, ≤ 1000 a entry, ≤ 16 KB).
 *
 * @example
 * ```ts
 * normalizeTags(['Post:1']) // lowercased, fine; normalizeTags(['a\u0000']) throws TagError
 * ```
 */
export class TagError extends MizanError {
  constructor(message: string) {
    super('MIZAN_TAG', message)
  }
}

/**
 * A cache policy that cannot be used (bad ttl/swr, unknown key).
 *
 * @example
 * ```ts
 * parseDuration('5 minutes') // throws PolicyError: use '5m'
 * ```
 */
export class PolicyError extends MizanError {
  constructor(message: string) {
    super('MIZAN_POLICY', message)
  }
}

/**
 * A cache backend failed (connection, timeout, script error). Reads swallow it (fail open);
 * purges surface it (fail closed).
 *
 * @example
 * ```ts
 * try { await cachePurgeTags(backend, ['post:1']) } catch (e) { if (e instanceof BackendError) retryLater() }
 * ```
 */
export class BackendError extends MizanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MIZAN_BACKEND', message, options)
  }
}

/**
 * A purge request whose signature is missing, malformed, tampered, expired, replayed or
 * made with an unknown key. `reason` is machine-readable.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof SignatureError) return new Response(e.reason, { status: 401 }) }
 * ```
 */
export class SignatureError extends MizanError {
  readonly reason: 'missing' | 'malformed' | 'unknown-key' | 'expired' | 'replayed' | 'mismatch'
  constructor(reason: SignatureError['reason'], message: string) {
    super('MIZAN_SIGNATURE', message)
    this.reason = reason
  }
}

/**
 * A purge that did not complete (the backend or the edge did not acknowledge it).
 *
 * @example
 * ```ts
 * try { await purger.purge({ tags: ['post:1'] }) } catch (e) { if (e instanceof PurgeError) alert() }
 * ```
 */
export class PurgeError extends MizanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MIZAN_PURGE', message, options)
  }
}

/**
 * Signals a bug in Mizan itself, never a user error.
 *
 * @example
 * ```ts
 * invariant(entry !== undefined, 'entry vanished between get and put')
 * ```
 */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Internal error: ${message}. This is a bug in Mizan; please report it.`)
}
