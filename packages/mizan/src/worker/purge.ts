/**
 * `POST /_mizan/purge`: the core's signed purge handler on this Worker's cache and replay
 * store; once a purge is applied, its tags also go to Cloudflare's purge-by-tag API (when the
 * Worker has `CF_API_TOKEN` and `CF_ZONE_ID`), in `ctx.waitUntil` so the answer does not wait.
 * @module
 */
import { handlePurgeRequest, parsePurgeBody } from '@mizan/core'
import type { CacheRuntime } from './runtime.ts'
import { SecretProblem } from './runtime.ts'

/**
 * Something that purges tags from a CDN (the edge module's Cloudflare purger).
 *
 * @example
 * ```ts
 * const cdn: TagPurger = createCloudflarePurger({ token: env.CF_API_TOKEN, zone: env.CF_ZONE_ID })
 * ```
 */
export interface TagPurger {
  purgeTags(tags: readonly string[]): Promise<unknown>
}

/**
 * Answers a purge request: 200 with `{ id, tags, contexts, entries, deleted }`, 401 for any
 * signature problem, 503 + `Retry-After` when the cache, the replay store or the secret is
 * missing or failing (a purge never reports success it did not achieve).
 *
 * @example
 * ```ts
 * if (url.pathname === PURGE_PATH) return handlePurge(request, env, ctx, runtime, cdn)
 * ```
 */
export async function handlePurge(request: Request, env: unknown, ctx: unknown, runtime: CacheRuntime, cdn: TagPurger | null): Promise<Response> {
  const secret = await runtime.secret(request, env)
  if (secret instanceof SecretProblem) return unavailable(secret.summary, `${secret.detail} Set MIZAN_SECRET (wrangler secret put MIZAN_SECRET) to the secret your origin signs purges with.`)
  const cache = await runtime.cacheFor(request, env, ctx)
  const replay = runtime.replay(request, env)
  if (cache === null || replay === null) return unavailable('MIZAN_CACHE unavailable', 'This Worker has no cache backend or replay store; see the Worker logs.')
  const copy = cdn !== null && request.method === 'POST' ? request.clone() : null
  const response = await handlePurgeRequest(request, { keys: secret, replay, backend: cache.backend })
  if (copy !== null && cdn !== null && response.status === 200) {
    const tags = parsePurgeBody(new Uint8Array(await copy.arrayBuffer())).tags ?? []
    if (tags.length > 0) cache.waitUntil(cdn.purgeTags(tags).catch((error: unknown) => runtime.report(error, request)))
  }
  return response
}

function unavailable(error: string, message: string): Response {
  return new Response(JSON.stringify({ error, message }), {
    status: 503,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '1' },
  })
}
