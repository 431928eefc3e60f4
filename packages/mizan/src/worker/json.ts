/**
 * Whether a value is already what a JSON round trip would give back, so a render can use it
 * as is instead of paying for `JSON.parse(JSON.stringify(value))`.
 * @module
 */

/** Deeper values take the round trip rather than the recursion. */
const MAX_DEPTH = 64

/**
 * True for null, booleans, finite numbers, strings, dense plain arrays and plain objects made
 * of those. Dates, class instances, `undefined`, functions (a `toJSON` method too), NaN and
 * ±Infinity make it false.
 *
 * @example
 * ```ts
 * survivesJson({ title: 'A', tags: ['x'] }) // true
 * survivesJson({ at: new Date() })          // false: the browser would get a string
 * ```
 */
export function survivesJson(value: unknown, depth = 0): boolean {
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
  if (depth >= MAX_DEPTH) return false
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !survivesJson(value[i], depth + 1)) return false
    }
    return true
  }
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  const record = value as Record<string, unknown>
  for (const key in record) {
    if (!survivesJson(record[key], depth + 1)) return false
  }
  return true
}
