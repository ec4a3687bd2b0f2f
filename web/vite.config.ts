import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The web UI: built into dist/web, which the API server serves at `/` (src/web-ui).
// `npm run dev:web` proxies the API to a server on :8080 while editing.
export default defineConfig({
  root: here,
  plugins: [react()],
  build: {
    outDir: path.join(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/approve': 'http://127.0.0.1:8080' },
  },
});
