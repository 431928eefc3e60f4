/**
 * The public module specifiers generated code imports. The Vite plugin's `src/vite/ids.ts`
 * derives the resolved (`\0`-prefixed) virtual ids from these, so each name is spelled once.
 * @module
 */

/** Generated data hooks (`usePost`), for the browser and the Worker alike. */
export const HOOKS_MODULE = 'virtual:mizan/hooks'
/** The build manifest as a module: `export default { version: 1, … }`. */
export const MANIFEST_MODULE = 'virtual:mizan/manifest'
/** The render Worker's main module. */
export const WORKER_ENTRY_MODULE = 'virtual:mizan/worker-entry'
/** The browser entry script. */
export const CLIENT_ENTRY_MODULE = 'virtual:mizan/client-entry'
/** The React runtime (hooks, `clientStub`, `Link`). */
export const REACT_RUNTIME = 'mizan/react'
/** The browser hydration entry helper (kept apart so `mizan/react` stays small). */
export const REACT_CLIENT_RUNTIME = 'mizan/react/client'
/** The render Worker runtime. */
export const WORKER_RUNTIME = 'mizan/worker'
/** The package users import `client` and types from. */
export const MIZAN_PACKAGE = 'mizan'
