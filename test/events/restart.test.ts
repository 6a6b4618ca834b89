import { Client } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until } from '../support/events';
import { withDatabase } from '../support/database';

/*
 * The database going away with subscribers open, as each hub sees a restart: every
 * connection cut, new ones refused for a while, then accepted again. (The shared test server
 * cannot really restart under the other test files, so this test cuts its own database off:
 * `allow_connections = false` and pg_terminate_backend on every session but its own.) Every
 * hub must reconnect its LISTEN connection and catch up from the log, so events written while
 * it was away still arrive, once each.
 */

const SUBSCRIBE = `subscription ($since: String) { alertEvents(since: $since) { cursor kind alert { id title } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { id version } }`;

describe('the database going away with subscribers open', () => {
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    // Hub b keeps its pool's connections open, as production does (HUB_DB_POOL_KEEP): every one
    // of them is cut, and its next requests must get connections that work.
    a = await startTestHub();
    b = await startTestHub({ shareDatabaseOf: a, trust: a.trust, env: { HUB_DB_POOL_KEEP: '3' } });
  });
  afterEach(disposeAll);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  test('loses nothing: events written while the hubs were cut off arrive after they reconnect', async () => {
    const gd = await a.token('GD');
    const created = (await b.gql(gd, CREATE, { input: alertInput({ title: 'before', distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    let alert = (await b.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert;
    const onA = await subscribe(a, await a.token('HK', ['OBSERVER']), SUBSCRIBE);
    const onB = await subscribe(b, await b.token('MO', ['OBSERVER']), SUBSCRIBE);
    alert = (await b.gql(gd, UPDATE, { id: alert.id, version: alert.version, input: { title: 'before the cut' } })).body.data.updateAlert;
    await onA.waitFor(1);
    await onB.waitFor(1);

    // The test's own session, opened before the cut, is the only one left.
    const sql = new Client({ connectionString: a.db.url });
    await sql.connect();
    const admin = new Client({ connectionString: withDatabase(a.db.url, 'postgres') });
    await admin.connect();
    try {
      await admin.query(`alter database ${a.db.name} with allow_connections false`);
      await sql.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      await until(() => !a.hub.stats().listening && !b.hub.stats().listening, 'both hubs to notice', 15_000);
      const ready = await fetch(a.url.replace('/graphql', '/readyz'));
      expect(ready.status).toBe(503);

      // Written while no hub can connect; they must still arrive, after the ones before.
      for (let i = 0; i < 3; i++) await sql.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [alert.id]);
      await new Promise((r) => setTimeout(r, 1000));
      expect(a.hub.stats().listening || b.hub.stats().listening).toBe(false);
    } finally {
      await admin.query(`alter database ${a.db.name} with allow_connections true`);
      await admin.end();
      await sql.end();
    }

    // The hub's own connections come back too: a change through the API works again.
    let updated: any;
    await until(async () => {
      const res = await a.gql(gd, UPDATE, { id: alert.id, version: alert.version, input: { title: 'after the cut' } });
      updated = res.body.data?.updateAlert;
      return Boolean(updated);
    }, 'the API to work again', 15_000);
    // Through b too, whose ten kept connections were all cut: no request fails on a dead one.
    for (let i = 0; i < 12; i++) {
      const read = await b.gql(gd, `query ($id: ID!) { alert(id: $id) { title } }`, { id: alert.id });
      expect(read.body).toEqual({ data: { alert: { title: 'after the cut' } } });
    }

    await onA.waitFor(5, 20_000);
    await onB.waitFor(5, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const s of [onA, onB]) {
      expect(s.errors).toEqual([]);
      expect(s.events().map((e) => e.kind)).toEqual(['UPDATED', 'UPDATED', 'UPDATED', 'UPDATED', 'UPDATED']);
      expect(s.events()[4].alert.title).toBe('after the cut');
      expect(new Set(s.events().map((e) => e.cursor)).size).toBe(5);
    }
    expect(onA.events().map((e) => e.cursor)).toEqual(onB.events().map((e) => e.cursor));
    await until(async () => (await fetch(a.url.replace('/graphql', '/readyz'))).status === 200, 'readiness again');
    const body = await (await fetch(b.url.replace('/graphql', '/readyz'))).json();
    expect(body).toMatchObject({ status: 'ready', eventFeed: 'listening' });
    onA.dispose();
    onB.dispose();
  }, 90_000);
});
