import { describe, expect, it } from 'vitest'
import { hkdfSha256, hmacSha256, importHmacKey, randomBytes } from '#crypto'
import { base64urlEncode, hexEncode, utf8Encode } from './bytes.ts'
import { contextId } from './context-id.ts'
import { encodeFields } from './encoding.ts'
import { MizanError, SecretError } from './errors.ts'
import { EXAMPLE_SECRETS } from './secret-parse.ts'
import { createKeyring, createSecret, deriveSecret } from './secret.ts'

const context = { fn: 'posts/[slug]#post', version: 'v1' }
const fresh = (): string => hexEncode(randomBytes(32))

async function secretError(master: unknown): Promise<SecretError> {
  try {
    await createSecret(master as string)
  } catch (error) {
    expect(error).toBeInstanceOf(SecretError)
    expect((error as SecretError).code).toBe('MIZAN_SECRET')
    return error as SecretError
  }
  throw new Error('accepted')
}

describe('createSecret', () => {
  it('accepts 32+ random bytes as hex, base64, base64url or bytes — the same key for each spelling', async () => {
    const bytes = randomBytes(32)
    const b64 = btoa(String.fromCharCode(...bytes))
    const ids = await Promise.all(
      [hexEncode(bytes), hexEncode(bytes).toUpperCase(), b64, b64.replace(/=+$/, ''), base64urlEncode(bytes), ` ${hexEncode(bytes)}\n`, bytes].map(
        async (m) => (await createSecret(m)).keyId,
      ),
    )
    expect(new Set(ids).size).toBe(1)
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/)
  })

  it('fails closed on missing, empty, malformed and short secrets, saying how to make one', async () => {
    for (const master of [undefined, null, '', '   ', 42]) {
      expect((await secretError(master)).message).toContain('openssl rand -hex 32')
    }
    expect((await secretError('not base64 at all!')).message).toMatch(/neither hex nor base64/)
    expect((await secretError(hexEncode(randomBytes(31)))).message).toMatch(/is 31 bytes; it needs at least 32/)
    expect((await secretError(hexEncode(randomBytes(31)))).message).toContain("crypto.randomBytes(32).toString('hex')")
  })

  it('refuses every documented example, in any case and encoding', async () => {
    for (const example of EXAMPLE_SECRETS) {
      expect((await secretError(example)).message).toMatch(/published example/)
      expect((await secretError(example.toUpperCase())).message).toMatch(/published example/)
    }
    expect(EXAMPLE_SECRETS).toContain('0'.repeat(64))
    expect(EXAMPLE_SECRETS).toContain('changeme')
    const docsExample = EXAMPLE_SECRETS.find((s) => s.startsWith('mizan-example-secret-do-not-use'))!
    expect(docsExample).toBeDefined()
    // The docs example is long and varied enough that only the list stops it.
    const vectorHex = EXAMPLE_SECRETS.find((s) => s.startsWith('0001'))!
    const asBase64 = btoa(String.fromCharCode(...vectorHex.match(/../g)!.map((h) => Number.parseInt(h, 16))))
    expect((await secretError(asBase64)).message).toMatch(/published example/)
  })

  it('refuses obviously non-random secrets', async () => {
    expect((await secretError('ab'.repeat(32))).message).toMatch(/does not look random/)
    expect((await secretError('01020304050607'.repeat(8))).message).toMatch(/fewer than 8 distinct/)
    expect((await secretError(new Uint8Array(40).fill(7))).message).toMatch(/does not look random/)
  })

  it('copies given bytes, so later changes do not alter its keys', async () => {
    const bytes = randomBytes(32)
    const secret = await createSecret(bytes)
    const before = await secret.entryRef(context, '{}')
    bytes.fill(1)
    expect(await secret.entryRef(context, '{}')).toEqual(before)
  })
})

describe('derived keys', () => {
  it('derive keyId, entry keys and purge MACs from separate HKDF labels', async () => {
    const master = randomBytes(32)
    const secret = await createSecret(master)
    const salt = utf8Encode('mizan/1')
    const okm = (label: string) => hkdfSha256(master, salt, utf8Encode(label), 32)
    const [kdk, purge, id] = await Promise.all([okm('cache-key-derivation'), okm('purge-signing'), okm('key-id')])
    expect(secret.keyId).toBe(hexEncode(id).slice(0, 16))

    const ref = await secret.entryRef(context, '{"slug":"hello"}')
    const mac = await hmacSha256(await importHmacKey(kdk), encodeFields(['mizan-key', '1', secret.keyId, context.fn, context.version, '{"slug":"hello"}']))
    expect(ref.key).toBe(base64urlEncode(mac))
    expect(ref.key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(ref.context).toBe(await contextId(context))

    const message = utf8Encode('purge me')
    expect(hexEncode(await secret.signPurge(message))).toBe(hexEncode(await hmacSha256(await importHmacKey(purge), message)))
    // Never the same key for both jobs.
    expect(hexEncode(await secret.signPurge(message))).not.toBe(hexEncode(await hmacSha256(await importHmacKey(kdk), message)))
  })

  it('separates contexts, params and secrets', async () => {
    const a = await createSecret(fresh())
    const b = await createSecret(fresh())
    const keys = new Set([
      (await a.entryRef({ fn: 'getPost', version: '1' }, '23')).key,
      (await a.entryRef({ fn: 'getPost2', version: '1' }, '3')).key,
      (await a.entryRef({ fn: 'getPost', version: '2' }, '23')).key,
      (await a.entryRef({ fn: 'getPost', version: '1' }, '24')).key,
      (await b.entryRef({ fn: 'getPost', version: '1' }, '23')).key,
    ])
    expect(keys.size).toBe(5)
    // The context id is the same under every secret: a context purge needs none.
    expect((await a.entryRef(context, '1')).context).toBe((await b.entryRef(context, '1')).context)
  })

  it('keeps key material out of JSON and inspection', async () => {
    const master = fresh()
    const secret = await createSecret(master)
    expect(JSON.stringify(secret)).toBe(JSON.stringify({ keyId: secret.keyId }))
    expect(Object.keys(secret)).toEqual(['keyId'])
  })

  it('rejects a malformed context with a typed error', async () => {
    const secret = await deriveSecret(randomBytes(32))
    await expect(secret.entryRef({ fn: '', version: '1' }, '{}')).rejects.toThrow(MizanError)
    await expect(secret.entryRef({ fn: 'f' } as never, '{}')).rejects.toThrow(/fn: string \(non-empty\), version: string/)
  })
})

describe('createKeyring', () => {
  it('puts the current secret first and drops duplicates', async () => {
    const master = fresh()
    const current = await createSecret(master)
    const old = await createSecret(fresh())
    const twin = await createSecret(master)
    const keyring = createKeyring(current, old, twin, current)
    expect(keyring.current).toBe(current)
    expect(keyring.all.map((s) => s.keyId)).toEqual([current.keyId, old.keyId])
    expect(() => createKeyring(undefined as never)).toThrow(MizanError)
  })
})
