/**
 * The conformance suite every `CacheBackend` runs: the same cases for MemoryCache, RedisCache
 * (standalone and cluster) and the edge backend inside workerd. It imports no test framework:
 * each case is a name and an async function that throws when the backend does not conform.
 *
 * @example
 * ```ts
 * import { conformanceCases } from '@mizan/core/conformance'
 * for (const c of conformanceCases({ makeBackend: async () => new MemoryCache() })) it(c.name, c.run)
 * ```
 * @module
 */

import { abiCases } from './abi-cases.ts'
import type { ConformanceCase, ConformanceHarness } from './case.ts'
import { faultCases } from './fault-cases.ts'
import { fetchCases } from './fetch-cases.ts'
import { raceCases } from './race-cases.ts'
import { storageCases } from './storage-cases.ts'

export type { ConformanceCase, ConformanceHarness } from './case.ts'
export { withFaults } from './faults.ts'
export type { FaultyBackend } from './faults.ts'

/**
 * Every conformance case for the backends `h` makes. Fault cases are included only when the
 * harness has `breakBackend`. Case names are stable, so a runner may group or report by them.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases({ makeBackend: async () => new RedisCache({ url, prefix: `t${Date.now()}` }) })) {
 *   it(c.name, c.run)
 * }
 * ```
 */
export function conformanceCases(h: ConformanceHarness): ReadonlyArray<ConformanceCase> {
  return [...storageCases(h), ...abiCases(h), ...raceCases(h), ...fetchCases(h), ...faultCases(h)]
}
