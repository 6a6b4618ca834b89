#!/usr/bin/env node
/**
 * Builds the TypeScript (`tsc -p tsconfig.build.json`) only when its inputs changed since the
 * last build this script made: `npm start`, `npm run token` and the other commands that run the
 * built code call it first, so they start in a second instead of recompiling every time.
 *
 * The inputs are hashed (paths and contents of src/, scripts/, migrations/, bench/, the
 * tsconfigs and package-lock.json), not compared by modification time, which a checkout or
 * a copy can move either way. The hash of the last build is kept in dist/.build-hash;
 * `--record` only records it, after `npm test` compiled the same sources itself.
 * It writes nothing to standard output, so `TOKEN=$(npm run --silent token -- …)` holds the
 * token alone; what it does goes to standard error. Exits with tsc's status when a build fails.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const stampPath = join(root, 'dist', '.build-hash');
const DIRS = ['src', 'scripts', 'migrations', 'bench'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function inputsHash() {
  const files = [...DIRS.flatMap((d) => [...walk(join(root, d))]), ...FILES.map((f) => join(root, f)).filter((f) => existsSync(f))].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const current = inputsHash();
// `npm test` compiles everything (tests too) with the same options first, then records it here.
if (process.argv.includes('--record')) {
  writeFileSync(stampPath, `${current}\n`);
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
