import { defineConfig } from 'vitest/config'

// One Vitest project per package; `pnpm test` runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*', 'e2e'],
  },
})
