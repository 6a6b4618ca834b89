import { Client } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until } from '../support/events';

/*
 * Live delivery does not queue behind request traffic: the event path renders on a pool of its
 * own (HUB_DB_EVENT_POOL_SIZE). Here every connection of the request pool is held by changes
 * waiting on a lock, with more changes queued for the pool, and an event written meanwhile
 * still reaches a partner's subscriber, with its access-log row.
 */

const SUBSCRIBE = `subscription { alertEvents { kind alert { id title } } }`;
const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id version } }`;
const SET_STATUS = `mutation ($id: ID!, $version: Int!, $status: OperationStatus!) { setOperationStatus(id: $id, version: $version, status: $status) { id version } }`;
const REPORT = `mutation ($op: ID!, $input: OperationResultInput!) { reportOperationResult(operationId: $op, input: $input) { id } }`;
const ACCESS_LOG = `query ($a: ID!) { alertAccessLog(alertId: $a, first: 100) { totalCount edges { node { agency { code } via } } } }`;

let t: TestHub;
let gd: string;
let sql: Client;

beforeAll(async () => {
  t = await startTestHub();
  gd = await t.token('GD');
  sql = new Client({ connectionString: t.db.url });
  await sql.connect();
});
afterEach(disposeAll);
afterAll(async () => {
  await sql?.end();
  await t?.stop();
});

async function published(title: string) {
  const draft = (await t.gql(gd, CREATE, { input: alertInput({ title, distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
  return (await t.gql(gd, PUBLISH, { id: draft.id, version: draft.version })).body.data.publishAlert;
}

async function requestPoolWaiting(): Promise<number> {
  const text = await (await fetch(t.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(text.match(/^hub_db_pool_connections\{pool="request",state="waiting"\} (\d+)$/m)?.[1] ?? 0);
}

test('an event reaches a partner promptly while every request connection is held and more requests wait for one', async () => {
  const coordinator = await t.token('GD', ['COORDINATOR']);
  const planned = (
    await t.gql(coordinator, CREATE_OP, { input: { codeName: 'Held pool', objective: 'Hold the request pool', participants: ['HK'], startsOn: '2026-03-01T00:00:00.000Z' } })
  ).body.data.createJointOperation;
  const op = (await t.gql(coordinator, SET_STATUS, { id: planned.id, version: planned.version, status: 'ACTIVE' })).body.data.setOperationStatus;
  const other = await published('Announced meanwhile');
  const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE);

  // Another session holds the lock every result report takes first in its transaction: each
  // report waits holding its pooled connection, and those beyond the pool's size wait for one.
  // (A lock that takes no transaction id: a row lock would hold back the event log itself.)
  const holder = new Client({ connectionString: t.db.url });
  await holder.connect();
  let reports: Promise<unknown>[] = [];
  try {
    await holder.query('select pg_advisory_lock(hashtext($1))', ['operation-result-totals']);
    const size = t.hub.pools().request.size;
    reports = Array.from({ length: size + 2 }, () => t.gql(gd, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [] } }));
    // Waiting counts checkouts whose connection is still being opened too: the pool is full when all are used.
    await until(async () => t.hub.pools().request.used === size && (await requestPoolWaiting()) >= 1, 'a full request pool with requests waiting');

    // The event is written without the request pool (which is full): as a writer on another hub would.
    await sql.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [other.id]);
    await until(() => hk.events().some((e) => e.alert?.id === other.id), 'the event to reach the subscriber while the request pool is full', 8_000);
    expect(hk.events().find((e) => e.alert?.id === other.id)).toMatchObject({ kind: 'UPDATED', alert: { title: 'Announced meanwhile' } });
    // Still full: the delivery did not wait for it to drain.
    expect(t.hub.pools().request.used).toBe(size);
    expect(await requestPoolWaiting()).toBeGreaterThanOrEqual(1);
  } finally {
    await holder.query('select pg_advisory_unlock_all()').catch(() => undefined);
    await holder.end();
  }
  // Released, the reports all land.
  for (const r of await Promise.all(reports)) expect((r as any).body.errors).toBeUndefined();
  // The delivery's access-log row was written on the event path's pool.
  await until(async () => {
    const log = (await t.gql(gd, ACCESS_LOG, { a: other.id })).body.data.alertAccessLog;
    return log.edges.some((e: any) => e.node.agency.code === 'HK' && e.node.via === 'subscription');
  }, 'the subscription read in the access log');
});
