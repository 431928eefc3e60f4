import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as resolved from '#crypto'
import { base64urlEncode, hexDecode, hexEncode, utf8Encode } from '../bytes.ts'
import { encodeFields } from '../encoding.ts'
import * as nodeImpl from './node.ts'
import type { CryptoImpl } from './types.ts'
import * as webImpl from './web.ts'

const impls: ReadonlyArray<[string, CryptoImpl]> = [
  ['node', nodeImpl],
  ['web', webImpl],
]

const hex = (text: string): Uint8Array => hexDecode(text)!
const range = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i)
const repeat = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte)

// RFC 4231 §4.2–4.8 (case 5's truncated output is compared on its first 16 bytes).
const HMAC_VECTORS: ReadonlyArray<{ key: Uint8Array; data: Uint8Array; mac: string }> = [
  { key: repeat(0x0b, 20), data: utf8Encode('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { key: utf8Encode('Jefe'), data: utf8Encode('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { key: repeat(0xaa, 20), data: repeat(0xdd, 50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { key: range(0x01, 0x19), data: repeat(0xcd, 50), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { key: repeat(0x0c, 20), data: utf8Encode('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
  {
    key: repeat(0xaa, 131),
    data: utf8Encode('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    key: repeat(0xaa, 131),
    data: utf8Encode('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
]

// RFC 5869 appendix A.1–A.3 (SHA-256).
const HKDF_VECTORS: ReadonlyArray<{ ikm: Uint8Array; salt: Uint8Array; info: Uint8Array; length: number; okm: string }> = [
  {
    ikm: repeat(0x0b, 22),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    length: 82,
    okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    ikm: repeat(0x0b, 22),
    salt: new Uint8Array(),
    info: new Uint8Array(),
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
]

describe.each(impls)('%s crypto', (_name, impl) => {
  it('matches the RFC 4231 HMAC-SHA256 vectors', async () => {
    for (const v of HMAC_VECTORS) {
      const mac = await impl.hmacSha256(await impl.importHmacKey(v.key), v.data)
      expect(mac).toBeInstanceOf(Uint8Array)
      expect(mac.length).toBe(32)
      expect(hexEncode(mac).slice(0, v.mac.length)).toBe(v.mac)
    }
  })

  it('has a synchronous HMAC exactly where the platform does, with the same bytes', async () => {
    const v = HMAC_VECTORS[1]!
    const key = await impl.importHmacKey(v.key)
    if (impl === nodeImpl) expect(hexEncode(impl.hmacSha256Sync!(key, v.data))).toBe(v.mac)
    else expect(impl.hmacSha256Sync).toBeUndefined()
  })

  it('reuses an imported key and is unaffected by later changes to the raw bytes', async () => {
    const raw = repeat(0x0b, 20)
    const key = await impl.importHmacKey(raw)
    raw.fill(0)
    const data = utf8Encode('Hi There')
    expect(hexEncode(await impl.hmacSha256(key, data))).toBe(HMAC_VECTORS[0]!.mac)
    expect(hexEncode(await impl.hmacSha256(key, data))).toBe(HMAC_VECTORS[0]!.mac)
  })

  it('matches the RFC 5869 HKDF-SHA256 vectors', async () => {
    for (const v of HKDF_VECTORS) {
      expect(hexEncode(await impl.hkdfSha256(v.ikm, v.salt, v.info, v.length))).toBe(v.okm)
    }
  })

  it('refuses HKDF lengths outside RFC 5869', async () => {
    const ikm = repeat(1, 32)
    for (const length of [0, 255 * 32 + 1, 1.5, -1]) {
      await expect(async () => impl.hkdfSha256(ikm, ikm, ikm, length)).rejects.toThrow(RangeError)
    }
  })

  it('hashes with SHA-256 (FIPS 180-2 examples)', async () => {
    expect(hexEncode(await impl.sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hexEncode(await impl.sha256(utf8Encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('hashes a subarray view, not its whole buffer', async () => {
    const whole = utf8Encode('xxabcxx')
    expect(hexEncode(await impl.sha256(whole.subarray(2, 5)))).toBe(hexEncode(await impl.sha256(utf8Encode('abc'))))
  })

  it('returns random bytes of the asked size, including past the 64 KiB getRandomValues cap', () => {
    expect(impl.randomBytes(0).length).toBe(0)
    const big = impl.randomBytes(200_000)
    expect(big.length).toBe(200_000)
    expect(new Set(big.subarray(150_000, 151_000)).size).toBeGreaterThan(200)
    expect(hexEncode(impl.randomBytes(32))).not.toBe(hexEncode(impl.randomBytes(32)))
    expect(() => impl.randomBytes(-1)).toThrow(RangeError)
  })

  it('compares in constant time only when lengths match', () => {
    expect(impl.timingSafeEqual(hex('00ff'), hex('00ff'))).toBe(true)
    expect(impl.timingSafeEqual(hex('00ff'), hex('00fe'))).toBe(false)
    expect(impl.timingSafeEqual(hex('80'), hex('00'))).toBe(false)
    expect(impl.timingSafeEqual(hex('00ff'), hex('00ff00'))).toBe(false)
    expect(impl.timingSafeEqual(new Uint8Array(), new Uint8Array())).toBe(true)
  })
})

describe('node and web implementations', () => {
  it('node hmacFieldBase64urlSync equals base64url(HMAC(prefix ‖ encodeFields([tail]))) computed with WebCrypto', async () => {
    expect(webImpl.hmacFieldBase64urlSync).toBeUndefined()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3000 }), async (raw, head, tail) => {
        const prefix = encodeFields(head)
        const message = new Uint8Array([...prefix, ...encodeFields([tail])])
        const expected = base64urlEncode(await webImpl.hmacSha256(await webImpl.importHmacKey(raw), message))
        expect(nodeImpl.hmacFieldBase64urlSync(await nodeImpl.importHmacKey(raw), prefix, tail)).toBe(expected)
      }),
      { numRuns: 200 },
    )
  })

  it('node hmacFieldBase64urlSync (precomputed pads + two one-shot hashes) equals createHmac, keys of every length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 5000 }), async (raw, prefix, tail) => {
        const key = await nodeImpl.importHmacKey(raw)
        const tailBytes = utf8Encode(tail)
        const length = new Uint8Array([tailBytes.length >>> 24, (tailBytes.length >>> 16) & 0xff, (tailBytes.length >>> 8) & 0xff, tailBytes.length & 0xff])
        const expected = createHmac('sha256', raw).update(prefix).update(length).update(tailBytes).digest('base64url')
        expect(nodeImpl.hmacFieldBase64urlSync(key, prefix, tail)).toBe(expected)
        // The pads and scratch buffers are reused: a second call, after another key's, gives the same MAC.
        nodeImpl.hmacFieldBase64urlSync(await nodeImpl.importHmacKey(new Uint8Array(65).fill(7)), new Uint8Array(3), 'other')
        expect(nodeImpl.hmacFieldBase64urlSync(key, prefix, tail)).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('produce identical bytes for arbitrary keys and messages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 100 }), async (key, data, length) => {
        const [a, b] = await Promise.all(impls.map(async ([, impl]) => ({
          mac: hexEncode(await impl.hmacSha256(await impl.importHmacKey(key), data)),
          okm: hexEncode(await impl.hkdfSha256(key, data, key, length)),
          digest: hexEncode(await impl.sha256(data)),
        })))
        expect(a).toEqual(b)
      }),
      { numRuns: 200 },
    )
  })

  it('agree on timingSafeEqual', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        expect(nodeImpl.timingSafeEqual(a, b)).toBe(webImpl.timingSafeEqual(a, b))
        expect(webImpl.timingSafeEqual(a, a.slice())).toBe(true)
      }),
    )
  })

  it('#crypto resolves to the node:crypto implementation under Node', () => {
    expect(resolved.hmacSha256).toBe(nodeImpl.hmacSha256)
  })
})
