/**
 * Batched tickets: callers that ask for a ticket before one request is sent share it. A ticket
 * must be read after its caller arrived (so it reflects every purge that returned before), and
 * a request sent after all of them asked is; a herd of misses then costs one ticket round trip.
 * @module
 */

import type { CacheBackend, Ticket } from './backend.ts'

const pending = new WeakMap<CacheBackend, Promise<Ticket>>()

/**
 * A ticket read from `backend` after this call began, shared with the callers of the same
 * microtask turn.
 */
export function batchedTicket(backend: CacheBackend): Promise<Ticket> {
  const waiting = pending.get(backend)
  if (waiting !== undefined) return waiting
  const ticket = new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => {
    // Sent now: from here on a new caller needs a new request.
    pending.delete(backend)
    return backend.ticket()
  })
  pending.set(backend, ticket)
  return ticket
}
