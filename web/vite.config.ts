/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const server = process.env.SIGHTLINE_DEV_SERVER ?? 'http://localhost:8000';
// Whole path segments only: a plain '/i' prefix would also catch the app's own /invite/… page.
const proxied = ['api', 'static', 'e', 'i', 'batch', 'flags', 'decide', 'array', '_health'];
const proxyKey = `^/(${proxied.join('|')})(/|\\?|$)`;

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: { [proxyKey]: { target: server, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
