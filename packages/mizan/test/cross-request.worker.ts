/**
 * The Worker the cross-request test runs inside workerd: `GET /?key=<k>&ms=<n>` answers
 * `cacheFetch` of a value whose computation takes `n` ms, over the default edge backend (one
 * backend object for the isolate, as the render Worker has); with `&giveup=<m>` the request stops
 * waiting after `m` ms and answers 503 while its computation is still under way (as a render
 * that fails while one of its data calls is pending does). `GET /__computed` answers how often
 * each key was computed.
 * @module
 */
import { cacheFetch, createSecret } from '@mizan/core'
import type { CacheBackend, CacheSecret } from '@mizan/core'
import { EDGE_DEFAULTS } from '../src/worker/defaults.ts'
import { MizanPurgeState } from '../src/worker/edge/index.ts'
import type { WaitUntilContext } from '../src/worker/edge/index.ts'
import { inRequestScope } from '../src/worker/request-scope.ts'

export { MizanPurgeState }

/** Short, so that a follower of a vanished leader computes within the test's patience. */
const LEASE_MS = 1_500

const computed = new Map<string, number>()
let backend: CacheBackend | undefined
let secret: CacheSecret | undefined

async function serve(url: URL, env: { MIZAN_SECRET: string }, ctx: WaitUntilContext): Promise<Response> {
  if (url.pathname === '/__computed') return Response.json(Object.fromEntries(computed))
  backend ??= EDGE_DEFAULTS.backend(env)
  secret ??= await createSecret(env.MIZAN_SECRET)
  const key = url.searchParams.get('key') ?? 'k'
  const ms = Number(url.searchParams.get('ms') ?? 0)
  const fetching = cacheFetch({
    secret,
    backend,
    context: { fn: 'cross#slow', version: 'v1' },
    params: { key },
    policy: { ttl: 60, tags: [`key:${key}`] },
    leaseMs: LEASE_MS,
    waitUntil: (promise) => ctx.waitUntil(promise),
    compute: async () => {
      computed.set(key, (computed.get(key) ?? 0) + 1)
      await new Promise((resolve) => setTimeout(resolve, ms))
      return `value of ${key}`
    },
  })
  const giveUp = url.searchParams.get('giveup')
  if (giveUp !== null) {
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), Number(giveUp)))
    fetching.catch(() => undefined)
    if ((await Promise.race([fetching, timer])) === null) return Response.json({ gaveUp: true }, { status: 503 })
  }
  const result = await fetching
  return Response.json({ value: result.value, state: result.state })
}

export default {
  fetch(request: Request, env: { MIZAN_SECRET: string }, ctx: WaitUntilContext): Promise<Response> {
    return inRequestScope(env, ctx, () => serve(new URL(request.url), env, ctx))
  },
}
