/**
 * Tiny assertions for the conformance suite, which also runs where no test framework exists
 * (inside workerd). Each throws an `Error` saying what was expected and what came instead.
 * @module
 */

/** Throws unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`)
}

/** Throws unless `actual === expected` (`Object.is`). */
export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new Error(`Assertion failed: ${what}: expected ${show(expected)}, got ${show(actual)}`)
  }
}

/** Throws unless both have the same JSON form (for plain data). */
export function assertJsonEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  if (a !== e) throw new Error(`Assertion failed: ${what}: expected ${e}, got ${a}`)
}

/** Throws unless two byte arrays are equal. */
export function assertBytes(actual: Uint8Array | null, expected: Uint8Array, what: string): void {
  assert(actual !== null, `${what}: expected ${expected.length} bytes, got null`)
  const same = actual.length === expected.length && actual.every((byte, i) => byte === expected[i])
  assert(same, `${what}: bytes differ (got ${actual.length} bytes, expected ${expected.length})`)
}

/** Awaits `run` and returns what it threw; throws if it did not throw. */
export async function assertRejects(run: () => Promise<unknown>, what: string): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error(`Assertion failed: ${what}: expected a rejection, but it resolved`)
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value)
    } catch {
      return String(value)
    }
  }
  return String(value)
}
