#!/usr/bin/env node
/**
 * Builds the TypeScript (`tsc -p tsconfig.build.json`) only when its inputs changed since the
 * last build this script made, and the web console (`vite build` of src/console into
 * dist/console) only when its own inputs did: `npm start`, `npm run token` and the other
 * commands that run the built code call it first, so they start in a second instead of
 * recompiling every time.
 *
 * The inputs are hashed (paths and contents of src/ but src/console, scripts/, migrations/,
 * bench/, the tsconfigs and package-lock.json for the server; src/console and package-lock.json
 * for the console), not compared by modification time, which a checkout or a copy can move
 * either way. The hashes of the last builds are kept in dist/.build-hash and
 * dist/.console-build-hash; `--record` only records the server's, after `npm test` compiled
 * the same sources itself (the console is still built when stale: its browser tests need it).
 * It writes nothing to standard output, so `TOKEN=$(npm run --silent token -- …)` holds the
 * token alone; what it does goes to standard error. Exits with tsc's status when a build fails.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const stampPath = join(root, 'dist', '.build-hash');
const consoleStampPath = join(root, 'dist', '.console-build-hash');
const CONSOLE_DIR = join(root, 'src', 'console');
const DIRS = ['src', 'scripts', 'migrations', 'bench'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function* walk(dir, skip) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === skip) continue;
    if (entry.isDirectory()) yield* walk(path, skip);
    else if (entry.isFile()) yield path;
  }
}

/** The server's inputs: everything tsc compiles, but the console (browser code, built by Vite). */
function inputsHash() {
  return hashFiles([...DIRS.flatMap((d) => [...walk(join(root, d), CONSOLE_DIR)]), ...FILES.map((f) => join(root, f)).filter((f) => existsSync(f))]);
}

/** The console's inputs: its folder (sources, locales, generated types, Vite config) and the locked dependencies. */
function consoleInputsHash() {
  return hashFiles([...walk(CONSOLE_DIR), join(root, 'package-lock.json')]);
}

function hashFiles(list) {
  const files = list.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Builds the console with Vite when its inputs changed since the last console build. */
function buildConsoleIfStale() {
  const current = consoleInputsHash();
  const built = existsSync(consoleStampPath) && existsSync(join(root, 'dist', 'console', 'index.html')) ? readFileSync(consoleStampPath, 'utf8').trim() : '';
  if (built === current) return;
  process.stderr.write('build: the console changed since its last build: building it with Vite …\n');
  const started = Date.now();
  const vitePackage = createRequire(import.meta.url).resolve('vite/package.json');
  const vite = join(dirname(vitePackage), JSON.parse(readFileSync(vitePackage, 'utf8')).bin.vite);
  const run = spawnSync(process.execPath, [vite, 'build', '--config', join(CONSOLE_DIR, 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (run.status !== 0) {
    process.stderr.write(`build: the console's build failed (exit ${run.status ?? run.signal}); nothing was started\n`);
    process.exit(run.status ?? 1);
  }
  writeFileSync(consoleStampPath, `${current}\n`);
  process.stderr.write(`build: console done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const current = inputsHash();
// `npm test` compiles everything (tests too) with the same options first, then records it here.
if (process.argv.includes('--record')) {
  writeFileSync(stampPath, `${current}\n`);
  buildConsoleIfStale();
  process.exit(0);
}
const built = existsSync(stampPath) && existsSync(join(root, 'dist', 'src', 'main.js')) ? readFileSync(stampPath, 'utf8').trim() : '';
if (built !== current) {
  process.stderr.write('build: the sources changed since the last build: compiling TypeScript …\n');
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (run.status !== 0) {
    process.stderr.write(`build: tsc failed (exit ${run.status ?? run.signal}); nothing was started\n`);
    process.exit(run.status ?? 1);
  }
  writeFileSync(stampPath, `${current}\n`);
  process.stderr.write(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
buildConsoleIfStale();
