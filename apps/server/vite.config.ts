import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const web = fileURLToPath(new URL('./web/', import.meta.url));

// The dashboard and the visitor chat page: two small entries sharing one Preact chunk. Vite names
// every asset by its hash, so the server can cache them for a year.
export default defineConfig({
  root: web,
  base: '/',
  logLevel: 'warn',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: { input: { index: `${web}index.html`, chat: `${web}chat.html` } },
  },
});
