import { describe, it } from 'vitest'
import { MemoryCache } from '../memory/index.ts'
import type { FaultyBackend } from './index.ts'
import { conformanceCases, withFaults } from './index.ts'

describe('conformance: MemoryCache', () => {
  const cases = conformanceCases({
    makeBackend: async () => withFaults(new MemoryCache()),
    breakBackend: async (backend) => {
      const faulty = backend as FaultyBackend
      faulty.broken = true
      return { heal: async () => void (faulty.broken = false) }
    },
  })
  for (const c of cases) it(c.name, c.run)
})
