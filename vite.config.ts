import { defineConfig } from 'vitest/config'

// One Vitest project per package; `pnpm test` runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*', 'e2e'],
    // One test file at a time across all projects: several files start workerd, Vite servers,
    // Redis Clusters or Chromium, and on two cores their timing-sensitive checks (hydration,
    // HMR, lease expiry) must not compete with another file's build.
    fileParallelism: false,
    // The plain closing line CI reads: `N passed, N failed`.
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
})
