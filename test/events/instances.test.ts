import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until } from '../support/events';
import { createTestDatabase } from '../support/database';
import { TestTrust } from '../support/identity';

/*
 * Several hubs on one PostgreSQL, and the log's ordering under concurrent writers: a
 * transaction that takes its sequence number early and commits late must not be skipped by a
 * reader that already moved past later numbers.
 */

const SUBSCRIBE = `subscription ($since: String) { alertEvents(since: $since) { cursor kind alert { id } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { id version } }`;

describe('several hub instances on one database', () => {
  let a: TestHub;
  let b: TestHub;
  let gd: string;
  beforeAll(async () => {
    a = await startTestHub();
    b = await startTestHub({ shareDatabaseOf: a, trust: a.trust });
    gd = await a.token('GD');
  });
  afterEach(disposeAll);
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  async function sharedAlert(title: string) {
    const created = (await a.gql(gd, CREATE, { input: alertInput({ title, distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    return (await a.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert as { id: string; version: number };
  }

  test('a change made through one hub reaches subscribers of the other, and each hub reads the log once', async () => {
    const hk = await subscribe(b, await b.token('HK', ['OBSERVER']), SUBSCRIBE);
    const onA = await subscribe(a, await a.token('MO', ['OBSERVER']), SUBSCRIBE);
    const alert = await sharedAlert('across instances');
    const updated = (await b.gql(gd, UPDATE, { id: alert.id, version: alert.version, input: { title: 'changed through B' } })).body.data.updateAlert;
    expect(updated.version).toBe(alert.version + 1);
    await hk.waitFor(2);
    await onA.waitFor(2);
    expect(hk.events().map((e) => e.kind)).toEqual(['PUBLISHED', 'UPDATED']);
    expect(onA.events().map((e) => e.cursor)).toEqual(hk.events().map((e) => e.cursor));
    hk.dispose();
    onA.dispose();
  });

  test('20 concurrent writers committing out of order: a continuous reader and one resuming at random points miss nothing and repeat nothing', async () => {
    const alerts = await Promise.all([1, 2, 3, 4].map((i) => sharedAlert(`concurrency ${i}`)));
    const ids = alerts.map((x) => x.id);
    const token = await a.token('HK', ['OBSERVER']);
    const witness = await subscribe(b, token, SUBSCRIBE);
    // The resuming reader's first subscription starts before the writers, like the witness.
    let current: Awaited<ReturnType<typeof subscribe>> | undefined = await subscribe(a, token, SUBSCRIBE);

    let writing = true;
    const writers = Array.from({ length: 20 }, async (_, w) => {
      const sql = new Client({ connectionString: a.db.url });
      await sql.connect();
      try {
        for (let i = 0; i < 20; i++) {
          await sql.query('begin');
          // The row takes its id (and transaction id) now; the commit comes after a random pause.
          for (let n = 0; n < 1 + ((w + i) % 2); n++) {
            await sql.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [ids[(w + i + n) % ids.length]]);
          }
          await sql.query(`select pg_sleep($1)`, [Math.random() * 0.03]);
          await sql.query(Math.random() < 0.15 ? 'rollback' : 'commit');
        }
      } finally {
        await sql.end();
      }
    });
    const allWritten = Promise.all(writers).then(() => {
      writing = false;
    });

    // The resuming reader leaves after a random number of events and comes back through either hub.
    const got: string[] = [];
    let expected: string[] | undefined;
    let round = 0;
    while (writing || expected === undefined || got.length < expected.length) {
      if (!writing && expected === undefined) {
        const sql = new Client({ connectionString: a.db.url });
        await sql.connect();
        const rows = (await sql.query(`select e.tx::text as tx, e.id::text as id from hub_event e where e.alert_id = any($1::uuid[]) and e.kind = 'UPDATED' order by e.tx, e.id`, [ids])).rows;
        await sql.end();
        expected = rows.map((r) => a.hub.eventCursors.encode({ tx: BigInt(r.tx), id: BigInt(r.id) }));
      }
      const hub = round++ % 2 ? a : b;
      const s = current ?? (await subscribe(hub, token, SUBSCRIBE, { since: got[got.length - 1] }));
      current = undefined;
      const take = 1 + Math.floor(Math.random() * 12);
      const enough = () => s.results.length >= take || (expected !== undefined && got.length + s.results.length >= expected.length);
      // While writers run, a quiet moment may come before `take` events; after, the rest must come.
      if (got.length === 0 || expected !== undefined) await until(enough, 'events for the resuming reader', 20_000);
      else await until(() => enough() || !writing, 'events for the resuming reader', 20_000);
      const seen = s.results.slice();
      s.dispose();
      for (const r of seen) {
        expect(r.errors).toBeUndefined();
        got.push(r.data.alertEvents.cursor);
      }
      if (round > 500) throw new Error(`the resuming reader is stuck at ${got.length} of ${expected?.length}`);
    }
    await allWritten;

    expect(expected!.length).toBeGreaterThan(300);
    const missing = expected!.filter((c) => !got.includes(c));
    const extra = got.filter((c, i) => !expected!.includes(c) || got.indexOf(c) !== i);
    const decode = (c: string) => a.hub.eventCursors.decode(c);
    expect({ missing: missing.map(decode), extra: extra.map(decode) }).toEqual({ missing: [], extra: [] });
    expect(got).toEqual(expected);
    await witness.waitFor(expected!.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(witness.events().map((e) => e.cursor)).toEqual(expected);
    witness.dispose();
  }, 120_000);

  test('hubs starting together on a fresh database settle on one cursor secret: each opens the others\' cursors', async () => {
    const db = await createTestDatabase();
    const trust = await TestTrust.create();
    const hubs = await Promise.all([1, 2, 3].map(() => startTestHub({ databaseUrl: db.url, trust })));
    try {
      const sql = new Client({ connectionString: db.url });
      await sql.connect();
      const rows = (await sql.query(`select count(*)::int as n from hub_secret`)).rows;
      await sql.end();
      expect(rows[0].n).toBe(1);
      const p = { tx: 123456n, id: 789n };
      const sealed = hubs.map((h) => h.hub.eventCursors.encode(p));
      expect(new Set(sealed).size).toBe(1);
      for (const h of hubs) expect(h.hub.eventCursors.decode(sealed[0])).toEqual(p);
      // Another database has a secret of its own.
      expect(a.hub.eventCursors.encode(p)).not.toBe(sealed[0]);
    } finally {
      for (const h of hubs) await h.stop();
      await db.drop();
      rmSync(trust.dir, { recursive: true, force: true });
    }
  });
});
