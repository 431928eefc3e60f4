import { describe, expect, it } from 'vitest'
import { analyzeRouteModule } from './analyze.ts'
import { loadApp } from './app.ts'
import { formatProblem, MizanBuildError } from './errors.ts'
import { tempApp } from './test-support.ts'
import { transformRouteModule } from './transform.ts'

const FILE = 'src/routes/posts/[slug].tsx'
const analyze = (code: string, routeId: string | null = 'posts/[slug]') => analyzeRouteModule(code, { file: FILE, routeId })
const PAGE = 'export default function Page() { return null }\n'

/** Every problem of a module, formatted as the developer sees it. */
const problems = (code: string, routeId?: string | null) => analyze(code, routeId).errors.map((p) => ({ code: p.code, text: formatProblem(p) }))

describe('action(): analysis', () => {
  it('finds action() exports with ids, hooks, normalised tags and positions, apart from data functions', () => {
    const a = analyze(`import { action, client } from 'mizan'
export const post = client({ ttl: 60, tags: ['post:{slug}'] }, async ({ slug }: { slug: string }) => slug)
export const addComment = action({ tags: ['Post:{slug}', 'posts', 'posts'] }, async (input: { slug: string; body: string }, ctx) => input.body)
export const ping = action({}, async () => 'pong')
${PAGE}`)
    expect(a.errors).toEqual([])
    expect(a.functions.map((f) => f.id)).toEqual(['posts/[slug]#post'])
    expect(a.actions.map(({ version: _, ...x }) => x)).toEqual([
      { id: 'posts/[slug]#addComment', route: 'posts/[slug]', exportName: 'addComment', hook: 'useAddComment', tags: ['post:{slug}', 'posts'], line: 3, column: 26 },
      { id: 'posts/[slug]#ping', route: 'posts/[slug]', exportName: 'ping', hook: 'usePing', tags: [], line: 4, column: 20 },
    ])
    for (const x of a.actions) expect(x.version).toMatch(/^[0-9a-f]{12}$/)
  })

  it('follows a renamed and a namespace import', () => {
    expect(analyze(`import { action as mutate } from 'mizan'\nexport const a = mutate({}, async () => 1)\n${PAGE}`).actions.map((x) => x.id)).toEqual(['posts/[slug]#a'])
    expect(analyze(`import * as m from 'mizan'\nexport const b = m.action({ tags: ['x'] }, async () => 1)\n${PAGE}`).actions.map((x) => x.id)).toEqual(['posts/[slug]#b'])
  })

  it('MIZAN_UNKNOWN_TAG_PARAM: a placeholder that is not a field of the literal input type', () => {
    const [p, ...rest] = problems(`import { action } from 'mizan'\nexport const a = action({ tags: ['post:{id}'] }, async (input: { slug: string }) => 1)\n${PAGE}`)
    expect(rest).toEqual([])
    expect(p?.code).toBe('MIZAN_UNKNOWN_TAG_PARAM')
    expect(p?.text).toContain(`the tag "post:{id}" uses {id}, but the function's params type has no "id" (it has "slug").`)
  })

  it('MIZAN_ACTION_NOT_TOP_LEVEL, MIZAN_ACTION_ARGUMENTS and option errors, all at once, with frames', () => {
    const found = problems(`import { action } from 'mizan'
export default function Page() {
  const x = action({}, async () => 1)
  return null
}
export const twoArgs = action({ tags: ['a'] })
export const dynamic = action(OPTIONS, async () => 1)
export const ttl = action({ ttl: 60 }, async () => 1)
export const stored = action
`)
    expect(found.map((p) => p.code)).toEqual(['MIZAN_ACTION_NOT_TOP_LEVEL', 'MIZAN_ACTION_NOT_TOP_LEVEL', 'MIZAN_ACTION_ARGUMENTS', 'MIZAN_POLICY_NOT_STATIC', 'MIZAN_UNKNOWN_POLICY_KEY'])
    expect(found[0]?.text).toContain('action() must be the initializer of a top-level `export const`')
    expect(found[0]?.text).toContain('> 3 |   const x = action({}, async () => 1)') // the code frame points at the call
    expect(found[1]?.text).toContain('`action` must be called directly')
    expect(found[2]?.text).toContain('action() takes exactly two arguments, its options and a function, but got 1.')
    expect(found[3]?.text).toContain('the action options must be written inline as an object literal')
    expect(found[4]?.text).toContain('unknown action option "ttl".')
  })

  it('MIZAN_ACTION_OUTSIDE_ROUTE: action() in a module that is not a route', () => {
    const [p] = problems(`import { action } from 'mizan'\nexport const a = action({}, async () => 1)\n`, null)
    expect(p?.code).toBe('MIZAN_ACTION_OUTSIDE_ROUTE')
    expect(p?.text).toContain('action() is only allowed in route modules (files under src/routes), but src/routes/posts/[slug].tsx is not one.')
  })
})

describe('action(): browser transform', () => {
  it('replaces the action by a stub and removes what only its body used, keeping lines', () => {
    const code = `import { action, client } from 'mizan'
import { sign } from './sign.server.ts'
const KEY = 'sk_live_action_secret'
export const post = client({ ttl: 60 }, async () => 1)
export const add = action({ tags: ['posts'] },
  async (input: { body: string }, ctx) => {
    return sign(KEY, input.body)
  })
${PAGE}`
    const out = transformRouteModule(code, { file: FILE, routeId: 'posts/[slug]', target: 'browser' })
    expect(out).not.toBeNull()
    const text = out!.code
    expect(text).not.toContain('sk_live_action_secret')
    expect(text).not.toContain('sign.server')
    expect(text).toContain('export const add = /*#__PURE__*/ __mizanAction("posts/[slug]#add")')
    expect(text).toContain('import { clientStub as __mizanClient, actionStub as __mizanAction } from "mizan/react";')
    expect(text.split('\n')).toHaveLength(code.split('\n').length)
  })

  it('imports only the action stub when the module has no data function', () => {
    const out = transformRouteModule(`import { action } from 'mizan'\nexport const add = action({}, async () => 1)\n${PAGE}`, { file: FILE, routeId: 'posts/[slug]', target: 'browser' })
    expect(out?.code).toContain('import { actionStub as __mizanAction } from "mizan/react";')
    expect(out?.code).not.toContain('clientStub')
  })
})

describe('action(): in the app model', () => {
  it('collects actions by route, and a hook name shared with a data function is MIZAN_DUPLICATE_HOOK', async () => {
    const ok = tempApp({
      'src/routes/index.tsx': `import { action } from 'mizan'\nexport const subscribe = action({ tags: ['list'] }, async (input: { email: string }) => input.email)\n${PAGE}`,
    })
    try {
      const app = await loadApp(ok.root)
      expect(app.actions.map((a) => a.id)).toEqual(['index#subscribe'])
      expect(app.routes[0]?.actions.map((a) => a.hook)).toEqual(['useSubscribe'])
    } finally {
      ok.cleanup()
    }
    const clash = tempApp({
      'src/routes/a.tsx': `import { client } from 'mizan'\nexport const save = client({ ttl: 1 }, async () => 1)\n${PAGE}`,
      'src/routes/b.tsx': `import { action } from 'mizan'\nexport const save = action({}, async () => 1)\n${PAGE}`,
    })
    try {
      const error = await loadApp(clash.root).then(() => null, (e: unknown) => e)
      expect(error).toBeInstanceOf(MizanBuildError)
      expect((error as MizanBuildError).problems).toMatchObject([{ code: 'MIZAN_DUPLICATE_HOOK', file: 'src/routes/b.tsx', exportName: 'save' }])
    } finally {
      clash.cleanup()
    }
  })
})
