import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

/**
 * `graphql(\`…\`)` calls become imports of that one document, so a chunk carries the documents
 * it uses and nothing else. GraphQL Code Generator's client preset types the calls through
 * src/console/gql/gql.ts, whose `graphql()` looks each text up in a map of every document of the
 * console: whatever imported it loaded and evaluated all of them (about 150 KB). The preset's
 * answer is a Babel or SWC plugin; this does the same from the generated files themselves:
 * gql.ts's map says which export of gql/graphql.ts a text is, and that export's document (JSON
 * as codegen wrote it) becomes a small module of its own, `\0hub-gql:<Export>`. A text the map
 * does not hold fails the build (run `npm run console:codegen`). Line breaks are kept, so
 * line numbers in the rest of the file do not move. Types are untouched: tsc still reads gql.ts.
 */
function graphqlDocumentImports(): Plugin {
  const generated = join(here, 'gql');
  const PREFIX = '\0hub-gql:';
  let byText = new Map<string, string>();
  let documents = new Map<string, string>();
  const load = () => {
    const gql = readFileSync(join(generated, 'gql.ts'), 'utf8');
    const map = gql.slice(gql.indexOf('\nconst documents'));
    byText = new Map([...map.matchAll(/^ {4}("(?:[^"\\]|\\.)*"): types\.(\w+),$/gm)].map((m) => [JSON.parse(m[1]) as string, m[2]]));
    const types = readFileSync(join(generated, 'graphql.ts'), 'utf8');
    documents = new Map([...types.matchAll(/^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*$/gm)].map((m) => [m[1], m[2]]));
  };
  return {
    name: 'hub-graphql-document-imports',
    enforce: 'pre',
    buildStart() {
      load();
      this.addWatchFile(join(generated, 'gql.ts'));
      this.addWatchFile(join(generated, 'graphql.ts'));
    },
    watchChange(id) {
      if (id.startsWith(generated)) load();
    },
    resolveId(id) {
      return id.startsWith(PREFIX) ? id : undefined;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return undefined;
      const json = documents.get(id.slice(PREFIX.length));
      if (json === undefined) throw new Error(`src/console/gql/graphql.ts has no document ${id.slice(PREFIX.length)}: run \`npm run console:codegen\``);
      // JSON.parse of a string literal: V8 reads it faster than the same object as code.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(json)))});`;
    },
    transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.startsWith(generated) || !code.includes('graphql(')) return undefined;
      const used = new Set<string>();
      const out = code.replace(/\bgraphql\(\s*`([^`]*)`\s*\)/g, (call: string, text: string) => {
        const name = byText.get(text);
        if (!name) this.error(`${relative(here, id)}: a graphql() document that src/console/gql/gql.ts does not hold: run \`npm run console:codegen\``);
        used.add(name);
        return `__hubGql_${name}${'\n'.repeat(call.split('\n').length - 1)}`;
      });
      if (used.size === 0) return undefined;
      // Imports are hoisted: appended at the end, they move no line.
      return { code: `${out}\n${[...used].map((n) => `import __hubGql_${n} from ${JSON.stringify(PREFIX + n)};`).join('\n')}\n`, map: null };
    },
  };
}

/** The npm package a module id is in ('' for the console's own modules). */
function packageOf(id: string): string {
  return id.match(/node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/)?.[1].replace('\\', '/') ?? '';
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [graphqlDocumentImports(), react(), precompressAssets()],
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
        // Groups in priority order: a group takes the modules its own modules import, unless a
        // group of higher priority has them. As one manualChunks function (one priority), React's
        // own module landed in the apollo chunk (Apollo Client imports React), and every page,
        // the sign-in page too, loaded Apollo Client to get React.
        codeSplitting: {
          groups: [
            { name: 'react', priority: 4, test: (id: string) => /^(react|react-dom|scheduler|react-router|cookie|set-cookie-parser)$/.test(packageOf(id)) },
            { name: 'i18n', priority: 3, test: (id: string) => /^(i18next|react-i18next|i18next-browser-languagedetector|html-parse-stringify|void-elements)$/.test(packageOf(id)) },
            { name: 'echarts', priority: 2, test: (id: string) => /^(echarts|zrender|echarts-for-react)$/.test(packageOf(id)) },
            {
              name: 'apollo',
              priority: 1,
              test: (id: string) => /^(@apollo\/client|graphql|graphql-ws|graphql-tag|rxjs|optimism|@wry\/.*|ts-invariant|@graphql-typed-document-node\/.*)$/.test(packageOf(id)),
            },
          ],
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
