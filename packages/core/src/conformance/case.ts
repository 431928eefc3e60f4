/**
 * The harness a backend gives the conformance suite, and how a case gets its backend.
 * @module
 */

import type { CacheBackend } from '../backend.ts'
import { makeFixture } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

/**
 * What a backend supplies to run the conformance suite.
 *
 * @example
 * ```ts
 * const harness: ConformanceHarness = { makeBackend: async () => new MemoryCache() }
 * ```
 */
export interface ConformanceHarness {
  /** A fresh backend isolated from every other one the harness made (own prefix, own store). */
  makeBackend(): Promise<CacheBackend>
  /**
   * Optional: makes `backend` unreachable (every call fails or times out) until `heal()`.
   * When given, the fault cases run: reads fail open, purges fail closed.
   */
  breakBackend?(backend: CacheBackend): Promise<{ heal(): Promise<void> }>
}

/**
 * One conformance case: a name and a body that throws when the backend does not conform.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases(harness)) it(c.name, c.run)
 * ```
 */
export interface ConformanceCase {
  readonly name: string
  run(): Promise<void>
}

/** A case whose body gets a fresh backend (closed afterwards) and a unique fixture. */
export function backendCase(h: ConformanceHarness, name: string, body: (f: Fixture, h: ConformanceHarness) => Promise<void>): ConformanceCase {
  return {
    name,
    run: async () => {
      const backend = await h.makeBackend()
      try {
        await body(await makeFixture(backend, name.replace(/[^a-z0-9]+/gi, '-')), h)
      } finally {
        await backend.close()
      }
    },
  }
}
