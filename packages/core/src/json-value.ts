/**
 * Whether a value survives a JSON round trip unchanged, checked before it is cached so that a
 * cache hit never returns something different from what was computed.
 * @module
 */

/** Deeper values are refused rather than risk a stack overflow while encoding. */
const MAX_DEPTH = 512

/**
 * True for null, booleans, finite numbers, strings, dense arrays and plain objects (prototype
 * `Object.prototype` or `null`, no `undefined` values, no symbol keys) made of those, without cycles.
 * Dates, Maps, class instances, `undefined`, NaN, functions and BigInts make it false.
 *
 * @example
 * ```ts
 * isJsonValue({ title: 'Hello', tags: ['a'] }) // true
 * isJsonValue({ at: new Date() })             // false: JSON would turn it into a string
 * ```
 */
export function isJsonValue(value: unknown): boolean {
  return check(value, 0, new Set())
}

function check(value: unknown, depth: number, ancestors: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      break
    default:
      return false
  }
  if (value === null) return true
  if (depth >= MAX_DEPTH || ancestors.has(value)) return false
  ancestors.add(value)
  const ok = Array.isArray(value) ? checkArray(value, depth, ancestors) : checkObject(value, depth, ancestors)
  ancestors.delete(value)
  return ok
}

function checkArray(array: readonly unknown[], depth: number, ancestors: Set<object>): boolean {
  if (Object.getPrototypeOf(array) !== Array.prototype) return false
  for (let i = 0; i < array.length; i++) {
    if (!(i in array) || !check(array[i], depth + 1, ancestors)) return false
  }
  return true
}

function checkObject(object: object, depth: number, ancestors: Set<object>): boolean {
  const proto: unknown = Object.getPrototypeOf(object)
  if (proto !== Object.prototype && proto !== null) return false
  if (Object.getOwnPropertySymbols(object).length > 0) return false
  const record = object as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!check(record[key], depth + 1, ancestors)) return false
  }
  return true
}
