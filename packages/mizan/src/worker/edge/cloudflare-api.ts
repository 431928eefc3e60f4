/**
 * One call of Cloudflare's purge-by-tag API (`POST /client/v4/zones/<zone>/purge_cache` with
 * `{"tags": [...]}`), and what its answer means for a retry.
 * @module
 */
import { PurgeError } from '@mizan/core'

/**
 * One problem reported by the Cloudflare API (`errors[]` of its answer).
 *
 * @example
 * ```ts
 * const problem: CloudflareApiProblem = { code: 10000, message: 'Authentication error' }
 * ```
 */
export interface CloudflareApiProblem {
  readonly code: number
  readonly message: string
}

/**
 * Cloudflare's purge API refused or failed a purge. `permanent` says retrying cannot help
 * (a 4xx other than 429: bad token, wrong zone, invalid tags); `errors` are the API's own.
 *
 * @example
 * ```ts
 * try { await cdn.purgeTags(['post:1']) } catch (e) { if (e instanceof CloudflarePurgeError && e.permanent) alertOps(e.message) }
 * ```
 */
export class CloudflarePurgeError extends PurgeError {
  readonly status: number
  readonly permanent: boolean
  readonly errors: readonly CloudflareApiProblem[]
  constructor(message: string, details: { status: number; permanent: boolean; errors: readonly CloudflareApiProblem[]; cause?: unknown }) {
    super(message, { cause: details.cause })
    this.status = details.status
    this.permanent = details.permanent
    this.errors = details.errors
  }
}

/** What one attempt came to: done, retry (after at least `afterMs` when the API said so), or give up. */
export type AttemptResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly afterMs: number | undefined; readonly error: CloudflarePurgeError }
  | { readonly kind: 'fail'; readonly error: CloudflarePurgeError }

/** Where and how to call the API. */
export interface ApiTarget {
  readonly url: string
  readonly token: string
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>
}

/** Sends one batch of tags. Network errors, 429 and 5xx are retryable; other 4xx are not. */
export async function purgeTagsOnce(target: ApiTarget, tags: readonly string[], now: number): Promise<AttemptResult> {
  let response: Response
  try {
    response = await target.fetch(target.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags }),
    })
  } catch (cause) {
    const error = new CloudflarePurgeError(`Cloudflare purge API unreachable: ${cause instanceof Error ? cause.message : String(cause)}.`, { status: 0, permanent: false, errors: [], cause })
    return { kind: 'retry', afterMs: undefined, error }
  }
  const errors = await problemsOf(response)
  if (response.ok && errors.ok) return { kind: 'done' }
  const detail = errors.list.length > 0 ? errors.list.map((e) => `${e.message} (code ${e.code})`).join('; ') : `HTTP ${response.status}`
  if (response.status === 429 || response.status >= 500) {
    const error = new CloudflarePurgeError(`Cloudflare purge API answered ${response.status}: ${detail}.`, { status: response.status, permanent: false, errors: errors.list })
    return { kind: 'retry', afterMs: retryAfterMs(response.headers.get('retry-after'), now), error }
  }
  const hint = response.status === 401 || response.status === 403 ? ' Check CF_API_TOKEN (it needs the Zone → Cache Purge permission) and CF_ZONE_ID.' : ''
  return { kind: 'fail', error: new CloudflarePurgeError(`Cloudflare refused the purge of ${tags.length} tag(s) with ${response.status}: ${detail}.${hint}`, { status: response.status, permanent: true, errors: errors.list }) }
}

async function problemsOf(response: Response): Promise<{ ok: boolean; list: CloudflareApiProblem[] }> {
  try {
    const body = (await response.json()) as { success?: unknown; errors?: unknown }
    const list = Array.isArray(body.errors)
      ? body.errors.map((e: { code?: unknown; message?: unknown }) => ({ code: typeof e?.code === 'number' ? e.code : 0, message: typeof e?.message === 'string' ? e.message : String(e) }))
      : []
    return { ok: body.success === true, list }
  } catch {
    return { ok: false, list: [] }
  }
}

/** `Retry-After` as ms from `now` (delta seconds or an HTTP date), or `undefined`. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
