import { startTestHub, type GqlResponse, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, UPDATE, alertInput } from '../support/fixtures';

/*
 * More changes at once than the hub's request pool holds (pool size + 2), of every mutation
 * family: in the field trial twelve setOperationStatus calls on a pool of ten held every
 * connection while each waited for a second one, and the whole hub stood still for a minute.
 * Now each change runs on its transaction's connection alone: one of a burst on the same
 * version wins, the others are CONFLICT within seconds, and a partner's unrelated read is
 * answered meanwhile. The test hub's pool is small (3), so the burst is 5.
 */

const OP_FIELDS = `id status version`;
const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { ${OP_FIELDS} } }`;
const UPDATE_OP = `mutation ($id: ID!, $version: Int!, $input: UpdateJointOperationInput!) { updateJointOperation(id: $id, version: $version, input: $input) { ${OP_FIELDS} } }`;
const SET_STATUS = `mutation ($id: ID!, $version: Int!, $status: OperationStatus!) { setOperationStatus(id: $id, version: $version, status: $status) { ${OP_FIELDS} } }`;
const ADD_TASK = `mutation ($op: ID!, $input: OperationTaskInput!) { addOperationTask(operationId: $op, input: $input) { id } }`;
const LINK = `mutation ($op: ID!, $alert: ID!) { linkAlertToOperation(operationId: $op, alertId: $alert) { id } }`;
const REPORT = `mutation ($op: ID!, $input: OperationResultInput!) { reportOperationResult(operationId: $op, input: $input) { id correctsResultId } }`;
const TASKS = `query ($id: ID!) { jointOperation(id: $id) { tasks { id } results { id } } }`;
/** What a partner agency reads meanwhile, with nothing to do with the burst. */
const UNRELATED_READ = `query { alerts(first: 5) { totalCount } jointOperations(first: 5) { totalCount } }`;

type Res = GqlResponse<any>;

function ok(res: Res): any {
  if (res.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data;
}

let t: TestHub;
let gdCoord: string;
let gdAnalyst: string;
let hkObserver: string;
let burstSize: number;
let seq = 0;

beforeAll(async () => {
  t = await startTestHub();
  [gdCoord, gdAnalyst, hkObserver] = await Promise.all([t.token('GD', ['COORDINATOR']), t.token('GD', ['ANALYST']), t.token('HK', ['OBSERVER'])]);
  burstSize = t.hub.pools().request.size + 2;
});

afterAll(() => t?.stop());

interface Burst {
  /** Each change's response and how long it took. */
  results: { res: Res; ms: number }[];
  /** How long the partner's unrelated read took, sent with the burst. */
  readMs: number;
}

/** Sends `burstSize` changes at once and a partner's unrelated read with them. */
async function burst(change: (i: number) => Promise<Res>): Promise<Burst> {
  const timed = async <T>(f: () => Promise<T>) => {
    const started = Date.now();
    const value = await f();
    return { value, ms: Date.now() - started };
  };
  const changes = Promise.all(Array.from({ length: burstSize }, (_, i) => timed(() => change(i))));
  const read = timed(() => t.gql(hkObserver, UNRELATED_READ));
  const [results, r] = await Promise.all([changes, read]);
  ok(r.value);
  return { results: results.map((x) => ({ res: x.value, ms: x.ms })), readMs: r.ms };
}

/** The outcome of each response: 'ok' or its error code. */
const outcomes = (b: Burst) => b.results.map(({ res }) => (res.body.errors ? String(res.body.errors[0].extensions?.code) : 'ok'));

/** One wins, every other is CONFLICT, each answer within seconds, and the partner's read was not held up. */
function expectOneWinner(b: Burst): void {
  const o = outcomes(b);
  expect(o.filter((x) => x === 'ok')).toHaveLength(1);
  expect(o.filter((x) => x === 'CONFLICT')).toHaveLength(burstSize - 1);
  expectPrompt(b);
}

function expectPrompt(b: Burst): void {
  // Generous bounds: the stall these guard against lasted 60 s (knex's acquire timeout).
  for (const { ms } of b.results) expect(ms).toBeLessThan(15_000);
  expect(b.readMs).toBeLessThan(10_000);
}

async function plan(participants: string[] = ['HK']): Promise<{ id: string; version: number; status: string }> {
  return ok(
    await t.gql(gdCoord, CREATE_OP, {
      input: { codeName: `Burst ${Date.now().toString(36)}-${++seq}`, objective: 'Counterfeit goods on the key channels', participants, startsOn: '2026-03-01T00:00:00.000Z' },
    }),
  ).createJointOperation;
}

async function activate(op: { id: string; version: number }) {
  return ok(await t.gql(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' })).setOperationStatus;
}

test('the pool the burst outgrows is the one readiness reports', async () => {
  const ready = await fetch(t.url.replace(/\/graphql$/, '/readyz'));
  const body = (await ready.json()) as { pools: Record<string, unknown> };
  expect(body.pools.request).toMatchObject({ size: 3, waiting: 0 });
  expect(body.pools.event).toMatchObject({ size: 3, waiting: 0 });
  expect(burstSize).toBe(5);
});

test('setOperationStatus: of a burst on one version one wins and the others are CONFLICT within seconds', async () => {
  const op = await plan();
  const b = await burst(() => t.gql(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' }));
  expectOneWinner(b);
});

test('setOperationStatus on as many different operations at once, by one COORDINATOR, all succeed within seconds', async () => {
  const ops = await Promise.all(Array.from({ length: burstSize }, () => plan()));
  const b = await burst((i) => t.gql(gdCoord, SET_STATUS, { id: ops[i].id, version: ops[i].version, status: 'ACTIVE' }));
  expect(outcomes(b)).toEqual(Array(burstSize).fill('ok'));
  expectPrompt(b);
});

test('updateJointOperation: of a burst on one version one wins and the others are CONFLICT within seconds', async () => {
  const op = await plan();
  const b = await burst((i) => t.gql(gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { objective: `Objective ${i}` } }));
  expectOneWinner(b);
});

test('addOperationTask: a burst on one operation adds every task within seconds (tasks carry no version)', async () => {
  const op = await plan();
  const b = await burst((i) => t.gql(gdCoord, ADD_TASK, { op: op.id, input: { assignedAgency: 'HK', title: `Task ${i}` } }));
  expect(outcomes(b)).toEqual(Array(burstSize).fill('ok'));
  expectPrompt(b);
  expect(ok(await t.gql(gdCoord, TASKS, { id: op.id })).jointOperation.tasks).toHaveLength(burstSize);
});

test('reportOperationResult with alertIds: of a burst correcting one result one wins and the others are CONFLICT within seconds', async () => {
  const op = await activate(await plan());
  const draft = ok(await t.gql(gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
  const alert = ok(await t.gql(gdAnalyst, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;
  ok(await t.gql(gdAnalyst, LINK, { op: op.id, alert: alert.id }));
  const seizure = { category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 10 };
  const first = ok(await t.gql(gdAnalyst, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [seizure], alertIds: [alert.id] } })).reportOperationResult;
  const b = await burst((i) =>
    t.gql(gdAnalyst, REPORT, { op: op.id, input: { casesOpened: 2, seizures: [{ ...seizure, pieces: 20 + i }], alertIds: [alert.id], correctsResultId: first.id } }),
  );
  expectOneWinner(b);
  expect(ok(await t.gql(gdCoord, TASKS, { id: op.id })).jointOperation.results).toHaveLength(2);
});

test('reportOperationResult with alertIds: a burst of new results on one operation all land within seconds', async () => {
  const op = await activate(await plan());
  const draft = ok(await t.gql(gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
  const alert = ok(await t.gql(gdAnalyst, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;
  ok(await t.gql(gdAnalyst, LINK, { op: op.id, alert: alert.id }));
  const b = await burst((i) =>
    t.gql(gdAnalyst, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [{ category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 5 + i }], alertIds: [alert.id] } }),
  );
  expect(outcomes(b)).toEqual(Array(burstSize).fill('ok'));
  expectPrompt(b);
});

test('updateAlert: of a burst on one version one wins and the others are CONFLICT within seconds', async () => {
  const draft = ok(await t.gql(gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
  const alert = ok(await t.gql(gdAnalyst, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;
  const b = await burst((i) => t.gql(gdAnalyst, UPDATE, { id: alert.id, version: alert.version, input: { title: `Title ${i}` } }));
  expectOneWinner(b);
});

test('publishAlert: of a burst on one draft one wins and the others are CONFLICT within seconds', async () => {
  const draft = ok(await t.gql(gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
  const b = await burst(() => t.gql(gdAnalyst, PUBLISH, { id: draft.id, version: draft.version }));
  expectOneWinner(b);
});

test('the wait of each checkout from a pool is in the metrics, by pool', async () => {
  const text = await (await fetch(t.url.replace(/\/graphql$/, '/metrics'))).text();
  const count = Number(text.match(/^hub_db_pool_acquire_wait_seconds_count\{pool="request"\} (\d+)/m)?.[1]);
  expect(count).toBeGreaterThan(0);
  expect(text).toMatch(/^hub_db_pool_connections\{pool="request",state="waiting"\} 0$/m);
  expect(text).toMatch(/^hub_db_pool_connections\{pool="event",state="used"\} \d+$/m);
});
