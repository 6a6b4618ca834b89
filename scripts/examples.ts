/**
 * Runs the worked examples of docs/examples/ against a running hub in development mode, with
 * tokens from its development keys (as `npm run token` mints them), printing every answer:
 *   npm run --silent examples -- [--url http://localhost:4000/graphql] [analyst coordinator …]
 * Without story names it runs them all. Stops at the first step that fails, with exit code 1.
 * The stories create their own alerts and operations: on a hub that keeps its data, the
 * coordinator story's code name must be changed before it runs a second time.
 */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Role } from '../src/common/enums';
import { ensureDevIdentity, mintDevToken } from '../src/identity/dev-identity';
import { loadStories, runStory, type ExampleClient, type OpenSubscription, type Payload } from './example-stories';

/**
 * A running hub does not say when it holds a subscription; this long after the socket is
 * acknowledged it does, on a development machine. (The test knows it from the hub itself.)
 */
const SUBSCRIBE_SETTLE_MS = 1000;

function client(url: string, dataDir: string): ExampleClient {
  return {
    token: (agency, roles) => mintDevToken(dataDir, { agency, roles: roles as Role[], ttlSeconds: 900 }),
    async request(token, query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as Payload;
    },
    async subscribe(token, query, variables) {
      let connected!: () => void;
      const ready = new Promise<void>((r) => (connected = r));
      const ws = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
        on: { connected: () => connected() },
      });
      const sub: OpenSubscription = {
        results: [],
        errors: [],
        async waitFor(n, timeoutMs) {
          const deadline = Date.now() + timeoutMs;
          while (sub.results.length < n) {
            if (sub.errors.length || Date.now() > deadline) throw new Error(`${n} event(s) expected, ${sub.results.length} arrived`);
            await sleep(50);
          }
        },
        dispose: () => void ws.dispose(),
      };
      ws.subscribe({ query, variables }, { next: (v) => void sub.results.push(v as Payload), error: (e) => void sub.errors.push(e), complete: () => undefined });
      await Promise.race([ready, sleep(10_000).then(() => Promise.reject(new Error(`no WebSocket connection to ${url}`)))]);
      await sleep(SUBSCRIBE_SETTLE_MS);
      return sub;
    },
  };
}

async function run(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { url: { type: 'string', default: 'http://localhost:4000/graphql' } },
    allowPositionals: true,
  });
  const dataDir = resolve(process.env.HUB_DATA_DIR?.trim() || '.data');
  await ensureDevIdentity(dataDir);
  const stories = loadStories(resolve('docs/examples'));
  const unknown = positionals.filter((p) => !stories.some((s) => s.role === p));
  if (unknown.length) throw new Error(`no story ${unknown.join(', ')}; there are ${stories.map((s) => s.role).join(', ')}`);
  const hub = client(values.url!, dataDir);
  for (const story of stories.filter((s) => positionals.length === 0 || positionals.includes(s.role))) {
    await runStory(hub, story, (step, result) => {
      console.log(`\n== ${story.role}/${step.file}  (as ${step.agency} ${step.roles.join(', ')})`);
      console.log(JSON.stringify(result, null, 2));
    });
    console.log(`\n${story.role}: ${story.steps.length} steps ran as expected`);
  }
}

run().then(
  () => process.exit(0),
  (e) => {
    console.error(`examples: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
