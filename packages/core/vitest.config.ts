import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    globalSetup: ['./test-setup/redis.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
