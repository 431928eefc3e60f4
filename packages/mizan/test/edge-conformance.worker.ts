/**
 * The Worker the edge conformance test runs inside workerd: `GET /?case=<i>&run=<id>` runs
 * conformance case `i` against `createEdgeBackend` (each backend on its own purge state
 * object) and answers `{ name, ok, error? }`; `GET /?edge=<name>` runs an edge-only case.
 * @module
 */
import type { CacheBackend } from '@mizan/core'
import { conformanceCases } from '@mizan/core/conformance'
import type { ConformanceHarness } from '@mizan/core/conformance'
import { createEdgeBackend, MizanPurgeState } from '../src/worker/edge/index.ts'
import type { EdgeEnv, PurgeStateNamespace, WaitUntilContext } from '../src/worker/edge/index.ts'
import { edgeCases } from './edge-cases.ts'

export { MizanPurgeState }

const RPC_METHODS = ['state', 'admit', 'forget', 'purge', 'lease', 'release', 'seen'] as const

/**
 * The binding with a switch: while `fault.broken`, every call on a stub rejects as an
 * unreachable Durable Object would (the real object keeps running behind it).
 */
function faultable(namespace: PurgeStateNamespace, fault: { broken: boolean }): PurgeStateNamespace {
  return {
    idFromName: (name) => namespace.idFromName(name),
    get: (id) => {
      const stub = namespace.get(id) as Record<string, (...args: unknown[]) => Promise<unknown>>
      const wrapped: Record<string, unknown> = {}
      for (const method of RPC_METHODS) {
        wrapped[method] = (...args: unknown[]) => (fault.broken ? Promise.reject(new Error('Durable Object unreachable (injected fault)')) : stub[method]!(...args))
      }
      return wrapped
    },
  }
}

function harness(env: EdgeEnv & { MIZAN_PURGE: PurgeStateNamespace }, ctx: WaitUntilContext, run: string): ConformanceHarness {
  const faults = new Map<CacheBackend, { broken: boolean }>()
  let made = 0
  return {
    makeBackend: async () => {
      const fault = { broken: false }
      const backend = createEdgeBackend({ MIZAN_PURGE: faultable(env.MIZAN_PURGE, fault) }, ctx, { stateName: `${run}-${made++}` })
      faults.set(backend, fault)
      return backend
    },
    breakBackend: async (backend) => {
      const fault = faults.get(backend)!
      fault.broken = true
      return { heal: async () => void (fault.broken = false) }
    },
  }
}

// A backend made in one request and used in later ones, the way a Worker keeps one per isolate.
let kept: CacheBackend | undefined

async function acrossRequests(step: string, env: EdgeEnv, ctx: WaitUntilContext, run: string): Promise<Response> {
  const ref = { context: `across-${run}`, key: 'k' }
  if (step === 'make') {
    kept = createEdgeBackend(env, ctx, { stateName: `${run}-across` })
    await kept.put({ ref, bytes: new Uint8Array([7]), tags: [`t-${run}`], ttlMs: 60_000, ticket: await kept.ticket() })
    return Response.json({ ok: true })
  }
  const backend = kept!
  const held = await backend.get(ref)
  const lease = await backend.lease(ref, 1_000)
  await lease?.release()
  const report = await backend.purge({ tags: [`t-${run}`] })
  const after = await backend.get(ref)
  return Response.json({ ok: held?.[0] === 7 && lease !== null && report.deleted === 1 && after === null, held: held === null ? null : [...held], lease: lease !== null, deleted: report.deleted, after })
}

export default {
  async fetch(request: Request, env: EdgeEnv & { MIZAN_PURGE: PurgeStateNamespace }, ctx: WaitUntilContext): Promise<Response> {
    const url = new URL(request.url)
    const step = url.searchParams.get('across')
    if (step !== null) return acrossRequests(step, env, ctx, url.searchParams.get('run') ?? 'x')
    const run = url.searchParams.get('run') ?? crypto.randomUUID()
    const edge = url.searchParams.get('edge')
    const chosen = edge !== null
      ? edgeCases(env, ctx, run).find((c) => c.name === edge)
      : conformanceCases(harness(env, ctx, `${run}-${url.searchParams.get('case')}`))[Number(url.searchParams.get('case'))]
    if (chosen === undefined) return Response.json({ ok: false, error: `no such case: ${url.search}` }, { status: 404 })
    try {
      await chosen.run()
      return Response.json({ name: chosen.name, ok: true })
    } catch (error) {
      return Response.json({ name: chosen.name, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    }
  },
}
