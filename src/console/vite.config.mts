import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react-swc';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console's build: src/console → dist/console, served by the hub at `/`
 * (src/transport/console.ts). Everything is bundled: nothing loads from a CDN at run time.
 * `html.cspNonce` marks the tags Vite writes with a placeholder that the hub replaces with each
 * response's Content-Security-Policy nonce; Ant Design's run-time styles take the same nonce.
 */
/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each asset, once at build time, so that the
 * hub sends the console compressed without compressing on every request (src/transport/console.ts
 * picks the copy the browser accepts). Partner links can be slow; 1.2 MB of scripts become ~0.3 MB.
 */
function precompressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'hub-precompress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg|json|ttf|txt)$/.test(name)) continue;
        const body = readFileSync(join(assets, name));
        if (body.length < 1024) continue;
        writeFileSync(join(assets, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
        writeFileSync(join(assets, `${name}.gz`), gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), precompressAssets()],
  html: { cspNonce: '__HUB_CSP_NONCE__' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The console is served from the hub on closed networks; one chunk per big library keeps
    // re-downloads small when only the console's own code changes.
    // The largest is Monaco (about 2.8 MB), fetched only when the explorer opens.
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
    // dist/console/.vite/manifest.json: the hub names a page's chunks in the HTML it sends for
    // that page's path (PRELOADED_PAGES in src/transport/console.ts). Not served (a dot folder).
    manifest: true,
    rolldownOptions: {
      // GraphiQL's modules start with React Compiler's "use no memo" directive; bundling drops it, harmlessly.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && /node_modules[\\/](@graphiql|react-compiler-runtime)[\\/]/.test(warning.id ?? '')) return;
        warn(warning);
      },
      output: {
        // Libraries in a few long-lived chunks of their own, fetched in parallel and kept in the
        // browser's cache across console releases; the pages are lazy chunks (app/pages.tsx).
        // Ant Design is not one of them: as a single chunk it held every component any page uses
        // (1.2 MB), which the sign-in page parsed before showing anything; left to the bundler,
        // the tables, pickers and modals go with the pages that use them (bench/CONSOLE-BUDGETS.md).
        manualChunks(id: string) {
          const pkg = id.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
          if (!pkg) return undefined;
          if (/^(react|react-dom|scheduler|react-router|cookie|set-cookie-parser)$/.test(pkg)) return 'react';
          if (/^(echarts|zrender|echarts-for-react|tslib)$/.test(pkg)) return 'echarts';
          if (/^(@apollo\/client|graphql|graphql-ws|graphql-tag|rxjs|optimism|@wry\/.*|ts-invariant|@graphql-typed-document-node\/.*)$/.test(pkg)) return 'apollo';
          if (/^(i18next|react-i18next|i18next-browser-languagedetector|html-parse-stringify|void-elements)$/.test(pkg)) return 'i18n';
          return undefined;
        },
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
