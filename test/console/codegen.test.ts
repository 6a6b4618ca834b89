import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const COMMITTED = join(ROOT, 'src', 'console', 'gql');

describe('the console\'s GraphQL types', () => {
  test('src/console/gql is what codegen makes from schema/schema.graphql and the console\'s documents (run `npm run console:codegen` after a change)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gba-console-gql-'));
    try {
      // A child process (the generator is an ES module); async, never spawnSync beside a hub.
      const status = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [join(ROOT, 'scripts', 'console-codegen.mjs'), '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`console codegen failed (${code}): ${stderr}`))));
      });
      expect(status).toBe(0);
      const files = readdirSync(out).sort();
      expect(files).toEqual(readdirSync(COMMITTED).sort());
      for (const f of files) expect([f, readFileSync(join(COMMITTED, f), 'utf8')]).toEqual([f, readFileSync(join(out, f), 'utf8')]);
      // The operations are typed from the schema: the shell's viewer query is there, with its roles.
      expect(readFileSync(join(out, 'graphql.ts'), 'utf8')).toMatch(/export type ConsoleViewerQuery = .*roles: Array<Role>/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
