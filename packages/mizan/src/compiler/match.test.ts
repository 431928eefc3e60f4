import { describe, expect, it } from 'vitest'
import { createMatcher, matchRoute, parsePattern } from './match.ts'

// Already in match order, as a scanned table would be.
const routes = [
  { id: 'index', pattern: '/' },
  { id: 'about', pattern: '/about' },
  { id: 'posts/new', pattern: '/posts/new' },
  { id: 'posts/[slug]', pattern: '/posts/:slug' },
  { id: 'users/[id]/posts/[slug]', pattern: '/users/:id/posts/:slug' },
  { id: 'docs/intro', pattern: '/docs/intro' },
  { id: 'docs/[...rest]', pattern: '/docs/*rest' },
  { id: 'über uns', pattern: '/über uns' },
]

describe('matchRoute', () => {
  it.each([
    ['/', 'index', {}],
    ['/about', 'about', {}],
    ['/about/', 'about', {}],
    ['/posts/new', 'posts/new', {}],
    ['/posts/hello', 'posts/[slug]', { slug: 'hello' }],
    ['/posts/hello%20world', 'posts/[slug]', { slug: 'hello world' }],
    ['/posts/a%2Fb', 'posts/[slug]', { slug: 'a/b' }],
    ['/users/7/posts/x', 'users/[id]/posts/[slug]', { id: '7', slug: 'x' }],
    ['/docs/intro', 'docs/intro', {}],
    ['/docs/intro/more', 'docs/[...rest]', { rest: ['intro', 'more'] }],
    ['/docs/a', 'docs/[...rest]', { rest: ['a'] }],
    ['/%C3%BCber%20uns', 'über uns', {}],
  ])('%s → %s', (pathname, id, params) => {
    const match = matchRoute(routes, pathname)
    expect(match?.route.id).toBe(id)
    expect(match?.params).toEqual(params)
  })

  it.each([
    ['/nope'],
    ['/posts'],
    ['/posts/a/b'],
    ['/docs'],
    ['/docs/a//b'],
    ['/posts//'],
    ['/users/7/posts'],
    ['/posts/%E0%A4%A'],
    ['posts/hello'],
    ['/About'],
  ])('%s matches nothing', (pathname) => {
    expect(matchRoute(routes, pathname)).toBeNull()
  })

  it('a static route wins over a param route matching the same path, whatever the list order', () => {
    const match = createMatcher([{ id: 'param', pattern: '/posts/:slug' }, { id: 'static', pattern: '/posts/new' }])
    expect(match('/posts/new')?.route.id).toBe('static')
  })

  it('accepts a route table object and caches its compiled matcher', () => {
    const table = { routes }
    expect(matchRoute(table, '/posts/x')?.route.id).toBe('posts/[slug]')
    expect(matchRoute(table, '/posts/y')?.params).toEqual({ slug: 'y' })
  })
})

describe('parsePattern', () => {
  it('parses static, param and catch-all segments', () => {
    expect(parsePattern('/')).toEqual([])
    expect(parsePattern('/docs/:v/*rest')).toEqual([
      { kind: 'static', value: 'docs' },
      { kind: 'param', value: 'v' },
      { kind: 'catchAll', value: 'rest' },
    ])
  })
})
