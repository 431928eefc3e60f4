/**
 * The receiving end of the purge wire protocol as one Fetch-API handler (runs in workerd and
 * Node): size limits, verification, application and the status codes the purger relies on.
 * @module
 */
import type { CacheBackend } from '../backend.ts'
import { readBodyLimited } from '../bytes.ts'
import { MizanError, SignatureError } from '../errors.ts'
import { applyPurge } from './apply.ts'
import type { ReplayStore } from './replay.ts'
import type { PurgeKeys } from './signature.ts'
import { verifyPurgeRequest } from './verify.ts'
import { PURGE_LIMITS, PurgeBodyError } from './wire.ts'

/**
 * Options of {@link handlePurgeRequest}.
 *
 * @example
 * ```ts
 * const options: PurgeHandlerOptions = { keys: keyring, replay: new MemoryReplayStore(), backend }
 * ```
 */
export interface PurgeHandlerOptions {
  /** Keys accepted for signatures and used to derive exact entries' keys. */
  readonly keys: PurgeKeys
  readonly replay: ReplayStore
  readonly backend: CacheBackend
  /** Seconds a signature stays valid either way (default 300). */
  readonly windowSec?: number
  /** Clock in ms since the epoch (default `Date.now`). */
  readonly now?: () => number
}

/** Seconds a purger should wait before retrying after a failure on this side. */
const RETRY_AFTER_SECONDS = '1'

/**
 * Answers a `POST /_mizan/purge`: 200 with `{ id, tags, contexts, entries, deleted }` once
 * everything is purged; 401 `{ error, reason, message }` for a bad signature; 400/413 for a
 * bad body; 405/415 for a wrong method or content type; 503 + `Retry-After` when the cache
 * (or the replay store) fails — a purge never reports success it did not achieve.
 *
 * @example
 * ```ts
 * export default {
 *   async fetch(request: Request, env: Env) {
 *     if (new URL(request.url).pathname === PURGE_PATH) {
 *       return handlePurgeRequest(request, { keys: await createSecret(env.MIZAN_SECRET), replay, backend })
 *     }
 *     return render(request)
 *   },
 * }
 * ```
 */
export async function handlePurgeRequest(request: Request, options: PurgeHandlerOptions): Promise<Response> {
  if (request.method !== 'POST') return reply(405, { error: 'MIZAN_PURGE', message: 'Purges are POST requests.' }, { allow: 'POST' })
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return reply(415, { error: 'MIZAN_PURGE', message: `Purge bodies are application/json, got ${JSON.stringify(type)}.` })
  }
  try {
    const bytes = await readLimited(request, PURGE_LIMITS.maxBodyBytes)
    const path = new URL(request.url).pathname
    const body = await verifyPurgeRequest(options.keys, { method: request.method, path, headers: request.headers, body: bytes }, {
      replay: options.replay,
      now: (options.now ?? Date.now)(),
      ...(options.windowSec !== undefined && { windowSec: options.windowSec }),
    })
    const summary = await applyPurge(body, { backend: options.backend, secret: options.keys })
    return reply(200, { id: body.id, ...summary })
  } catch (error) {
    if (error instanceof SignatureError) return reply(401, { error: error.code, reason: error.reason, message: error.message })
    if (error instanceof PurgeBodyError) return reply(error.status, { error: error.code, path: error.path, message: error.message })
    const message = error instanceof MizanError ? error.message : 'The purge could not be applied.'
    return reply(503, { error: error instanceof MizanError ? error.code : 'MIZAN_PURGE', message }, { 'retry-after': RETRY_AFTER_SECONDS })
  }
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const body = await readBodyLimited(request, limit)
  if (body === null) throw tooLarge(limit)
  return body
}

function tooLarge(limit: number): PurgeBodyError {
  return new PurgeBodyError('$', `more than ${limit} bytes; split the purge into several requests`, { status: 413 })
}

function reply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })
}
