/**
 * The browser's canonical JSON of data params: keys sorted by UTF-16 code units, no whitespace,
 * numbers as JSON writes them — the same text as the core's `canonicalParams` for every value
 * that function accepts, without its validation (about 1.5 KB of the browser runtime). The
 * Worker validates what it receives anyway: params the core would reject are answered 400.
 * Only `undefined`, the common slip (`{ page: search.page }`), is refused here, by name.
 * @module
 */

/**
 * Canonical JSON of `value` (a JSON value).
 *
 * @example
 * ```ts
 * canonicalJson({ b: [1, 'x'], a: null }) // '{"a":null,"b":[1,"x"]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('Data params cannot hold undefined: omit the property or use null.')
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join()}]`
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    .join()}}`
}
