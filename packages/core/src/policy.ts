/**
 * `@mizan/core/policy` — what build tools need of the core without its cache runtime: duration
 * parsing, tag rules and the error types. `mizan/vite` and the compiler import only this, so
 * loading the plugin does not load (and, from source, type-strip) the whole cache protocol.
 * Everything here is also exported by `@mizan/core`, as the same objects.
 *
 * @example
 * ```ts
 * import { parseDuration, normalizeTags } from '@mizan/core/policy'
 * parseDuration('5m', 'ttl') // 300
 * normalizeTags(['Post:1', 'post:1']) // ['post:1']
 * ```
 * @module
 */
export { MizanError, PolicyError, TagError, invariant } from './errors.ts'
export type { MizanErrorCode } from './errors.ts'
export { normalizeTags, fillTagTemplate, TAG_LIMITS } from './tags.ts'
export { parseDuration } from './duration.ts'
