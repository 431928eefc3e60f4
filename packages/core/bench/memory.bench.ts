// MemoryCache under 1,000,000 distinct keys: memory must stay under the configured byte
// bound plus a stated overhead. Measured as live memory after a full GC (V8 heap used +
// external buffers) growth over the empty process — RSS also counts garbage V8 has not yet
// returned to the OS and so depends on GC timing; it is printed in the note.
import { MemoryCache } from '../src/index.ts'
import { report } from '../../../bench/lib.ts'

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const maxBytes = 64 * 1024 * 1024
// Stated overhead: the byte accounting charges ENTRY_OVERHEAD_BYTES per entry for V8 object
// headers, LRU links and index sets (measured by this benchmark); the stated overhead left
// for what is not per entry (the maps' spare capacity) is 16 MiB.
const overhead = 16 * 1024 * 1024
const live = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}
gc()
const before = live()
const rssBefore = process.memoryUsage().rss
const cache = new MemoryCache({ maxBytes, maxEntries: 1_000_000 })
const value = new Uint8Array(200)
const ticket = await cache.ticket()
for (let i = 0; i < 1_000_000; i++) {
  await cache.put({ ref: { context: `ctx${i & 15}`, key: `k${i}` }, bytes: value, tags: [`t${i & 255}`], ttlMs: 600_000, ticket })
}
gc()
gc()
const grown = live() - before
const rssGrown = process.memoryUsage().rss - rssBefore
const stats = cache.stats()
report({
  name: 'core: MemoryCache, 1M distinct keys',
  unit: 'MiB live growth',
  value: grown / 1048576,
  goal: `<= ${(maxBytes + overhead) / 1048576} MiB (bound ${maxBytes / 1048576} + overhead ${overhead / 1048576})`,
  pass: grown <= maxBytes + overhead && stats.bytes <= maxBytes,
  note: `entries ${stats.entries}, accounted ${(stats.bytes / 1048576).toFixed(1)} MiB, RSS +${(rssGrown / 1048576).toFixed(0)} MiB`,
})
await cache.close()
