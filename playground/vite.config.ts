import { defineConfig } from 'vite'
import { mizan } from 'mizan/vite'

export default defineConfig({
  // The backend's URL is baked into the Worker config at build time; scripts/run.ts and the
  // e2e harness pass their own through PLAYGROUND_ORIGIN.
  plugins: [mizan({ origin: process.env['PLAYGROUND_ORIGIN'] ?? 'http://127.0.0.1:8790' })],
})
