// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { Suspense, type ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ClientFn, PagePropsIn } from '../types.ts'
import { ClientRouter, createResolver, lazyNotFound, type ClientRoute } from './client-router.tsx'
import { createDataHook } from './hooks.ts'
import { Link } from './link.tsx'
import type { RouteModule } from './page.ts'
import { useRouter } from './router.ts'
import { createClientStore } from './store.ts'
import { raw, setPageURL, startDataServer, type DataServer } from './test-data-server.ts'

type PageProps<Path extends string> = PagePropsIn<Record<Path, { search: never }>, Path>
const usePost = createDataHook<ClientFn<{ slug: string }, { title: string }>>('posts/[slug]#post')

function Document({ children }: { children?: ReactNode }) {
  return <main>{children}</main>
}

function Home() {
  return (
    <>
      <h1>Home</h1>
      <Link href="/posts/a">to a</Link>
      <Link href="/posts/missing">to missing</Link>
      <Link href="/nowhere">to nowhere</Link>
      <Link href="/docs/x/y?tab=2&utm=z">to docs</Link>
      <Link href="/posts/b" target="_blank">new tab</Link>
      <Link href="https://example.com/elsewhere">elsewhere</Link>
    </>
  )
}

function PostPage({ params }: PageProps<'/posts/[slug]'>) {
  const post = usePost({ slug: params.slug })
  const { pathname } = useRouter()
  return (
    <>
      <h1>{post.title}</h1>
      <p>{`at ${pathname}`}</p>
      <Link href="/">home</Link>
    </>
  )
}

function DocsPage({ params, search }: { params: { rest: string[] }; search: Record<string, string> }) {
  return <h1>{`docs ${params.rest.join('+')} ${JSON.stringify(search)}`}</h1>
}

function Status() {
  return <aside>{useRouter().isNavigating ? 'navigating' : 'idle'}</aside>
}

const loads: string[] = []
const module = (id: string, mod: RouteModule) => async () => {
  loads.push(id)
  return mod
}
const routes: ClientRoute[] = [
  { id: 'index', pattern: '/', load: module('index', { default: () => <><Status /><Home /></> }) },
  { id: 'docs/[...rest]', pattern: '/docs/*rest', load: module('docs', { default: DocsPage, search: ['tab'] }) },
  { id: 'posts/[slug]', pattern: '/posts/:slug', load: module('posts', { default: (p: PageProps<'/posts/[slug]'>) => <><Status /><PostPage {...p} /></> }) },
]
const notFound = module('_404', { default: () => <h1>Not found here</h1> })

let server: DataServer
let outcomes: { type: string; prevented: boolean }[]
const recordDefault = (event: Event) => {
  // Runs after React's root listener; stops happy-dom from following the link for real.
  outcomes.push({ type: event.type, prevented: event.defaultPrevented })
  event.preventDefault()
}

beforeAll(async () => {
  server = await startDataServer(
    { 'posts/[slug]#post': ({ slug }: { slug: string }) => (slug === 'missing' ? raw(404, JSON.stringify({ error: { code: 'not-found', message: 'gone' } })) : { title: `Post ${slug}` }) },
    { delayMs: 80 },
  )
  addEventListener('click', recordDefault)
})
afterAll(async () => {
  removeEventListener('click', recordDefault)
  await server.close()
})
beforeEach(async () => {
  setPageURL(server.origin + '/')
  outcomes = []
  loads.length = 0
})
afterEach(cleanup)

async function mountApp() {
  const { resolve, prefetch } = createResolver(routes, notFound)
  const initial = await resolve(new URL(location.href), 'initial', false)
  await act(async () => {
    render(
      <Suspense fallback={<p>root loading</p>}>
        <ClientRouter store={createClientStore()} document={Document} initial={initial!} resolve={resolve} prefetch={prefetch} notFound={lazyNotFound(notFound)} />
      </Suspense>,
    )
  })
  expect(screen.getByRole('heading').textContent).toBe('Home')
}

describe('Link and the client router', () => {
  it('navigates on a plain click with pushState, keeping the old page until the new one is ready', async () => {
    await mountApp()
    const before = history.length
    await act(async () => {
      fireEvent.click(screen.getByText('to a'))
    })
    expect(outcomes).toEqual([{ type: 'click', prevented: true }])
    // The data is still loading: the old page stays, marked as navigating, and the URL waits.
    expect(screen.getByRole('heading').textContent).toBe('Home')
    expect(screen.getByText('navigating')).toBeTruthy()
    expect(location.pathname).toBe('/')
    expect(await screen.findByText('Post a')).toBeTruthy()
    expect(screen.getByText('at /posts/a')).toBeTruthy()
    expect(screen.getByText('idle')).toBeTruthy()
    expect(location.pathname).toBe('/posts/a')
    expect(history.length).toBe(before + 1)
  })

  it('leaves modifier clicks, other buttons, target=_blank and other origins to the browser', async () => {
    await mountApp()
    const link = screen.getByText('to a')
    for (const init of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }]) {
      fireEvent.click(link, init)
    }
    fireEvent.click(screen.getByText('new tab'))
    fireEvent.click(screen.getByText('elsewhere'))
    expect(outcomes).toHaveLength(7)
    expect(outcomes.every((o) => !o.prevented)).toBe(true)
    expect(location.pathname).toBe('/')
    expect(screen.getByRole('heading').textContent).toBe('Home')
  })

  it('goes back on popstate and scrolls to the top on push only', async () => {
    const scrollTo = vi.spyOn(window, 'scrollTo')
    await mountApp()
    await act(async () => {
      fireEvent.click(screen.getByText('to a'))
    })
    await screen.findByText('Post a')
    expect(scrollTo).toHaveBeenCalledTimes(1)
    expect(scrollTo).toHaveBeenLastCalledWith(0, 0)
    // What the browser does on Back: the URL changes, then popstate fires.
    await act(async () => {
      setPageURL(server.origin + '/')
      dispatchEvent(new PopStateEvent('popstate'))
    })
    await vi.waitFor(() => expect(screen.getByRole('heading').textContent).toBe('Home'))
    expect(location.pathname).toBe('/')
    expect(scrollTo).toHaveBeenCalledTimes(1)
    scrollTo.mockRestore()
  })

  it('passes params and only the declared search params to the page', async () => {
    await mountApp()
    await act(async () => {
      fireEvent.click(screen.getByText('to docs'))
    })
    expect(await screen.findByText('docs x+y {"tab":"2"}')).toBeTruthy()
    expect(location.pathname + location.search).toBe('/docs/x/y?tab=2&utm=z')
  })

  it('prefetches the route module on hover and focus', async () => {
    await mountApp()
    loads.length = 0
    fireEvent.mouseEnter(screen.getByText('to a'))
    fireEvent.focus(screen.getByText('to docs'))
    await vi.waitFor(() => expect(loads.toSorted()).toEqual(['docs', 'posts']))
  })

  it('shows the 404 page for an unknown path and for a data function that called notFound()', async () => {
    await mountApp()
    await act(async () => {
      fireEvent.click(screen.getByText('to nowhere'))
    })
    expect(await screen.findByText('Not found here')).toBeTruthy()
    expect(location.pathname).toBe('/nowhere')

    cleanup()
    setPageURL(server.origin + '/')
    await mountApp()
    await act(async () => {
      fireEvent.click(screen.getByText('to missing'))
    })
    expect(await screen.findByText('Not found here')).toBeTruthy()
    expect(location.pathname).toBe('/posts/missing')
  })
})
