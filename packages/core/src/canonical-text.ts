/**
 * Text helpers of canonical JSON: key order, string quoting, UTF-8 size, error paths.
 * @module
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * Sorts in place by UTF-16 code units (what `<` on strings compares, like the default
 * `sort()`); insertion sort for the few keys params usually have — `sort()` costs far more
 * on tiny arrays.
 */
export function sortKeys(keys: string[]): string[] {
  if (keys.length > 12) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!
    let j = i - 1
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!
    keys[j + 1] = key
  }
  return keys
}

/**
 * `JSON.stringify` of a well-formed string, skipping the call when nothing needs escaping
 * (then the quoted text is identical): the common case on the hot path.
 */
export function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x20 || unit === 0x22 || unit === 0x5c) return JSON.stringify(text)
  }
  return `"${text}"`
}

/**
 * How a key appears in a `ParamsError` path: `.name` for identifier-like keys, else
 * `["…"]` (JSON-escaped, so odd keys stay printable).
 *
 * @example
 * ```ts
 * pathSegment('slug') // '.slug'
 * pathSegment('a b')  // '["a b"]'
 * ```
 */
export function pathSegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}

/** UTF-8 byte length of a well-formed string. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

