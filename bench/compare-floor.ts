/**
 * The floor server of `npm run bench:compare`: node:http and pg, no GraphQL, no token check,
 * replaying the hub's own SQL and printing the rows as JSON. Nothing it runs is written by hand.
 *
 * How the SQL is captured (bench/compare.ts): each benchmark query is sent once to an
 * in-process hub (startHub from src/server.ts) on the benchmark's database, with the hub's
 * statement listener (`onQuery`, MikroORM's query log, src/db/orm.ts). The listener's lines
 * keep the parameters of raw statements as placeholders ($1, …), so the same process also
 * records what node-postgres is asked to send (pg.Client#query: text and bound values); the
 * capture fails unless both see the same number of statements. The floor runs those statements
 * with those values, in order, on one pooled connection per request (the hub's access-log insert
 * included, one per request: the hub groups those of concurrent requests), under the names the
 * hub gave them (prepared statements), and answers with the rows of each. The page's parameters (the limit, the HK
 * agency code, the alert id, the search) are part of the capture: one per query shape and page.
 *
 * Usage (started by compare.ts): node dist/bench/compare-floor.js <capture.json> <port> <databaseUrl> <poolSize>
 * GET /q/<name> runs the statements captured for <name>; GET /readyz answers 200.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { SESSION_OPTIONS } from '../src/db/sql';

async function run(): Promise<void> {
  const [capturePath, port, databaseUrl, poolSize] = process.argv.slice(2);
  const captured = JSON.parse(readFileSync(capturePath, 'utf8')) as Record<string, { name?: string; text: string; values: unknown[] }[]>;
  // The hub's session settings: its named statements are planned as the hub's are.
  const pool = new Pool({ connectionString: databaseUrl, max: Number(poolSize) || 10, options: SESSION_OPTIONS });
  const server = createServer((req, res) => {
    if (req.url === '/readyz') return void res.writeHead(200).end('ok');
    const statements = req.url?.startsWith('/q/') ? captured[decodeURIComponent(req.url.slice(3))] : undefined;
    if (!statements) return void res.writeHead(404).end();
    void (async () => {
      const client = await pool.connect();
      try {
        const results: unknown[][] = [];
        // Named statements as the hub names them: parsed and planned once per connection.
        for (const s of statements) results.push((await client.query(s.name ? { name: s.name, text: s.text, values: s.values } : { text: s.text, values: s.values })).rows);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(results));
      } catch (e) {
        // A failed statement inside a captured transaction must not leave the connection in it.
        await client.query('rollback').catch(() => undefined);
        res.writeHead(500).end(String(e instanceof Error ? e.message : e));
      } finally {
        client.release();
      }
    })();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(port), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
