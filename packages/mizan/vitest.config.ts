import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'mizan',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // The integration tests build fixture apps and start workerd: one file at a time on two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
