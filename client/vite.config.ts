import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { precompress } from './build/precompress';

const apiTarget = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), precompress()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      '@shared': fileURLToPath(new URL('../shared', import.meta.url)),
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget },
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    // Few files, because a page gets six connections to our server (HTTP/1.1) and the big screen's
    // start asks for the basemap setting, the county, the teams, the figures and the case list
    // through them too: one stylesheet (17 kB gzip, loaded with the page) instead of one per
    // chunk, and chunks under 20 kB merged where no page would load code it does not use
    // (the screen's start: 15 files → 8; the API calls queue 250–820 ms instead of 360–900).
    cssCodeSplit: false,
    rollupOptions: {
      output: {
        experimentalMinChunkSize: 20_000,
        // MapLibre and ECharts are large and change rarely: their own chunks, loaded by the views
        // that use them, cached across our releases.
        manualChunks(id) {
          if (id.includes('node_modules/maplibre-gl')) return 'maplibre';
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          return undefined;
        },
      },
    },
  },
});
