// MemoryCache under 1,000,000 distinct keys: resident memory must stay under the configured
// byte bound plus a stated overhead. Baseline: RSS before the cache exists.
import { MemoryCache } from '../src/index.ts'
import { report } from '../../../bench/lib.ts'

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const maxBytes = 64 * 1024 * 1024
// Stated overhead: V8 object headers, Map/LRU links and index sets are not in the byte
// accounting; 64 MiB covers them at the default maxEntries.
const overhead = 64 * 1024 * 1024
gc()
const before = process.memoryUsage().rss
const cache = new MemoryCache({ maxBytes, maxEntries: 1_000_000 })
const value = new Uint8Array(200)
const ticket = await cache.ticket()
for (let i = 0; i < 1_000_000; i++) {
  await cache.put({ ref: { context: `ctx${i & 15}`, key: `k${i}` }, bytes: value, tags: [`t${i & 255}`], ttlMs: 600_000, ticket })
}
gc()
const grown = process.memoryUsage().rss - before
const stats = cache.stats()
report({
  name: 'core: MemoryCache, 1M distinct keys',
  unit: 'MiB RSS growth',
  value: grown / 1048576,
  goal: `<= ${(maxBytes + overhead) / 1048576} MiB (bound ${maxBytes / 1048576} + overhead ${overhead / 1048576})`,
  pass: grown <= maxBytes + overhead && stats.bytes <= maxBytes,
  note: `entries ${stats.entries}, accounted ${(stats.bytes / 1048576).toFixed(1)} MiB`,
})
await cache.close()
