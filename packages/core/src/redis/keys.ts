/**
 * RedisCache's key layout. `P` is the prefix (default `mz`), `C` a context id, `K` an entry
 * id, `T` a tag. Everything of one context shares the Redis Cluster hash slot `{P:C}`, so
 * one Lua script can check and write it atomically; the global epoch and each tag's
 * registry live in slots of their own and are never touched by the same script.
 *
 * | key             | type   | TTL       | holds                                                        |
 * |-----------------|--------|-----------|--------------------------------------------------------------|
 * | `{P}:epoch`     | string | none      | the purge epoch (starts at the server's time in µs)          |
 * | `{P}:birth`     | string | none      | the epoch's first value (moves when Redis lost its data)     |
 * | `{P:t:T}:ctx`   | zset   | none      | contexts holding entries tagged T → newest registering ticket |
 * | `{P:t:T}:epoch` | string | none      | the epoch of T's last purge                                  |
 * | `{P:C}:e:K`     | string | entry ttl | the entry's bytes                                            |
 * | `{P:C}:l:K`     | string | lease ttl | the computation lease token of K                             |
 * | `{P:C}:all`     | zset   | none      | every entry id of C → its expiry (ms)                        |
 * | `{P:C}:t:T`     | zset   | none      | the entry ids of C tagged T → their expiry (ms)              |
 * | `{P:C}:mk`      | hash   | none      | purge markers `*` / `t:T` / `e:K` → epoch                    |
 * | `{P:C}:mt`      | zset   | none      | marker name → when it was set (server ms), for pruning       |
 * | `{P:C}:floor`   | string | none      | the newest epoch among pruned markers (starts at the birth)  |
 *
 * Only entries and leases carry a TTL, so under a `volatile-*` maxmemory policy Redis can
 * evict nothing a purge relies on (an evicted entry is a miss; an evicted lease only costs
 * a duplicate computation). Markers are pruned lazily once older than `markerTtlMs`, and
 * pruning raises the floor, so a marker never disappears without its effect.
 *
 * @module
 */

/** A context or entry id: base64url plus `.` and `~`; no braces (they pick the hash slot), no `:`. */
const ID = /^[A-Za-z0-9_.~-]{1,256}$/

/** Whether `id` can be used as a context or entry id in key names. */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id)
}

/** The keys of the prefix-wide state. */
export interface GlobalKeys {
  readonly epoch: string
  readonly birth: string
  registry(tag: string): string
  tagEpoch(tag: string): string
}

/** The keys of one context, all in the slot `{P:C}`. */
export interface ContextKeys {
  /** `{P:C}:`, the prefix every key of the context starts with (scripts derive keys from it). */
  readonly base: string
  readonly all: string
  readonly markers: string
  readonly markerTimes: string
  readonly floor: string
  entry(id: string): string
  lease(id: string): string
  tagIndex(tag: string): string
}

/** The prefix-wide keys. */
export function globalKeys(prefix: string): GlobalKeys {
  return {
    epoch: `{${prefix}}:epoch`,
    birth: `{${prefix}}:birth`,
    registry: (tag) => `{${prefix}:t:${tag}}:ctx`,
    tagEpoch: (tag) => `{${prefix}:t:${tag}}:epoch`,
  }
}

/** The keys of context `context` (validated by the caller with `isValidId`). */
export function contextKeys(prefix: string, context: string): ContextKeys {
  const base = `{${prefix}:${context}}:`
  return {
    base,
    all: `${base}all`,
    markers: `${base}mk`,
    markerTimes: `${base}mt`,
    floor: `${base}floor`,
    entry: (id) => `${base}e:${id}`,
    lease: (id) => `${base}l:${id}`,
    tagIndex: (tag) => `${base}t:${tag}`,
  }
}
