/**
 * `mizan purge`: sends a signed purge to a render Worker and prints what it purged.
 *
 *   MIZAN_SECRET=… mizan purge --url https://app.example.com --tag post:hello --tag posts
 *   MIZAN_SECRET=… mizan purge --url … --fn 'posts/[slug]#post' --params '{"slug":"hello"}'
 *
 * Exit codes: 0 purged, 1 the purge failed, 2 usage error.
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createPurger, createSecret, MizanError, UnknownFunctionError } from '@mizan/core'
import type { PurgeInput, PurgeManifest } from '@mizan/core'
import type { CliIO } from './io.ts'

/** Help text of `mizan purge`. */
export const PURGE_USAGE = `Usage: mizan purge --url <worker base URL> [--tag <tag>]... [--fn <id> [--params <json>]]...

Purges the render Worker's cache (data and pages) by tag and/or data function, signed with
the secret in the MIZAN_SECRET environment variable, and prints what the Worker purged.

Options:
  --url <url>        Base URL of the render Worker, e.g. https://app.example.com
  --tag <tag>        A cache tag to purge (repeatable)
  --fn <id>          A data function to purge, e.g. 'posts/[slug]#post' (repeatable):
                     every entry of its current version, or with --params only that one
  --params <json>    The params of the single --fn entry, e.g. '{"slug":"hello"}'
  --manifest <path>  The build manifest (default: dist/manifest.json), needed for --fn
  -h, --help         Show this help
`

/** Seconds the CLI keeps retrying a Worker that answers 5xx or cannot be reached. */
const DEADLINE_MS = 15_000

/**
 * Runs `mizan purge` with its arguments; resolves to the exit code.
 *
 * @example
 * ```ts
 * await purgeCommand(['--url', 'http://127.0.0.1:8787', '--tag', 'posts'], io, process.env) // 0
 * ```
 */
export async function purgeCommand(args: readonly string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: ParsedPurge
  try {
    const request = parsePurgeArgs(args, env)
    if (request === 'help') {
      io.out(PURGE_USAGE)
      return 0
    }
    parsed = request
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`mizan purge: ${error.message}\n\n${PURGE_USAGE}`)
    return 2
  }

  let summary: unknown
  try {
    const purger = createPurger({
      secret: await createSecret(parsed.secret),
      edges: [parsed.url],
      ...(parsed.manifest !== undefined && { manifest: parsed.manifest }),
      retry: { deadlineMs: DEADLINE_MS },
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (response.status === 200) summary = await response.clone().json().catch(() => undefined)
        return response
      },
    })
    try {
      await purger.purge(parsed.input)
    } finally {
      await purger.close()
    }
  } catch (error) {
    // Bad input (secret, tags, params, an unknown function) is a usage error; the rest is the purge failing.
    if (error instanceof UnknownFunctionError || (error instanceof MizanError && error.code !== 'MIZAN_PURGE')) {
      io.err(`mizan purge: ${error.message}\n`)
      return 2
    }
    io.err(`mizan purge: the purge failed: ${(error as Error).message}\n(mizan purge keeps nothing once it exits: run it again.)\n`)
    return 1
  }
  io.out(`mizan: purged ${describe(summary)} at ${parsed.url}\n${JSON.stringify(summary)}\n`)
  return 0
}

interface ParsedPurge {
  readonly url: string
  readonly secret: string
  readonly input: PurgeInput
  readonly manifest: PurgeManifest | undefined
}

class UsageError extends Error {}

function parsePurgeArgs(args: readonly string[], env: NodeJS.ProcessEnv): ParsedPurge | 'help' {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...args],
      options: {
        url: { type: 'string' },
        tag: { type: 'string', multiple: true },
        fn: { type: 'string', multiple: true },
        params: { type: 'string' },
        manifest: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (values.help) return 'help'
  const tags = values.tag ?? []
  const fns = values.fn ?? []
  if (values.url === undefined) throw new UsageError('--url is required: the base URL of the render Worker, e.g. --url https://app.example.com')
  if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) throw new UsageError(`--url ${JSON.stringify(values.url)} is not an http(s) URL.`)
  if (tags.length === 0 && fns.length === 0) throw new UsageError('nothing to purge: give at least one --tag or --fn.')
  if (values.params !== undefined && fns.length !== 1) throw new UsageError('--params goes with exactly one --fn (the function whose entry it names).')
  let params: unknown
  if (values.params !== undefined) {
    try {
      params = JSON.parse(values.params)
    } catch {
      throw new UsageError(`--params is not valid JSON: ${values.params}`)
    }
  }
  const secret = env['MIZAN_SECRET']
  if (!secret) throw new UsageError('MIZAN_SECRET is not set: export the secret the Worker has (wrangler secret put MIZAN_SECRET), e.g. MIZAN_SECRET=… mizan purge …')
  const manifest = fns.length > 0 ? readManifest(values.manifest ?? path.join('dist', 'manifest.json')) : undefined
  return {
    url: values.url,
    secret,
    manifest,
    input: {
      ...(tags.length > 0 && { tags }),
      ...(fns.length > 0 && { fns: fns.map((fn) => (values.params === undefined ? { fn } : { fn, params })) }),
    },
  }
}

function readManifest(file: string): PurgeManifest {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`cannot read the build manifest ${file} (needed for --fn): run vite build first, or pass --manifest <path>.`)
  }
  try {
    return JSON.parse(text) as PurgeManifest
  } catch {
    throw new UsageError(`${file} is not JSON: pass the manifest.json that vite build writes.`)
  }
}

function describe(summary: unknown): string {
  const s = (summary ?? {}) as { tags?: number; contexts?: number; entries?: number; deleted?: number }
  const parts = [`${s.tags ?? 0} tag(s)`, `${s.contexts ?? 0} function(s)`, `${s.entries ?? 0} exact entr${s.entries === 1 ? 'y' : 'ies'}`]
  return `${parts.join(', ')} (${s.deleted ?? 0} stored entries deleted)`
}
