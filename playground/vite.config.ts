import { defineConfig } from 'vite'
import { mizan } from 'mizan/vite'

const env = process.env

export default defineConfig({
  plugins: [
    mizan({
      // The backend's URL is baked into the Worker config at build time; scripts/run.ts passes
      // the one it started through PLAYGROUND_ORIGIN.
      origin: env['PLAYGROUND_ORIGIN'] ?? 'http://127.0.0.1:8790',
      // The local edge cache and purge state live beside the database they were filled from
      // (scripts/run.ts sets this), so a fresh database never meets pages cached from an old one.
      ...(env['PLAYGROUND_EDGE_STATE'] ? { cloudflare: { persistState: { path: env['PLAYGROUND_EDGE_STATE'] } } } : {}),
    }),
  ],
})
