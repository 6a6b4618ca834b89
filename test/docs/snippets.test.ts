import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/common/logger';
import { Role } from '../../src/common/enums';
import { mintDevToken } from '../../src/identity/dev-identity';
import { startHub, type Hub } from '../../src/server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';

/**
 * Every command and program in the README and docs/ is run here as printed, against a hub
 * on development identity, so that none can rot. The one change made to a snippet is the
 * address: `localhost:4000` becomes the test hub's. A block that cannot run inside the test
 * suite says why in a `<!-- readme-test: not run (…) -->` line just above it.
 */

const ROOT = join(__dirname, '..', '..');
const RUNNABLE = new Set(['sh', 'bash', 'js']);

interface Snippet {
  file: string;
  line: number;
  lang: string;
  code: string;
  notRun?: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Fences may be indented (a block inside a list item): its lines lose that indent.
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimStart().startsWith('```'));
    const [, indent, lang] = open;
    if (RUNNABLE.has(lang)) {
      const marker = /^<!-- readme-test: not run \((.+)\) -->$/.exec((lines[i - 1] ?? '').trim());
      const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
      found.push({ file, line: i + 1, lang, code, notRun: marker?.[1] });
    }
    i = end;
  }
  return found;
}

const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const SNIPPETS = FILES.flatMap(snippetsOf);
/** Where the deployment guide's backup commands start (run by test/process/backup-restore.test.ts instead). */
const DEPLOYMENT_BACKUP_LINE = readFileSync(join(ROOT, 'docs', 'deployment.md'), 'utf8').split('\n').findIndex((l) => l.includes('pg_dump --format=custom --no-owner'));

describe('the snippets of the README and docs/, run as printed', () => {
  let hub: Hub;
  let db: TestDatabase;
  let address: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-snippets-'));
  const scratch = join(ROOT, '.test-data', `snippets-${process.pid}`);
  const env = () => ({ ...process.env, HUB_DATA_DIR: dataDir, NODE_ENV: 'development' });

  beforeAll(async () => {
    db = await createTestDatabase();
    // No trust file: development identity with its keys in dataDir, as `npm start` has, so that
    // `npm run token` in a snippet mints what this hub trusts.
    hub = await startHub(
      loadConfig({ DATABASE_URL: db.url, PORT: '0', HUB_DATA_DIR: dataDir, HUB_DEMO_DATA: 'false', NODE_ENV: 'test', LOG_LEVEL: 'silent', HUB_DB_POOL_KEEP: '0' }),
      { log: createLogger('silent'), progress: () => undefined },
    );
    address = new URL(hub.url).host;
    mkdirSync(scratch, { recursive: true });
    // `npm test` records its build, so this builds nothing there; run alone, jest may find dist stale.
    expect(spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'ignore' }).status).toBe(0);
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  const local = (code: string) => code.replaceAll('localhost:4000', address);

  test('every runnable block is run or says why not, and the README has the ones a newcomer needs', () => {
    expect(SNIPPETS.filter((s) => s.notRun).map((s) => `${s.file}:${s.line}: ${s.notRun}`)).toEqual([
      'README.md:20: the install and the test suite are what CI runs around this test',
      `docs/deployment.md:${DEPLOYMENT_BACKUP_LINE}: needs a database server and its credentials; test/process/backup-restore.test.ts runs these commands`,
    ]);
    const readme = SNIPPETS.filter((s) => s.file === 'README.md' && !s.notRun);
    expect(readme.map((s) => s.lang)).toEqual(['sh', 'sh', 'js']);
  });

  test.each(SNIPPETS.filter((s) => s.lang !== 'js' && !s.notRun).map((s) => [`${s.file}:${s.line}`, s] as const))(
    'shell %s exits 0 and every GraphQL answer in its output is free of errors',
    async (_where, snippet) => {
      // Not spawnSync: the hub answering the snippet runs in this process.
      const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-euo', 'pipefail', '-c', local(snippet.code)], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout.trim()).not.toBe('');
      for (const line of run.stdout.split('\n').filter((l) => l.startsWith('{'))) {
        const body = JSON.parse(line);
        expect(body.errors).toBeUndefined();
        expect(body.data).toBeDefined();
      }
      // A snippet that publishes shows the alert published.
      if (snippet.code.includes('publishAlert')) expect(run.stdout).toContain('"status":"PUBLISHED"');
    },
  );

  test.each(SNIPPETS.filter((s) => s.lang === 'js' && !s.notRun).map((s) => [`${s.file}:${s.line}`, s] as const))(
    'program %s receives a partner alert published while it runs',
    async (_where, snippet) => {
      const file = join(scratch, `snippet-${snippet.line}.mjs`);
      writeFileSync(file, local(snippet.code));
      const token = await mintDevToken(dataDir, { agency: 'HK', roles: [Role.ANALYST], ttlSeconds: 600 });
      const child = spawn(process.execPath, [file], { cwd: ROOT, env: { ...env(), TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      try {
        const deadline = Date.now() + 20_000;
        while (hub.stats().subscriptions < 1) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the program did not subscribe: ${err}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const gd = await mintDevToken(dataDir, { agency: 'GD', roles: [Role.ANALYST], ttlSeconds: 600 });
        const post = async (query: string, variables: Record<string, unknown>) =>
          (await (await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gd}` }, body: JSON.stringify({ query, variables }) })).json()) as any;
        const created = (await post(CREATE, { input: alertInput({ title: 'Seen by the README program', distribution: { scope: 'ALL_PARTNERS' } }) })).data.createAlert;
        await post(PUBLISH, { id: created.id, version: created.version });
        while (!out.includes('Seen by the README program')) {
          if (Date.now() > deadline + 10_000) throw new Error(`no event printed: ${out} ${err}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const line = out.split('\n').find((l) => l.includes('Seen by the README program'))!;
        expect(JSON.parse(line).alertEvents).toMatchObject({ kind: 'PUBLISHED', alert: { title: 'Seen by the README program' } });
        expect(err).toBe('');
      } finally {
        child.kill();
      }
    },
  );
});
