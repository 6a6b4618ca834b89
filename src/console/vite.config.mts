import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react-swc';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console's build: src/console → dist/console, served by the hub at `/`
 * (src/transport/console.ts). Everything is bundled: nothing loads from a CDN at run time.
 * `html.cspNonce` marks the tags Vite writes with a placeholder that the hub replaces with each
 * response's Content-Security-Policy nonce; Ant Design's run-time styles take the same nonce.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  html: { cspNonce: '__HUB_CSP_NONCE__' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The console is served from the hub on closed networks; one chunk per big library keeps
    // re-downloads small when only the console's own code changes.
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rolldownOptions: {
      // GraphiQL's modules start with React Compiler's "use no memo" directive; bundling drops it, harmlessly.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && /node_modules[\\/](@graphiql|react-compiler-runtime)[\\/]/.test(warning.id ?? '')) return;
        warn(warning);
      },
    },
  },
  // `vite` (dev server) for working on the console: API calls go to a hub on :4000.
  server: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/auth': 'http://127.0.0.1:4000',
    },
  },
});
