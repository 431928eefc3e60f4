import { describe, expect, it } from 'vitest'
import { escapeHtml, escapeScriptJson, injectHtml, stylesheetLinks, utf8 } from './html.ts'
import { survivesJson } from './json.ts'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('escapeScriptJson', () => {
  it('escapes every character that could end the script or a JS line, keeping the JSON value', () => {
    const value = { a: '</script><!--<script>', b: 'x & y > z', c: '\u2028\u2029', d: 'é 😀' }
    const escaped = escapeScriptJson(JSON.stringify(value))
    expect(escaped).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(escaped)).toEqual(value)
  })

  it('returns clean JSON unchanged', () => {
    const json = JSON.stringify({ a: [1, 2, 'plain text'] })
    expect(escapeScriptJson(json)).toBe(json)
  })
})

describe('injectHtml', () => {
  const page = '<!DOCTYPE html><html><head><title>é</title></head><body><p>ü</p></body></html>'

  it('puts the head part before </head> and the body part before the last </body>', () => {
    const out = text(injectHtml(utf8(page), utf8('<link rel="stylesheet" href="/a.css">'), '<script>"😀 ß"</script>'))
    expect(out).toBe('<!DOCTYPE html><html><head><title>é</title><link rel="stylesheet" href="/a.css"></head><body><p>ü</p><script>"😀 ß"</script></body></html>')
  })

  it('uses the last </body> and copes with documents missing the tags', () => {
    expect(text(injectHtml(utf8('<body><script>"</body>"</script></body>'), utf8(''), 'X'))).toBe('<body><script>"</body>"</script>X</body>')
    expect(text(injectHtml(utf8('<div>fragment</div>'), utf8('<link>'), '<script></script>'))).toBe('<link><div>fragment</div><script></script>')
    expect(text(injectHtml(utf8(''), utf8(''), 'only'))).toBe('only')
  })
})

describe('escapeHtml and stylesheetLinks', () => {
  it('escape attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;')
    expect(stylesheetLinks(['/a.css', '/b".css'])).toBe('<link rel="stylesheet" href="/a.css"><link rel="stylesheet" href="/b&quot;.css">')
  })
})

describe('survivesJson', () => {
  it('accepts values a JSON round trip returns unchanged', () => {
    for (const value of [null, true, 0, -1.5, 'x', [], {}, [1, 'a', { b: [null] }], Object.assign(Object.create(null), { a: 1 })]) {
      expect(survivesJson(value)).toBe(true)
    }
  })

  it('rejects values JSON would change or drop', () => {
    class Post {
      title = 'x'
    }
    const sparse = [1, , 3]
    for (const value of [undefined, NaN, Infinity, 1n, () => 1, new Date(), new Map(), new Post(), { a: undefined }, { toJSON: () => 1 }, sparse, [new Date()]]) {
      expect(survivesJson(value), String(value)).toBe(false)
    }
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(survivesJson(deep)).toBe(false)
  })
})
