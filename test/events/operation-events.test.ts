import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, type Subscriber } from '../support/events';

/*
 * operationEvents: every change of a joint operation reaches its participants' subscribers,
 * in order, with the result for RESULT_REPORTED; a non-participant hears nothing, not even
 * that an operation exists.
 */

const SUBSCRIBE = `subscription ($op: ID, $since: String) {
  operationEvents(operationId: $op, since: $since) {
    cursor kind occurredAt
    operation { id codeName status participants { code } tasks { title status } }
    result { id casesOpened reportingAgency { code } seizures { pieces } }
  }
}`;
const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id version } }`;
const UPDATE_OP = `mutation ($id: ID!, $version: Int!, $input: UpdateJointOperationInput!) { updateJointOperation(id: $id, version: $version, input: $input) { id version } }`;
const SET_STATUS = `mutation ($id: ID!, $version: Int!, $status: OperationStatus!) { setOperationStatus(id: $id, version: $version, status: $status) { id version } }`;
const ADD_TASK = `mutation ($op: ID!, $input: OperationTaskInput!) { addOperationTask(operationId: $op, input: $input) { id } }`;
const SET_TASK = `mutation ($id: ID!, $status: TaskStatus!) { setTaskStatus(taskId: $id, status: $status) { id } }`;
const LINK = `mutation ($op: ID!, $alert: ID!) { linkAlertToOperation(operationId: $op, alertId: $alert) { id } }`;
const REPORT = `mutation ($op: ID!, $input: OperationResultInput!) { reportOperationResult(operationId: $op, input: $input) { id } }`;

describe('operationEvents', () => {
  let t: TestHub;
  let gdCoord: string;
  beforeAll(async () => {
    t = await startTestHub();
    gdCoord = await t.token('GD', ['COORDINATOR']);
  });
  afterEach(disposeAll);
  afterAll(() => t.stop());

  async function ok(token: string, query: string, variables: Record<string, unknown>) {
    const res = await t.gql(token, query, variables);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }
  const settle = () => new Promise((r) => setTimeout(r, 400));
  const kinds = (s: Subscriber) => s.events().map((e) => e.kind);

  test('participants get every change in order, with the result reported; a non-participant gets nothing', async () => {
    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE);
    const mo = await subscribe(t, await t.token('MO', ['COORDINATOR']), SUBSCRIBE);

    let op = (await ok(gdCoord, CREATE_OP, { input: { codeName: 'Pearl Gate', objective: 'secret objective', participants: ['HK'], startsOn: new Date().toISOString() } })).createJointOperation;
    op = (await ok(gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { objective: 'still secret' } })).updateJointOperation;
    op = (await ok(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' })).setOperationStatus;
    const task = (await ok(gdCoord, ADD_TASK, { op: op.id, input: { assignedAgency: 'HK', title: 'board MV Pearl' } })).addOperationTask;
    await ok(await t.token('HK', ['ANALYST']), SET_TASK, { id: task.id, status: 'IN_PROGRESS' });
    const gdAnalyst = await t.token('GD', ['ANALYST']);
    const created = (await ok(gdAnalyst, CREATE, { input: alertInput({ title: 'linked alert' }) })).createAlert;
    const alert = (await ok(gdAnalyst, PUBLISH, { id: created.id, version: created.version })).publishAlert;
    await ok(gdAnalyst, LINK, { op: op.id, alert: alert.id });
    // Linking again changes nothing and is not announced twice.
    await ok(gdAnalyst, LINK, { op: op.id, alert: alert.id });
    const result = (
      await ok(gdAnalyst, REPORT, {
        op: op.id,
        input: { casesOpened: 2, seizures: [{ category: 'AUDIO_EQUIPMENT', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 29500 }], alertIds: [alert.id] },
      })
    ).reportOperationResult;

    await hk.waitFor(7);
    await settle();
    expect(kinds(hk)).toEqual(['CREATED', 'UPDATED', 'STATUS_CHANGED', 'TASK_CHANGED', 'TASK_CHANGED', 'ALERT_LINKED', 'RESULT_REPORTED']);
    const last = hk.events()[6];
    expect(last.result).toEqual({ id: result.id, casesOpened: 2, reportingAgency: { code: 'GD' }, seizures: [{ pieces: 29500 }] });
    expect(last.operation).toMatchObject({ id: op.id, status: 'ACTIVE', tasks: [{ title: 'board MV Pearl', status: 'IN_PROGRESS' }] });
    expect(hk.events().slice(0, 6).every((e) => e.result === null)).toBe(true);
    expect(new Set(hk.events().map((e) => e.cursor)).size).toBe(7);

    expect(mo.results).toEqual([]);
    hk.dispose();
    mo.dispose();
  });

  test('a participant removed hears nothing more; one added hears from then on', async () => {
    let op = (await ok(gdCoord, CREATE_OP, { input: { codeName: 'Delta Wind', objective: 'x', participants: ['HK'], startsOn: new Date().toISOString() } })).createJointOperation;
    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE, { op: op.id });
    const mo = await subscribe(t, await t.token('MO', ['OBSERVER']), SUBSCRIBE);
    op = (await ok(gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { participants: ['MO'] } })).updateJointOperation;
    op = (await ok(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' })).setOperationStatus;
    await mo.waitFor(2);
    await settle();
    // The change that removed HK is not shown to HK: at delivery it no longer takes part.
    expect(hk.results).toEqual([]);
    expect(kinds(mo)).toEqual(['UPDATED', 'STATUS_CHANGED']);
    expect(mo.events()[1].operation.participants.map((p: { code: string }) => p.code).sort()).toEqual(['GD', 'MO']);
    hk.dispose();
    mo.dispose();
  });

  test("operationId narrows to one operation; another agency's operation is NOT_FOUND, as is an unknown one", async () => {
    const a = (await ok(gdCoord, CREATE_OP, { input: { codeName: 'Alpha', objective: 'x', participants: ['HK'], startsOn: new Date().toISOString() } })).createJointOperation;
    const b = (await ok(gdCoord, CREATE_OP, { input: { codeName: 'Bravo', objective: 'x', participants: ['HK'], startsOn: new Date().toISOString() } })).createJointOperation;
    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE, { op: b.id });
    await ok(gdCoord, SET_STATUS, { id: a.id, version: a.version, status: 'ACTIVE' });
    await ok(gdCoord, SET_STATUS, { id: b.id, version: b.version, status: 'ACTIVE' });
    await hk.waitFor(1);
    await settle();
    expect(hk.events().map((e) => e.operation.codeName)).toEqual(['Bravo']);
    hk.dispose();

    const moToken = await t.token('MO', ['COORDINATOR']);
    const hidden = await subscribe(t, moToken, SUBSCRIBE, { op: a.id });
    const unknown = await subscribe(t, moToken, SUBSCRIBE, { op: '01234567-89ab-7def-8123-456789abcdef' });
    await hidden.waitFor(1);
    await unknown.waitFor(1);
    expect(hidden.results[0].errors[0].extensions.code).toBe('NOT_FOUND');
    // The same answer, word for word, apart from the id.
    expect(hidden.results[0].errors[0].message.replace(a.id, 'ID')).toBe(unknown.results[0].errors[0].message.replace('01234567-89ab-7def-8123-456789abcdef', 'ID'));
    const malformed = await subscribe(t, moToken, SUBSCRIBE, { op: 'nope' });
    await malformed.waitFor(1);
    expect(malformed.results[0].errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'operationId' });
  });

  test('resume from a cursor replays the operation events missed', async () => {
    let op = (await ok(gdCoord, CREATE_OP, { input: { codeName: 'Echo', objective: 'x', participants: ['HK'], startsOn: new Date().toISOString() } })).createJointOperation;
    const token = await t.token('HK', ['OBSERVER']);
    const first = await subscribe(t, token, SUBSCRIBE, { op: op.id });
    op = (await ok(gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { objective: 'y' } })).updateJointOperation;
    await first.waitFor(1);
    first.dispose();
    op = (await ok(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' })).setOperationStatus;
    await ok(gdCoord, ADD_TASK, { op: op.id, input: { assignedAgency: 'HK', title: 'watch' } });
    const again = await subscribe(t, token, SUBSCRIBE, { op: op.id, since: first.events()[0].cursor });
    await again.waitFor(2);
    await settle();
    expect(kinds(again)).toEqual(['STATUS_CHANGED', 'TASK_CHANGED']);
    again.dispose();
  });
});
