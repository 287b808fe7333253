/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const server = process.env.SIGHTLINE_DEV_SERVER ?? 'http://localhost:8000';
// Whole path segments only: a plain '/i' prefix would also catch the app's own /invite/… page.
const proxied = ['api', 'static', 'e', 'i', 'batch', 'flags', 'decide', 'array', '_health'];
const proxyKey = `^/(${proxied.join('|')})(/|\\?|$)`;

const LAZY_LIBRARIES = /[\\/]node_modules[\\/](echarts|zrender|world-atlas|topojson-client|i18n-iso-countries|marked|dompurify|react-grid-layout|react-draggable|react-resizable|posthog-js)[\\/]/;
const SHARED_APP_CODE = /[\\/]src[\\/](components|features[\\/]shell)[\\/]|[\\/]src[\\/]lib[\\/](?!listQueries|urlCodec)/;

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
    rollupOptions: {
      output: {
        // A page's code comes as a few files, not forty: the browser asks a server for six files
        // at a time, and the page's data waits in the same queue. The libraries every page
        // uses are one file; the big ones a page loads when it needs them (charts, maps,
        // markdown) stay apart.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: (id: string) => /[\\/]node_modules[\\/]/.test(id) && !LAZY_LIBRARIES.test(id) && !id.endsWith('.css'), priority: 20 },
            // the pieces pages share; not what the entry runs first (early.ts, api/), nor the charts
            { name: 'app', test: (id: string) => SHARED_APP_CODE.test(id) && !/[\\/]components[\\/]charts[\\/]/.test(id), priority: 10, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
