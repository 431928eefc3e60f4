/**
 * A fault-injecting wrapper, for backends that cannot be made unreachable for real (an
 * in-process store): while broken, every call throws as a dead connection would.
 * @module
 */

import type { CacheBackend } from '../backend.ts'

/**
 * A backend that can be switched to failing.
 *
 * @example
 * ```ts
 * const faulty = withFaults(new MemoryCache())
 * faulty.broken = true // every call now rejects
 * ```
 */
export interface FaultyBackend extends CacheBackend {
  /** While true, every call rejects with `Error('backend unreachable (injected fault)')`. */
  broken: boolean
}

/**
 * Wraps `backend` so a harness can implement `breakBackend` without a network to cut.
 *
 * @example
 * ```ts
 * const harness: ConformanceHarness = {
 *   makeBackend: async () => withFaults(new MemoryCache()),
 *   breakBackend: async (b) => { (b as FaultyBackend).broken = true; return { heal: async () => { (b as FaultyBackend).broken = false } } },
 * }
 * ```
 */
export function withFaults(backend: CacheBackend): FaultyBackend {
  const faulty: FaultyBackend = {
    broken: false,
    name: backend.name,
    markerTtlMs: backend.markerTtlMs,
    get: (ref) => guard(faulty, () => backend.get(ref)),
    ticket: () => guard(faulty, () => backend.ticket()),
    put: (request) => guard(faulty, () => backend.put(request)),
    delete: (ref) => guard(faulty, () => backend.delete(ref)),
    purge: (target) => guard(faulty, () => backend.purge(target)),
    lease: (ref, ttlMs) => guard(faulty, () => backend.lease(ref, ttlMs)),
    close: () => backend.close(),
  }
  return faulty
}

async function guard<T>(faulty: FaultyBackend, call: () => Promise<T>): Promise<T> {
  if (faulty.broken) throw new Error('backend unreachable (injected fault)')
  return call()
}
