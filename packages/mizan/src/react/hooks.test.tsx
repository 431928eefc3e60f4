// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { Component, Suspense, type ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ClientFn } from '../types.ts'
import { DataError } from './errors.ts'
import { createDataHook, refetch, useRefetch } from './hooks.ts'
import { DataProvider } from './root.tsx'
import { createClientStore } from './store.ts'
import { clientStub } from './stub.ts'
import { raw, setPageURL, startDataServer, type DataServer } from './test-data-server.ts'

type Post = { slug: string; title: string; version: number }
const usePost = createDataHook<ClientFn<{ slug: string }, Post>>('posts/[slug]#post')
const useSum = createDataHook<ClientFn<{ a: number; b: number }, number>>('math#sum')
const useBroken = createDataHook<ClientFn<{ kind: string }, never>>('broken#fn')

let server: DataServer

beforeAll(async () => {
  server = await startDataServer({
    'posts/[slug]#post': ({ slug }: { slug: string }, calls) => ({ slug, title: `Post ${slug}`, version: calls }),
    'math#sum': ({ a, b }: { a: number; b: number }) => a + b,
    'broken#fn': ({ kind }: { kind: string }) =>
      kind === 'missing' ? raw(404, JSON.stringify({ error: { code: 'not-found', message: 'no such thing' } })) : raw(502, '<html>bad gateway</html>'),
  })
  // Same origin as the page, so the store's default relative endpoint is what is exercised.
  setPageURL(server.origin + '/')
})
afterAll(() => server.close())
afterEach(() => {
  cleanup()
  server.requests.length = 0
})

function Title({ slug }: { slug: string }) {
  const post = usePost({ slug })
  return <p>{`${post.title} v${post.version}`}</p>
}

/** Renders inside an awaited act, so React's suspense retries run outside act's queue. */
async function show(ui: ReactNode) {
  let result: ReturnType<typeof render> | undefined
  await act(async () => {
    result = render(ui)
  })
  return result!
}

class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: undefined as unknown }
  static getDerivedStateFromError(error: unknown) {
    return { error }
  }
  override render() {
    const { error } = this.state
    if (error === undefined) return this.props.children
    return error instanceof DataError ? <p>{`DataError ${error.status} ${error.code} ${error.fn}`}</p> : <p>other error</p>
  }
}

describe('data hooks against a real data endpoint', () => {
  it('suspend, then render the fetched result', async () => {
    await show(
      <DataProvider store={createClientStore()}>
        <Suspense fallback={<p>loading</p>}>
          <Title slug="hello" />
        </Suspense>
      </DataProvider>,
    )
    expect(screen.getByText('loading')).toBeTruthy()
    expect(await screen.findByText('Post hello v1')).toBeTruthy()
    expect(server.requests).toEqual([`/_mizan/data/${encodeURIComponent('posts/[slug]#post')}?p=${encodeURIComponent('{"slug":"hello"}')}`])
  })

  it('make one request for every hook asking for the same params (in any key order)', async () => {
    function Sum(props: { a: number; b: number; flip?: boolean }) {
      const sum = useSum(props.flip ? { b: props.b, a: props.a } : { a: props.a, b: props.b })
      return <li>{`sum ${sum}`}</li>
    }
    await show(
      <DataProvider store={createClientStore()}>
        <Suspense fallback={<p>loading</p>}>
          <ul>
            <Sum a={1} b={2} />
            <Sum a={1} b={2} flip />
            <Sum a={2} b={2} />
          </ul>
        </Suspense>
      </DataProvider>,
    )
    expect(await screen.findAllByText('sum 3')).toHaveLength(2)
    expect(screen.getByText('sum 4')).toBeTruthy()
    expect(server.requests.toSorted()).toEqual([
      `/_mizan/data/math%23sum?p=${encodeURIComponent('{"a":1,"b":2}')}`,
      `/_mizan/data/math%23sum?p=${encodeURIComponent('{"a":2,"b":2}')}`,
    ])
  })

  it('keep results: a remount reads the stored result without a request', async () => {
    const store = createClientStore()
    const tree = (
      <DataProvider store={store}>
        <Suspense fallback={<p>loading</p>}>
          <Title slug="kept" />
        </Suspense>
      </DataProvider>
    )
    const first = await show(tree)
    await screen.findByText('Post kept v1')
    first.unmount()
    await show(tree)
    expect(screen.getByText('Post kept v1')).toBeTruthy()
    expect(server.requests).toHaveLength(1)
  })

  it('throw a typed DataError to the nearest error boundary', async () => {
    function Broken({ kind }: { kind: string }) {
      useBroken({ kind })
      return <p>unreachable</p>
    }
    await show(
      <DataProvider store={createClientStore()}>
        <Boundary>
          <Suspense fallback={<p>loading</p>}>
            <Broken kind="missing" />
          </Suspense>
        </Boundary>
        <Boundary>
          <Suspense fallback={<p>loading</p>}>
            <Broken kind="gateway" />
          </Suspense>
        </Boundary>
      </DataProvider>,
    )
    expect(await screen.findByText('DataError 404 not-found broken#fn')).toBeTruthy()
    // A non-JSON error body (a proxy's page) still becomes a DataError, with code `http`.
    expect(await screen.findByText('DataError 502 http broken#fn')).toBeTruthy()
  })

  it('refetch: useRefetch and refetch() reload while the current result stays on screen', async () => {
    let again: ReturnType<typeof useRefetch> | undefined
    function Reloadable({ slug }: { slug: string }) {
      again = useRefetch()
      return <Title slug={slug} />
    }
    createClientStore() // an older store: refetch() must act on the latest one
    const store = createClientStore()
    await show(
      <DataProvider store={store}>
        <Suspense fallback={<p>loading</p>}>
          <Reloadable slug="fresh" />
        </Suspense>
      </DataProvider>,
    )
    await screen.findByText('Post fresh v1')
    let done: Promise<void> | undefined
    act(() => {
      done = again!(usePost, { slug: 'fresh' })
    })
    // While the new result loads, the old one stays (no fallback).
    expect(screen.getByText('Post fresh v1')).toBeTruthy()
    expect(screen.queryByText('loading')).toBeNull()
    await act(() => done)
    expect(screen.getByText('Post fresh v2')).toBeTruthy()

    await act(() => refetch(clientStub('posts/[slug]#post') as unknown as ClientFn<{ slug: string }, Post>, { slug: 'fresh' }))
    expect(screen.getByText('Post fresh v3')).toBeTruthy()
    await act(() => refetch('posts/[slug]#post', { slug: 'fresh' }))
    expect(screen.getByText('Post fresh v4')).toBeTruthy()
    expect(server.requests).toHaveLength(4)
  })

  it('concurrent refetches of one result share one request', async () => {
    const store = createClientStore()
    await show(
      <DataProvider store={store}>
        <Suspense fallback={<p>loading</p>}>
          <Title slug="twice" />
        </Suspense>
      </DataProvider>,
    )
    await screen.findByText('Post twice v1')
    await act(() => Promise.all([refetch(usePost, { slug: 'twice' }), refetch(usePost, { slug: 'twice' })]))
    expect(screen.getByText('Post twice v2')).toBeTruthy()
    expect(server.requests).toHaveLength(2)
  })

  it('refuse undefined in params in the render, before any request (the Worker validates the rest)', async () => {
    function Bad() {
      usePost({ slug: undefined as unknown as string })
      return null
    }
    await show(
      <DataProvider store={createClientStore()}>
        <Boundary>
          <Bad />
        </Boundary>
      </DataProvider>,
    )
    expect(screen.getByText('other error')).toBeTruthy()
    expect(server.requests).toHaveLength(0)
  })

  it('explain a hook used outside a provider', () => {
    function Lonely() {
      usePost({ slug: 'x' })
      return null
    }
    expect(() => render(<Lonely />)).toThrow(/outside a <DataProvider>/)
  })

  it('refetch() names what it accepts when given something else', () => {
    expect(() => refetch({} as never, {} as never)).toThrow(/pass a data hook/)
  })
})
