import { describe, expect, it } from 'vitest'
import { formatImportChain, serverOnlyImportError, serverOnlyReason } from './import-chain.ts'

describe('serverOnlyReason', () => {
  it.each([
    ['/app/src/db.server.ts', 'a .server module'],
    ['/app/src/db.server.tsx?v=123', 'a .server module'],
    ['\0/app/src/x.server.js', 'a .server module'],
    ['node:fs', 'a Node.js built-in'],
    ['__vite-browser-external:fs', 'a Node.js built-in'],
    ['cloudflare:workers', 'a Cloudflare Workers runtime module'],
    ['/app/src/server.ts', null],
    ['/app/src/observer.ts', null],
    ['events', null],
    ['react', null],
  ])('%s → %s', (id, reason) => {
    expect(serverOnlyReason(id)).toBe(reason)
  })
})

describe('serverOnlyImportError', () => {
  it('names the module, why, the chain from the browser entry and the fix', () => {
    const chain = ['\0virtual:mizan/client-entry', '/app/src/routes/index.tsx', '/app/src/lib/data.ts?import', '/app/src/lib/db.server.ts']
    expect(formatImportChain(chain, '/app')).toBe('  virtual:mizan/client-entry\n  → imports src/routes/index.tsx\n  → imports src/lib/data.ts\n  → imports src/lib/db.server.ts')
    const error = serverOnlyImportError(chain, '/app')
    expect(error.code).toBe('MIZAN_SERVER_ONLY_IMPORT')
    expect(error.problems[0]?.file).toBe('src/lib/data.ts')
    expect(error.message).toBe([
      '[MIZAN_SERVER_ONLY_IMPORT] src/lib/data.ts: "src/lib/db.server.ts" is a .server module and must not reach the browser, but browser code imports it:',
      '  virtual:mizan/client-entry',
      '  → imports src/routes/index.tsx',
      '  → imports src/lib/data.ts',
      '  → imports src/lib/db.server.ts',
      'Fix: Use it only inside client() functions (Mizan removes their bodies, and the imports only they use, from the browser build) or from other .server modules. ' +
        'If a component needs its data, load the data in a client() function and read it with the generated hook.',
    ].join('\n'))
  })
})
