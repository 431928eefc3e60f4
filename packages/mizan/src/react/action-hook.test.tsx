// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { Suspense, useState } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ActionFn, ClientFn } from '../types.ts'
import { DataError } from './errors.ts'
import { createActionHook, createDataHook } from './hooks.ts'
import { DataProvider } from './root.tsx'
import { createClientStore } from './store.ts'
import { raw, setPageURL, startDataServer, type DataServer } from './test-data-server.ts'

type Post = { slug: string; title: string; version: number }
const usePost = createDataHook<ClientFn<{ slug: string }, Post>>('posts/[slug]#post')
const useRename = createActionHook<ActionFn<{ slug: string; title: string }, { ok: boolean }>>('posts/[slug]#rename')

let server: DataServer
const titles = new Map<string, string>()

beforeAll(async () => {
  server = await startDataServer({
    'posts/[slug]#post': ({ slug }: { slug: string }, calls) => ({ slug, title: titles.get(slug) ?? `Post ${slug}`, version: calls }),
    'posts/[slug]#rename': ({ slug, title }: { slug: string; title: string }) => {
      if (title === 'fail') return raw(500, JSON.stringify({ error: { code: 'internal', message: 'the action failed' } }))
      titles.set(slug, title)
      return { ok: true }
    },
  }, { delayMs: 30 })
  setPageURL(server.origin + '/')
})
afterAll(() => server.close())
afterEach(() => {
  cleanup()
  server.requests.length = 0
  titles.clear()
})

function Title({ slug }: { slug: string }) {
  const post = usePost({ slug })
  return <p>{`${post.title} v${post.version}`}</p>
}

const outcomes: unknown[] = []

function Renamer({ slug, title }: { slug: string; title: string }) {
  const rename = useRename()
  const [result, setResult] = useState('')
  return (
    <div>
      <button onClick={() => rename.run({ slug, title }).then((r) => setResult(`ok=${r.ok}`), (e: unknown) => void outcomes.push(e))}>rename</button>
      <p>{rename.pending ? 'pending' : 'idle'}</p>
      <p>{rename.error ? `error: ${rename.error.message}` : 'no error'}</p>
      <p>{result}</p>
    </div>
  )
}

async function show(slug: string, title: string) {
  await act(async () => {
    render(
      <DataProvider store={createClientStore()}>
        <Suspense fallback={<p>loading</p>}>
          <Title slug={slug} />
          <Title slug="other" />
        </Suspense>
        <Renamer slug={slug} title={title} />
      </DataProvider>,
    )
  })
  await screen.findByText(`Post ${slug} v1`)
}
// (Each slug is used by one test only: the server counts requests per URL across tests.)

describe('action hooks against a real endpoint', () => {
  it('run: POSTs JSON, is pending, refetches every stored result, then resolves with the value', async () => {
    await show('hello', 'Renamed')
    fireEvent.click(screen.getByText('rename'))
    expect(await screen.findByText('pending')).toBeTruthy()
    expect(await screen.findByText('ok=true')).toBeTruthy()
    // Refetched before run resolved: the new title is on screen with the value.
    expect(screen.getByText('Renamed v2')).toBeTruthy()
    expect(screen.getByText('Post other v2')).toBeTruthy()
    expect(screen.getByText('idle')).toBeTruthy()
    expect(server.requests.filter((r) => r.startsWith('POST'))).toEqual([`POST /_mizan/action/${encodeURIComponent('posts/[slug]#rename')}`])
    expect(server.requests.filter((r) => r.startsWith('/_mizan/data/'))).toHaveLength(4)
  })

  it('a failure: error is a DataError shown by the component, run rejects, nothing is refetched', async () => {
    outcomes.length = 0
    await show('failing', 'fail')
    fireEvent.click(screen.getByText('rename'))
    expect(await screen.findByText('error: posts/[slug]#rename: the action failed (500 internal)')).toBeTruthy()
    expect(screen.getByText('idle')).toBeTruthy()
    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]).toBeInstanceOf(DataError)
    expect(outcomes[0]).toMatchObject({ status: 500, code: 'internal', fn: 'posts/[slug]#rename' })
    expect(screen.getByText('Post failing v1')).toBeTruthy()
    expect(server.requests.filter((r) => r.startsWith('/_mizan/data/'))).toHaveLength(2)
  })

  it('the hook carries its id', () => {
    expect(useRename.id).toBe('posts/[slug]#rename')
  })
})
