/**
 * Binds the Lua scripts to a client with ioredis' `defineCommand`: EVALSHA, falling back
 * to EVAL on NOSCRIPT (a restarted or new node), keys passed as KEYS so Cluster routes
 * each call to the node of its slot. Command names carry a hash of the script, so two
 * Mizan versions sharing a user's client never overwrite each other's scripts.
 * @module
 */
import { createHash } from 'node:crypto'
import type { RedisClient } from './guard.ts'
import { CONTEXT_PURGE, EPOCH, REGISTER, RELEASE, STORE, TAG_PURGE } from './lua.ts'

/** A script call: `(...keys, ...args)`, the number of keys fixed per script. */
export type ScriptCall = (...args: (string | Buffer)[]) => Promise<unknown>

/** The scripts, callable on one client. */
export interface Scripts {
  readonly epoch: ScriptCall
  readonly register: ScriptCall
  readonly store: ScriptCall
  readonly tagPurge: ScriptCall
  readonly contextPurge: ScriptCall
  readonly release: ScriptCall
}

const SOURCES: Record<keyof Scripts, { lua: string; numberOfKeys: number }> = {
  epoch: { lua: EPOCH, numberOfKeys: 2 },
  register: { lua: REGISTER, numberOfKeys: 2 },
  store: { lua: STORE, numberOfKeys: 5 },
  tagPurge: { lua: TAG_PURGE, numberOfKeys: 2 },
  contextPurge: { lua: CONTEXT_PURGE, numberOfKeys: 4 },
  release: { lua: RELEASE, numberOfKeys: 1 },
}

/** Defines the scripts on `client` (idempotent) and returns their callers. */
export function defineScripts(client: RedisClient): Scripts {
  const host = client as unknown as Record<string, ScriptCall>
  const bind = (name: keyof Scripts): ScriptCall => {
    const { lua, numberOfKeys } = SOURCES[name]
    const command = `mizan_${name}_${createHash('sha1').update(lua).digest('hex').slice(0, 10)}`
    if (typeof host[command] !== 'function') client.defineCommand(command, { lua, numberOfKeys })
    return (...args) => host[command]!(...args)
  }
  return {
    epoch: bind('epoch'),
    register: bind('register'),
    store: bind('store'),
    tagPurge: bind('tagPurge'),
    contextPurge: bind('contextPurge'),
    release: bind('release'),
  }
}

/** The `epoch` script's reply: the current epoch and its birth (decimal strings). */
export function epochState(reply: unknown): { epoch: string; birth: string } {
  const [epoch, birth] = reply as [string, string]
  return { epoch: String(epoch), birth: String(birth) }
}
