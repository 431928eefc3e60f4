/**
 * Building blocks of the conformance cases: a secret, a unique context and tags per case,
 * barriers, a versioned data source, and a second "process" sharing one backend.
 * @module
 */

import type { CacheBackend, EntryRef, PutRequest } from '../backend.ts'
import { hexEncode, utf8Encode } from '../bytes.ts'
import { canonicalParams } from '../canonical.ts'
import { createSecret } from '../secret.ts'
import type { CacheSecret } from '../secret.ts'
import type { CacheContext } from '../types.ts'

/** A promise with its resolver exposed: a barrier a test opens when it chooses. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>
  resolve(value: T): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export function randomId(bytes = 6): string {
  return hexEncode(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** The data behind a cached function: tests bump `version` and check which version a read returned. */
export class DataSource {
  version = 1
  calls = 0

  /** What a computation reads: the current version, counted. */
  read(): { v: number } {
    this.calls += 1
    return { v: this.version }
  }

  /** A compute function reading now. */
  readonly compute = async (): Promise<{ v: number }> => this.read()

  /** A compute function that reads, signals `started`, then waits for `gate` before returning. */
  gated(started: Deferred, gate: Deferred): () => Promise<{ v: number }> {
    return async () => {
      const data = this.read()
      started.resolve()
      await gate.promise
      return data
    }
  }
}

/** Everything one case needs, unique per case so cases never see each other's entries. */
export interface Fixture {
  readonly backend: CacheBackend
  readonly secret: CacheSecret
  readonly context: CacheContext
  /** A tag only this case uses, with the given suffix. */
  tag(name: string): string
  ref(params: unknown, context?: CacheContext): Promise<EntryRef>
  /** A raw backend put with a fresh ticket. */
  put(ref: EntryRef, bytes: Uint8Array, tags?: readonly string[], ttlMs?: number): Promise<boolean>
}

export async function makeFixture(backend: CacheBackend, name: string): Promise<Fixture> {
  const secret = await createSecret(hexEncode(crypto.getRandomValues(new Uint8Array(32))))
  const run = randomId()
  const context = { fn: `conformance/${name}#${run}`, version: 'v1' }
  const fixture: Fixture = {
    backend,
    secret,
    context,
    tag: (suffix) => `t-${run}:${suffix}`,
    ref: (params, ctx = context) => secret.entryRef(ctx, canonicalParams(params)),
    put: async (ref, bytes, tags = [], ttlMs = 60_000) => {
      const request: PutRequest = { ref, bytes, tags, ttlMs, ticket: await backend.ticket() }
      return backend.put(request)
    },
  }
  return fixture
}

/**
 * The same backend seen from another process: a distinct object, so in-process single flight
 * does not span the two and only the backend's leases coordinate them.
 */
export function otherProcess(backend: CacheBackend): CacheBackend {
  return {
    name: backend.name,
    markerTtlMs: backend.markerTtlMs,
    get: (ref) => backend.get(ref),
    ticket: () => backend.ticket(),
    put: (request) => backend.put(request),
    delete: (ref) => backend.delete(ref),
    purge: (target) => backend.purge(target),
    lease: (ref, ttlMs) => backend.lease(ref, ttlMs),
    close: async () => undefined,
  }
}

export function bytesOf(text: string): Uint8Array {
  return utf8Encode(text)
}

/** `promise`, or a rejection naming `what` once `ms` have passed (so a hang fails fast and clearly). */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Assertion failed: ${what} did not settle within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `backend` behind 0–`maxMs` ms of random latency per call (still one process): reads then
 * race writes the way they do over a network, even for an in-process backend.
 */
export function jittered(backend: CacheBackend, maxMs = 3): CacheBackend {
  const delay = <T>(call: () => Promise<T>): Promise<T> => sleep(Math.floor(Math.random() * (maxMs + 1))).then(call)
  return {
    name: backend.name,
    markerTtlMs: backend.markerTtlMs,
    get: (ref) => delay(() => backend.get(ref)),
    ticket: () => delay(() => backend.ticket()),
    put: (request) => delay(() => backend.put(request)),
    delete: (ref) => delay(() => backend.delete(ref)),
    purge: (target) => delay(() => backend.purge(target)),
    lease: (ref, ttlMs) => delay(() => backend.lease(ref, ttlMs)),
    close: async () => undefined,
  }
}
