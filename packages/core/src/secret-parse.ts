/**
 * Parsing and validating the master secret. Startup fails closed: a cache keyed by a
 * guessable secret lets anyone forge purges, so a weak secret is an error, never a warning.
 *
 * @module
 */
import { base64Decode, hexDecode, hexEncode } from './bytes.ts'
import { SecretError } from './errors.ts'

/**
 * Fewest bytes a master secret may have (256 bits).
 *
 * @example
 * ```ts
 * crypto.getRandomValues(new Uint8Array(MIN_SECRET_BYTES))
 * ```
 */
export const MIN_SECRET_BYTES = 32
/** Fewer distinct byte values than this in ≥ 32 bytes means a pattern, not randomness. */
const MIN_DISTINCT_BYTES = 8

/**
 * Secrets that appear in Mizan's docs and tests (including the docs/cache.md test
 * vectors) or are classic placeholders. `createSecret` refuses every one of them, in any
 * letter case and whether given as hex or base64.
 *
 * @example
 * ```ts
 * EXAMPLE_SECRETS.includes(process.env.MIZAN_SECRET ?? '') // true → refuse to start
 * ```
 */
export const EXAMPLE_SECRETS: readonly string[] = Object.freeze([
  // docs/cache.md, "Configuring the secret"
  'mizan-example-secret-do-not-use-0123456789abcdef0123456789abcdef',
  // docs/cache.md test vectors (src/vectors.json)
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  '6d8e1ab53f0c47d29e6b7a1f04c3d85e2b9f16a7c0e35d48f1a2b7c69d0e4f53',
  '9f3c2d7e1b8a46f0c5d2e9b47a1f03c6d8e2b5a7f9c1d3e6b8a0f2c4d6e8b1a3',
  // classic placeholders
  '0'.repeat(64),
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'your-secret',
  'your-secret-here',
  'replace-me',
  'mizan-secret',
])

const HOW_TO_GENERATE =
  "Generate one with `openssl rand -hex 32` or `node -e \"console.log(crypto.randomBytes(32).toString('hex'))\"` and set it as MIZAN_SECRET (e.g. `wrangler secret put MIZAN_SECRET`)."

const exampleStrings = new Set(EXAMPLE_SECRETS.map((s) => s.toLowerCase()))
let exampleBytes: Set<string> | undefined

function isExampleBytes(bytes: Uint8Array): boolean {
  exampleBytes ??= new Set(EXAMPLE_SECRETS.flatMap((s) => {
    const decoded = decodeText(s)
    return decoded === null ? [] : [hexEncode(decoded)]
  }))
  return exampleBytes.has(hexEncode(bytes))
}

/** Hex when it looks like hex (even length), else base64/base64url; `null` when neither. */
function decodeText(text: string): Uint8Array | null {
  return /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? hexDecode(text) : base64Decode(text)
}

/**
 * The bytes of a master secret, validated (see `createSecret`). A copy: later changes to a
 * given `Uint8Array` do not reach the derived keys.
 *
 * @example
 * ```ts
 * parseSecret('9a1f…64 hex chars…') // Uint8Array(32)
 * ```
 */
export function parseSecret(master: string | Uint8Array | undefined): Uint8Array {
  let bytes: Uint8Array
  if (typeof master === 'string') {
    const text = master.trim()
    if (text === '') throw new SecretError(`The Mizan secret is empty. ${HOW_TO_GENERATE}`)
    if (exampleStrings.has(text.toLowerCase())) throw exampleError()
    const decoded = decodeText(text)
    if (decoded === null) {
      throw new SecretError(`The Mizan secret is neither hex nor base64/base64url (${text.length} characters). ${HOW_TO_GENERATE}`)
    }
    bytes = decoded
  } else if (master instanceof Uint8Array) {
    bytes = master.slice()
  } else if (master === undefined || master === null) {
    throw new SecretError(`The Mizan secret is missing. ${HOW_TO_GENERATE}`)
  } else {
    throw new SecretError(`The Mizan secret must be a string (hex or base64) or a Uint8Array, got ${typeof master}. ${HOW_TO_GENERATE}`)
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new SecretError(`The Mizan secret is ${bytes.length} bytes; it needs at least ${MIN_SECRET_BYTES} random bytes. ${HOW_TO_GENERATE}`)
  }
  if (isExampleBytes(bytes)) throw exampleError()
  if (new Set(bytes).size < MIN_DISTINCT_BYTES) {
    throw new SecretError(`The Mizan secret does not look random (fewer than ${MIN_DISTINCT_BYTES} distinct byte values). ${HOW_TO_GENERATE}`)
  }
  return bytes
}

function exampleError(): SecretError {
  return new SecretError(`The Mizan secret is a published example value (from the docs or a placeholder); anyone can read it. ${HOW_TO_GENERATE}`)
}
