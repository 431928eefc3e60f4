// Key derivation throughput in Node: canonical params + HMAC-derived entry key, one core,
// one at a time — the work every cache read does first. Baseline: a bare node:crypto HMAC of a
// message of the same size, the floor any implementation pays.
import { createHmac, randomBytes } from 'node:crypto'
import { canonicalParams, createSecret } from '../src/index.ts'
import { report } from '../../../bench/lib.ts'

const secret = await createSecret(randomBytes(32).toString('hex'))
const context = { fn: 'posts/[slug]#post', version: '3f9a1c0b2d4e' }
const N = 300_000

async function derive(): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < N; i++) {
    // The path cacheGet/cacheFetch take: synchronous where the platform allows it.
    const canonical = canonicalParams({ slug: `post-${i}`, page: i & 7 })
    if (secret.entryRefSync?.(context, canonical) === undefined) await secret.entryRef(context, canonical)
  }
  return N / ((performance.now() - start) / 1000)
}
function bare(): number {
  const key = randomBytes(32)
  const start = performance.now()
  for (let i = 0; i < N; i++) createHmac('sha256', key).update(`mizan-key 1 ${context.fn} ${context.version} {"page":${i & 7},"slug":"post-${i}"}`).digest()
  return N / ((performance.now() - start) / 1000)
}

const runs: number[] = []
const bases: number[] = []
for (let r = 0; r < 3; r++) {
  runs.push(await derive())
  bases.push(bare())
}
const value = runs.sort((a, b) => a - b)[1]!
const baseline = bases.sort((a, b) => a - b)[1]!
report({ name: 'core: key derivation (Node)', unit: 'keys/s', value, baseline, goal: '>= 300,000 keys/s', pass: value >= 300_000, note: 'baseline: bare createHmac' })
