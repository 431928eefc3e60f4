/**
 * Serving a page from its shell (docs/psr.md): the prelude bytes at once, then React's
 * `resume` of the holes with this request's data, then the holes' data records for hydration —
 * one streamed response that no shared cache may keep.
 * @module
 */
import { resume } from 'react-dom/server.edge'
import type { PostponedState } from 'react-dom/static'
import { HOLES_ID } from '../react/page.ts'
import { RequestContext } from './context.ts'
import { escapeScriptJson } from './html.ts'
import { CACHE_STATE_HEADER } from './http.ts'
import type { PreparedShell } from './psr.ts'
import { pageTree, type PageRequest } from './render.tsx'
import { ServerData } from './server-data.ts'

const encoder = new TextEncoder()
const TAIL = '</body></html>'
const TAIL_BYTES = encoder.encode(TAIL)
const HTML_TYPE = 'text/html; charset=utf-8'

/** `x-mizan-cache` of a page served from its shell: what the cache did with the shell. */
export type ShellState = `SHELL-${'HIT' | 'STALE' | 'MISS' | 'BYPASS'}+RESUME`

/**
 * The response of a page served from `shell`: the prelude at once, then the holes rendered
 * with this request's data, then a script with the holes' data records for hydration.
 * Never storable by a shared cache (`private, no-store`, no ETag, no `Cache-Tag`); always 200 —
 * a failing hole leaves its Suspense fallback for the browser to retry and goes to `onError`.
 *
 * @example
 * ```ts
 * return resumeShell(page, shell, 'SHELL-HIT+RESUME')
 * ```
 */
export function resumeShell(page: PageRequest, shell: PreparedShell, state: ShellState): Response {
  const { c, request, url, env, cache, route, params, search } = page
  const headers = headersFor(state)
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers })
  const data = new ServerData(c.functions, new RequestContext(request, env, params, c.session), cache, { seed: shell.seed })
  const onError = (error: unknown): void => c.onError(error, request)
  const holes = (): Uint8Array => encoder.encode(`<script id="${HOLES_ID}" type="application/json">${escapeScriptJson(`[${data.records.join(',')}]`)}</script>${TAIL}`)
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  let ended = false
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(shell.prelude)
    },
    async pull(controller) {
      try {
        reader ??= (await resume(pageTree(c, data, url.pathname, params, search, route.page), JSON.parse(shell.postponed) as PostponedState, { onError })).getReader()
        const next = await reader.read()
        if (!next.done) {
          // React writes the closing `</body></html>` once every hole is done, so the holes'
          // data is complete then: it goes in before those bytes, in the same chunk.
          if (ended || !endsWith(next.value, TAIL_BYTES)) return controller.enqueue(next.value)
          ended = true
          const end = holes()
          const chunk = new Uint8Array(next.value.byteLength - TAIL_BYTES.byteLength + end.byteLength)
          chunk.set(next.value.subarray(0, next.value.byteLength - TAIL_BYTES.byteLength))
          chunk.set(end, next.value.byteLength - TAIL_BYTES.byteLength)
          return controller.enqueue(chunk)
        }
      } catch (error) {
        onError(error)
      }
      if (!ended) controller.enqueue(holes())
      controller.close()
    },
    cancel(reason) {
      void reader?.cancel(reason)
    },
  })
  return new Response(body, { status: 200, headers })
}

// Header objects made once per state: a response copies them without validating them again.
const headerSets = new Map<ShellState, Headers>()

function headersFor(state: ShellState): Headers {
  let headers = headerSets.get(state)
  if (headers === undefined) {
    headers = new Headers([
      ['content-type', HTML_TYPE],
      ['cache-control', 'private, no-store'],
      ['x-content-type-options', 'nosniff'],
      [CACHE_STATE_HEADER, state],
    ])
    headerSets.set(state, headers)
  }
  return headers
}

function endsWith(bytes: Uint8Array, suffix: Uint8Array): boolean {
  if (bytes.byteLength < suffix.byteLength) return false
  const at = bytes.byteLength - suffix.byteLength
  for (let i = 0; i < suffix.byteLength; i++) if (bytes[at + i] !== suffix[i]) return false
  return true
}
