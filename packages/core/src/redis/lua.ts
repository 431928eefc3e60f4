/**
 * The Lua scripts of RedisCache. Each touches one hash slot only (Redis Cluster runs a
 * script on one node): the epoch slot `{P}`, a tag slot `{P:t:T}`, or a context slot
 * `{P:C}`. Every script takes a fixed number of KEYS; context scripts derive the keys of
 * tag indexes and entries from the `ARGV` base `{P:C}:`, which stay in the slot of the
 * declared keys. (A fixed count also matters to ioredis: with a variable one, Cluster
 * auto-pipelining groups a script call by its first argument, the key count, instead of
 * its first key, and fails with "All keys in the pipeline should belong to the same slots
 * allocation group" — ioredis issue #2109.) Epochs travel as decimal strings and are only
 * compared with `tonumber` (exact below 2^53); they are never formatted from a Lua number,
 * which would print 16-digit values in exponent form.
 *
 * @module
 */

/** Server time in ms, and integer formatting that never yields exponent notation. */
const TIME = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(n) return string.format('%d', n) end
`

/**
 * Drops up to 64 markers set before `before` (ms) and raises the floor to the newest
 * pruned epoch, so a ticket the pruned marker refused is still refused.
 */
const PRUNE = `
local function pruneMarkers(markers, times, floorKey, before)
  local old = redis.call('ZRANGEBYSCORE', times, '-inf', int(before), 'LIMIT', 0, 64)
  if #old == 0 then return end
  local floor = tonumber(redis.call('GET', floorKey) or '0')
  local top = nil
  for _, epoch in ipairs(redis.call('HMGET', markers, unpack(old))) do
    if epoch and tonumber(epoch) > floor then floor = tonumber(epoch); top = epoch end
  end
  if top then redis.call('SET', floorKey, top) end
  redis.call('HDEL', markers, unpack(old))
  redis.call('ZREM', times, unpack(old))
end
`

/**
 * `{P}`. KEYS: epoch, birth. ARGV: `1` to advance, `0` to read. Returns `{ epoch, birth }`
 * (strings). A missing epoch starts at the server's time in µs and that start is kept as
 * the birth: after a Redis restart that lost its data, the new birth is above every
 * ticket issued before, which the store script's floor initialisation relies on.
 */
export const EPOCH = `
local epoch = redis.call('GET', KEYS[1])
local birth = redis.call('GET', KEYS[2])
if not epoch then
  local t = redis.call('TIME')
  epoch = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('SET', KEYS[1], epoch)
end
if not birth then
  birth = epoch
  redis.call('SET', KEYS[2], birth)
end
if ARGV[1] == '1' then epoch = string.format('%d', redis.call('INCR', KEYS[1])) end
return { epoch, birth }
`

/**
 * `{P:t:T}`. KEYS: registry, tag epoch. ARGV: context, ticket epoch. Registers the context
 * (score = newest registering ticket) and returns the tag's last purge epoch (string).
 */
export const REGISTER = `
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
return redis.call('GET', KEYS[2]) or '0'
`

/**
 * `{P:C}`. KEYS: entry, markers, marker times, floor, all-index. ARGV: ticket epoch,
 * epoch birth, ttl ms, marker ttl ms, key base `{P:C}:`, entry id, bytes, tags….
 * Returns 0 (refused: floor or a marker `*` / `e:K` / `t:T` newer than the ticket) or 1
 * (stored, and indexed in the all-index and each tag index `{P:C}:t:T`). A missing floor
 * (new context, or data lost) starts at the epoch's birth: tickets from before a restart
 * that lost the data are refused.
 */
export const STORE = `${TIME}${PRUNE}
local ticket = tonumber(ARGV[1])
local floor = redis.call('GET', KEYS[4])
if not floor then
  floor = ARGV[2]
  redis.call('SET', KEYS[4], floor)
end
if tonumber(floor) > ticket then return 0 end
local id = ARGV[6]
local names = { '*', 'e:' .. id }
for i = 8, #ARGV do names[#names + 1] = 't:' .. ARGV[i] end
for _, epoch in ipairs(redis.call('HMGET', KEYS[2], unpack(names))) do
  if epoch and tonumber(epoch) > ticket then return 0 end
end
local now = nowMs()
local expires = int(now + tonumber(ARGV[3]))
local function index(key)
  redis.call('ZADD', key, expires, id)
  local expired = redis.call('ZRANGEBYSCORE', key, '-inf', '(' .. int(now), 'LIMIT', 0, 64)
  if #expired > 0 then redis.call('ZREM', key, unpack(expired)) end
end
redis.call('SET', KEYS[1], ARGV[7], 'PX', ARGV[3])
index(KEYS[5])
for i = 8, #ARGV do index(ARGV[5] .. 't:' .. ARGV[i]) end
pruneMarkers(KEYS[2], KEYS[3], KEYS[4], now - tonumber(ARGV[4]))
return 1
`

/**
 * `{P:t:T}`. KEYS: registry, tag epoch. ARGV: purge epoch. Raises the tag's purge epoch
 * and returns the registered contexts.
 */
export const TAG_PURGE = `
local current = redis.call('GET', KEYS[2])
if not current or tonumber(current) < tonumber(ARGV[1]) then redis.call('SET', KEYS[2], ARGV[1]) end
return redis.call('ZRANGE', KEYS[1], 0, -1)
`

/**
 * `{P:C}`. KEYS: markers, marker times, floor, all-index. ARGV: purge epoch, marker ttl ms,
 * key base `{P:C}:`, whole context `1`/`0`, tag count n, n tags, entry ids….
 * Sets the markers first, then deletes what the all-index, the tag indexes and the entry
 * list name — work proportional to those, never to the keyspace. Returns entries deleted.
 */
export const CONTEXT_PURGE = `${TIME}${PRUNE}
local epoch, base = ARGV[1], ARGV[3]
local now = nowMs()
local deleted = 0
local function mark(name)
  local current = redis.call('HGET', KEYS[1], name)
  if not current or tonumber(current) < tonumber(epoch) then redis.call('HSET', KEYS[1], name, epoch) end
  redis.call('ZADD', KEYS[2], int(now), name)
end
local function drop(ids, unindex)
  for i = 1, #ids, 500 do
    local last = math.min(i + 499, #ids)
    local keys = {}
    for j = i, last do keys[#keys + 1] = base .. 'e:' .. ids[j] end
    deleted = deleted + redis.call('DEL', unpack(keys))
    if unindex then redis.call('ZREM', KEYS[4], unpack(ids, i, last)) end
  end
end
if ARGV[4] == '1' then
  mark('*')
  drop(redis.call('ZRANGE', KEYS[4], 0, -1), false)
  redis.call('DEL', KEYS[4])
end
local tags = tonumber(ARGV[5])
for i = 6, 5 + tags do
  mark('t:' .. ARGV[i])
  local index = base .. 't:' .. ARGV[i]
  drop(redis.call('ZRANGE', index, 0, -1), true)
  redis.call('DEL', index)
end
local ids = {}
for i = 6 + tags, #ARGV do
  mark('e:' .. ARGV[i])
  ids[#ids + 1] = ARGV[i]
end
drop(ids, true)
pruneMarkers(KEYS[1], KEYS[2], KEYS[3], now - tonumber(ARGV[2]))
return deleted
`

/** KEYS: lease. ARGV: token. Deletes the lease only while it still holds this token. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`
