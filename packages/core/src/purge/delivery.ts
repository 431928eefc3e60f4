/**
 * One delivery attempt of a signed purge to one edge, and what its answer means.
 * @module
 */
import { MizanError } from '../errors.ts'
import { parseRetryAfter } from './backoff.ts'
import { PURGE_PATH, PURGE_SIGNATURE_HEADER } from './signature.ts'

/** What one attempt achieved. */
export type DeliveryOutcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly message: string; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly message: string }

/** An edge's base URL, checked, and the purge endpoint under it. */
export interface Edge {
  /** The normalised base URL (no trailing slash): the edge's identity in the outbox. */
  readonly base: string
  readonly endpoint: string
  /** The exact path the signature covers. */
  readonly path: string
}

/** Parses a render Worker base URL (http/https, no query, fragment or credentials). */
export function parseEdge(base: string): Edge {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw badEdge(base, 'is not an absolute URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badEdge(base, 'must be http(s)')
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw badEdge(base, 'must not carry a query, fragment or credentials')
  }
  const prefix = url.pathname.replace(/\/+$/, '')
  const path = `${prefix}${PURGE_PATH}`
  return { base: `${url.origin}${prefix}`, endpoint: `${url.origin}${path}`, path }
}

function badEdge(base: string, problem: string): MizanError {
  return new MizanError('MIZAN_CONFIG', `createPurger: edge ${JSON.stringify(base)} ${problem}; give the render Worker's base URL, e.g. 'https://app.example.com'.`)
}

/**
 * POSTs the body once. 2xx echoing the purge id → `ack`; network errors, timeouts, 408, 429,
 * 5xx and a 401 `replayed` (an earlier attempt reached the edge; the next one is signed
 * afresh) → `retry`; any other answer → `permanent`, with the edge's message.
 */
export async function deliverOnce(
  fetcher: typeof fetch,
  edge: Edge,
  request: { id: string; body: Uint8Array; signature: string; timeoutMs: number; signal: AbortSignal },
): Promise<DeliveryOutcome> {
  let response: Response
  let text: string
  try {
    response = await fetcher(edge.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PURGE_SIGNATURE_HEADER]: request.signature },
      // Our bytes always sit on a plain ArrayBuffer (TextEncoder output); the DOM typings
      // only accept that spelling of Uint8Array.
      body: request.body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]),
      redirect: 'manual',
    })
    text = await response.text()
  } catch (error) {
    return { kind: 'retry', message: `network error: ${describe(error)}` }
  }
  const answer = parseAnswer(text)
  const status = response.status
  if (status >= 200 && status < 300) {
    if (answer?.id === request.id) return { kind: 'ack' }
    return { kind: 'permanent', message: `answered ${status} without acknowledging purge ${request.id}; is ${edge.endpoint} a Mizan render Worker?` }
  }
  const message = `answered ${status}: ${answer?.message ?? truncate(text)}`
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now())
    return retryAfterMs === undefined ? { kind: 'retry', message } : { kind: 'retry', message, retryAfterMs }
  }
  if (status === 401 && answer?.reason === 'replayed') return { kind: 'retry', message }
  return { kind: 'permanent', message }
}

interface Answer {
  readonly id?: unknown
  readonly reason?: unknown
  readonly message?: string
}

function parseAnswer(text: string): Answer | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return undefined
    const answer = value as Record<string, unknown>
    return { id: answer.id, reason: answer.reason, ...(typeof answer.message === 'string' && { message: truncate(answer.message) }) }
  } catch {
    return undefined
  }
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message
}
