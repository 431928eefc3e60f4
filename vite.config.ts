import { defineConfig } from 'vitest/config'

// One Vitest project per package; `pnpm test` runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*', 'e2e'],
    // The plain closing line CI reads: `N passed, N failed`.
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
})
