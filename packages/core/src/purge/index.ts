/**
 * Signed purges: the wire format, signer, verifier, receiving handler and the origin purger.
 * `FileOutbox` lives in `@mizan/core/purger-node` (it needs `node:fs`).
 * @module
 */
export { PURGE_LIMITS, PurgeBodyError, parsePurgeBody, encodePurgeBody } from './wire.ts'
export type { PurgeBody, PurgeEntry } from './wire.ts'
export { PURGE_PATH, PURGE_SIGNATURE_HEADER } from './signature.ts'
export type { PurgeKeys } from './signature.ts'
export { signPurgeRequest } from './sign.ts'
export type { PurgeRequestToSign } from './sign.ts'
export { verifyPurgeRequest } from './verify.ts'
export type { PurgeRequestToVerify, VerifyPurgeOptions } from './verify.ts'
export { MemoryReplayStore } from './replay.ts'
export type { ReplayStore, MemoryReplayStoreOptions } from './replay.ts'
export { applyPurge } from './apply.ts'
export type { PurgeSummary, ApplyPurgeOptions } from './apply.ts'
export { handlePurgeRequest } from './handler.ts'
export type { PurgeHandlerOptions } from './handler.ts'
export { MemoryOutbox } from './outbox.ts'
export type { OutboxItem, PurgeOutbox } from './outbox.ts'
export { UnknownFunctionError } from './manifest.ts'
export type { PurgeManifest } from './manifest.ts'
export type { RetryOptions } from './backoff.ts'
export { createPurger } from './purger.ts'
export type { Purger, PurgerOptions, PurgeResult } from './purger.ts'
export type { PurgeInput } from './input.ts'
