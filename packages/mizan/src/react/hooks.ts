/**
 * Data and action hooks: `createDataHook(id)` and `createActionHook(id)` (what
 * `virtual:mizan/hooks` is made of), `refetch` and `useRefetch`.
 * @module
 */
import { use, useCallback, useContext, useState, useSyncExternalStore } from 'react'
import type { ActionFn, ActionHook, ActionState, ClientFn, DataHook, ParamsOf } from '../types.ts'
import { canonicalJson } from './canonical.ts'
import { StoreContext } from './context.ts'
import { activeStore, postAction, type DataStore } from './store.ts'

/**
 * The hook of data function `id`: canonicalises the params, reads the shared result from
 * the store and suspends until it is there. Errors (a `DataError` in the browser) go to the
 * nearest error boundary.
 *
 * @example
 * ```ts
 * export const usePost = createDataHook<typeof post>('posts/[slug]#post')
 * function Title({ slug }: { slug: string }) { return usePost({ slug }).title }
 * ```
 */
export function createDataHook<F extends ClientFn<any, any>>(id: string): DataHook<F> {
  const hook = (params: ParamsOf<F>) => {
    const store = useStore()
    const canonical = canonicalJson(params)
    const read = () => store.get(id, canonical, params)
    return use<unknown>(useSyncExternalStore<Promise<unknown>>(store.subscribe, read, read))
  }
  return Object.assign(hook, { id }) as DataHook<F>
}

/**
 * The hook of action `id`: `run(input)` posts the input to the action endpoint; once the
 * Worker has run the action and purged its tags, every result in the store is loaded again
 * (mounted hooks re-render with fresh data), then `run` resolves with the action's value. It
 * rejects with a `DataError` (`fn` is the action id), which `error` also holds until the next
 * run; `pending` is true while a run is in flight.
 *
 * @example
 * ```tsx
 * export const useAddComment = createActionHook<typeof addComment>('posts/[slug]#addComment')
 * const addComment = useAddComment()
 * <button disabled={addComment.pending} onClick={() => addComment.run({ slug, body })}>Post</button>
 * ```
 */
export function createActionHook<F extends ActionFn<any, any>>(id: string): ActionHook<F> {
  const hook = (): ActionState<F> => {
    const store = useStore()
    const [state, setState] = useState<[running: number, error: Error | null]>([0, null])
    const run = useCallback(async (input: object) => {
      setState(([n]) => [n + 1, null])
      let error: Error | null = null
      try {
        const value = await postAction(id, input)
        await store.refetchAll()
        return value
      } catch (e) {
        throw (error = e as Error)
      } finally {
        setState(([n, last]) => [n - 1, error ?? last])
      }
    }, [store])
    return { run: run as ActionState<F>['run'], pending: state[0] > 0, error: state[1] }
  }
  return Object.assign(hook, { id }) as ActionHook<F>
}

/**
 * What `refetch` accepts: a hook, a data function (or its browser stub), or an id.
 *
 * @example
 * ```ts
 * const targets: RefetchTarget<typeof post>[] = [usePost, post, 'posts/[slug]#post']
 * ```
 */
export type RefetchTarget<F extends ClientFn<any, any>> = DataHook<F> | F | string

/**
 * Loads a result again (in the browser app's store); components keep showing the current
 * result until the new one arrives. Resolves once it is shown; a failure goes to the
 * error boundary, not to the returned promise.
 *
 * @example
 * ```tsx
 * <button onClick={() => refetch(usePost, { slug })}>Reload</button>
 * ```
 */
export function refetch<F extends ClientFn<any, any>>(target: RefetchTarget<F>, params: ParamsOf<F>): Promise<void> {
  const store = activeStore()
  if (store === undefined) throw new Error('refetch(): no Mizan data store exists yet; call it in the browser after hydrate(), or use useRefetch() inside a component.')
  return refetchIn(store, target, params)
}

/**
 * `refetch` bound to the store of the calling component's tree.
 *
 * @example
 * ```tsx
 * const again = useRefetch()
 * return <button onClick={() => again(usePost, { slug })}>Reload</button>
 * ```
 */
export function useRefetch(): <F extends ClientFn<any, any>>(target: RefetchTarget<F>, params: ParamsOf<F>) => Promise<void> {
  const store = useStore()
  return useCallback((target, params) => refetchIn(store, target, params), [store])
}

function refetchIn(store: DataStore, target: RefetchTarget<ClientFn<any, any>>, params: object): Promise<void> {
  const id = typeof target === 'string' ? target : target.id
  if (typeof id !== 'string') throw new TypeError('refetch(): pass a data hook (usePost), a data function (post) or its id.')
  return store.refetch(id, canonicalJson(params), params)
}

function useStore(): DataStore {
  const store = useContext(StoreContext)
  if (store === null) throw new Error('A Mizan data hook ran outside a <DataProvider>: render it inside a Mizan page (or wrap it in <DataProvider> in tests).')
  return store
}
