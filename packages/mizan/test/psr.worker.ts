/**
 * The Worker the PSR test runs inside workerd: the PSR app of two builds (`x-test-build: b`
 * picks the second) over the default edge backend (Cache API + the `MizanPurgeState` Durable
 * Object), plus `GET /__observe` answering the app's counters and reported errors.
 * @module
 */
import { MizanPurgeState } from '../src/worker/edge/index.ts'
import { counts, psrHandler } from '../src/worker/psr-app.tsx'

export { MizanPurgeState }

const errors: string[] = []
const options = { cdn: null, onError: (error: unknown) => void errors.push(String(error)) }
const builds = { a: psrHandler('b0000000000000a1', options), b: psrHandler('b0000000000000b2', options) }

export default {
  fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> | Response {
    if (new URL(request.url).pathname === '/__observe') return Response.json({ counts: Object.fromEntries(counts), errors })
    return builds[request.headers.get('x-test-build') === 'b' ? 'b' : 'a'].fetch(request, env, ctx)
  },
}
