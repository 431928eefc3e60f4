/**
 * `mizan/react`: the runtime shared by the browser and the Worker's server render — data
 * and action hooks, the data store, `<Link>` and `useRouter()`. Hydration lives in `mizan/react/client`.
 *
 * @example
 * ```tsx
 * import { Link, useRouter } from 'mizan/react'
 * import { usePost } from 'virtual:mizan/hooks'
 * function Post({ slug }: { slug: string }) {
 *   const post = usePost({ slug })
 *   return <Link href="/">{post.title}</Link>
 * }
 * ```
 * @module
 */
export { createActionHook, createDataHook, refetch, useRefetch } from './hooks.ts'
export type { RefetchTarget } from './hooks.ts'
export { createClientStore } from './store.ts'
export type { DataStore } from './store.ts'
export { DataProvider } from './root.tsx'
export { DataError } from './errors.ts'
export { actionStub, clientStub } from './stub.ts'
export { Link } from './link.tsx'
export type { LinkProps } from './link.tsx'
export { useRouter } from './router.ts'
export type { NavigateOptions, Router } from './context.ts'
export type { ActionHook, ActionState, DataHook } from '../types.ts'
