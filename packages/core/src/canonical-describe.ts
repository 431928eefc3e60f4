/**
 * Error wording for values canonical JSON refuses: what the value is and what to pass
 * instead. Only runs on the error path.
 * @module
 */

/** Names a non-plain object for an error message, suggesting the JSON to pass instead. */
export function describe(v: object): string {
  const name = constructorName(v)
  if (Array.isArray(v)) return name === undefined ? 'an array with a custom prototype (pass a plain array)' : `an instance of ${name}, an Array subclass (pass a plain array)`
  let tag = ''
  try {
    tag = Object.prototype.toString.call(v).slice(8, -1)
  } catch {
    // A revoked Proxy or a throwing Symbol.toStringTag getter: fall through to the generic text.
  }
  if (tag === 'Date') return 'a Date (pass date.toISOString() or a timestamp)'
  if (tag === 'Map' || tag === 'Set') return `a ${tag} (pass a plain object or an array)`
  if (tag === 'RegExp') return 'a RegExp (pass its source string)'
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `a ${tag} (pass an array of numbers or a base64 string)`
  if (tag === 'String' || tag === 'Number' || tag === 'Boolean' || tag === 'BigInt' || tag === 'Symbol') {
    return `a boxed ${tag} (new ${tag}(…)); pass the primitive value`
  }
  return name === undefined ? 'an object with a custom prototype (pass a plain object)' : `an instance of class ${name} (pass a plain object)`
}

/** The class of `v`, read from its prototype's own `constructor` (never an inherited one). */
function constructorName(v: object): string | undefined {
  try {
    const proto: unknown = Object.getPrototypeOf(v)
    const ctor: unknown = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor')?.value
    return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : undefined
  } catch {
    return undefined
  }
}

