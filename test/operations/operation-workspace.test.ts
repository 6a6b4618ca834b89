import { startTestHub, type GqlResponse, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe } from '../support/events';
import { TEST_AGENCIES, TestTrust } from '../support/identity';

/*
 * What the console's operations workspace asks of the hub beyond planning and reporting:
 * searching one's operations, taking a linked alert off an operation, and statistics by week
 * and month. Each keeps an operation invisible to agencies that do not take part in it.
 */

const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id version codeName } }`;
const SET_STATUS = `mutation ($id: ID!, $version: Int!, $status: OperationStatus!) { setOperationStatus(id: $id, version: $version, status: $status) { id version status } }`;
const SEARCH = `query ($search: String, $status: [OperationStatus!]) { jointOperations(first: 100, search: $search, status: $status) { totalCount edges { node { id codeName } } } }`;
const LINK = `mutation ($op: ID!, $alert: ID!) { linkAlertToOperation(operationId: $op, alertId: $alert) { id alerts(first: 100) { totalCount edges { node { id } } } } }`;
const UNLINK = `mutation ($op: ID!, $alert: ID!) { unlinkAlertFromOperation(operationId: $op, alertId: $alert) { id alerts(first: 100) { totalCount edges { node { id } } } } }`;
const OP_ALERTS = `query ($id: ID!) { jointOperation(id: $id) { alerts(first: 100) { totalCount edges { node { id } } } } }`;
const REPORT = `mutation ($op: ID!, $input: OperationResultInput!) { reportOperationResult(operationId: $op, input: $input) { id reportedAt } }`;
const PERIODS = `totalPieces totalCases byWeek { start pieces cases } byMonth { start pieces cases }`;
const STATS = `query ($f: StatisticsFilter) { seizureStatistics(filter: $f) { ${PERIODS} } }`;
const OP_STATS = `query ($id: ID!) { jointOperation(id: $id) { statistics { ${PERIODS} } } }`;
const EVENTS = `subscription ($op: ID) { operationEvents(operationId: $op) { kind operation { id alerts(first: 10) { totalCount } } } }`;

const UNKNOWN_ID = '01234567-89ab-7def-8123-456789abcdef';
const FOURTH = { code: 'PP', name: 'Pan-Pearl River Delta Customs Liaison', jurisdiction: 'Pan-PRD' };

type Res = GqlResponse<any>;
function ok(res: Res): any {
  if (res.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data;
}
function failure(res: Res): { code: string; field?: string; message: string } {
  expect(res.body.errors?.length).toBeGreaterThan(0);
  const e = res.body.errors![0];
  return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
}

let seq = 0;
const unique = (what: string) => `${what} ${Date.now().toString(36)}-${++seq}`;

describe('the operations workspace on the hub', () => {
  let t: TestHub;
  let gdCoord: string, gdAnalyst: string, gdObserver: string, hkCoord: string, hkAnalyst: string, moCoord: string, ppCoord: string;

  beforeAll(async () => {
    t = await startTestHub({ trust: await TestTrust.create([...TEST_AGENCIES, FOURTH]) });
    [gdCoord, gdAnalyst, gdObserver, hkCoord, hkAnalyst, moCoord, ppCoord] = await Promise.all([
      t.token('GD', ['COORDINATOR']),
      t.token('GD', ['ANALYST']),
      t.token('GD', ['OBSERVER']),
      t.token('HK', ['COORDINATOR']),
      t.token('HK', ['ANALYST']),
      t.token('MO', ['COORDINATOR']),
      t.token('PP', ['COORDINATOR']),
    ]);
  });
  afterEach(disposeAll);
  afterAll(() => t?.stop());

  async function plan(token: string, input: Record<string, unknown> = {}) {
    return ok(await t.gql(token, CREATE_OP, { input: { codeName: unique('Joint action'), objective: 'Counterfeit goods on the key channels', participants: ['HK', 'MO'], startsOn: '2026-03-01T00:00:00.000Z', ...input } }))
      .createJointOperation;
  }
  async function activate(op: { id: string; version: number }) {
    return ok(await t.gql(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' })).setOperationStatus;
  }
  async function published(token: string) {
    const a = ok(await t.gql(token, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
    return ok(await t.gql(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
  }
  const linkedIds = async (token: string, opId: string) => ok(await t.gql(token, OP_ALERTS, { id: opId })).jointOperation.alerts.edges.map((e: any) => e.node.id) as string[];
  const searchIds = async (token: string, search: string | null, status?: string[]) =>
    ok(await t.gql(token, SEARCH, { search, status })).jointOperations.edges.map((e: any) => e.node.id) as string[];

  describe('search', () => {
    test('a participant finds an operation by part of its code name or objective, in any case; a non-participant never does', async () => {
      const marker = `Zq${Date.now().toString(36)}`;
      const op = await plan(gdCoord, { codeName: `Pearl Gate ${marker}`, objective: `Bags and shoes bound for export via ${marker}-Shekou` });
      const other = await plan(gdCoord, { codeName: unique('Unrelated'), objective: 'Toys on the bridge' });
      for (const token of [gdCoord, hkAnalyst, moCoord]) {
        expect(await searchIds(token, marker.toLowerCase())).toEqual([op.id]);
        expect(await searchIds(token, `${marker.toUpperCase()}-SHEKOU`)).toEqual([op.id]);
        expect(await searchIds(token, `  pearl gate ${marker}  `)).toEqual([op.id]);
      }
      expect(await searchIds(gdCoord, '')).toEqual(expect.arrayContaining([op.id, other.id]));
      // A status filter and a search together.
      expect(await searchIds(gdCoord, marker, ['ACTIVE'])).toEqual([]);
      expect(await searchIds(gdCoord, marker, ['PLANNED'])).toEqual([op.id]);
      // The fourth agency takes no part: nothing, and nothing counted.
      const pp = ok(await t.gql(ppCoord, SEARCH, { search: marker })).jointOperations;
      expect(pp).toEqual({ totalCount: 0, edges: [] });
      expect(ok(await t.gql(ppCoord, SEARCH, { search: 'Pearl' })).jointOperations.totalCount).toBe(0);
    });

    test('% and _ in a search are characters, not patterns; an over-long search is BAD_USER_INPUT on search', async () => {
      const op = await plan(gdCoord, { codeName: unique('Rate 100%_off') });
      expect(await searchIds(gdCoord, '%')).toEqual([op.id]);
      expect(await searchIds(gdCoord, '100%_')).toEqual([op.id]);
      expect(await searchIds(gdCoord, '1_0')).toEqual([]);
      const long = failure(await t.gql(gdCoord, SEARCH, { search: 'x'.repeat(101) }));
      expect(long).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
    });
  });

  describe('unlinking alerts', () => {
    test("the alert's originator takes it off the operation; participants see it gone and hear ALERT_UNLINKED once", async () => {
      const op = await activate(await plan(gdCoord));
      const alert = await published(hkAnalyst);
      const hkWatch = await subscribe(t, hkCoord, EVENTS, { op: op.id });
      const ppWatch = await subscribe(t, ppCoord, EVENTS, {});
      ok(await t.gql(hkAnalyst, LINK, { op: op.id, alert: alert.id }));
      expect(await linkedIds(gdCoord, op.id)).toEqual([alert.id]);
      const after = ok(await t.gql(hkAnalyst, UNLINK, { op: op.id, alert: alert.id })).unlinkAlertFromOperation;
      expect(after.alerts).toEqual({ totalCount: 0, edges: [] });
      // Again: nothing to take off, nothing said.
      ok(await t.gql(hkAnalyst, UNLINK, { op: op.id, alert: alert.id }));
      for (const token of [gdCoord, hkCoord, moCoord]) expect(await linkedIds(token, op.id)).toEqual([]);
      await hkWatch.waitFor(2);
      await new Promise((r) => setTimeout(r, 400));
      expect(hkWatch.events().map((e) => [e.kind, e.operation.alerts.totalCount])).toEqual([
        ['ALERT_LINKED', 1],
        ['ALERT_UNLINKED', 0],
      ]);
      expect(ppWatch.results).toEqual([]);
    });

    test("only the originator's COORDINATOR or ANALYST unlinks; the lead, partners and observers are FORBIDDEN and the link stays", async () => {
      const op = await activate(await plan(gdCoord));
      const alert = await published(hkAnalyst);
      ok(await t.gql(hkAnalyst, LINK, { op: op.id, alert: alert.id }));
      for (const token of [gdCoord, moCoord]) {
        expect(failure(await t.gql(token, UNLINK, { op: op.id, alert: alert.id })).code).toBe('FORBIDDEN');
      }
      const observer = await t.token('HK', ['OBSERVER']);
      expect(failure(await t.gql(observer, UNLINK, { op: op.id, alert: alert.id })).code).toBe('FORBIDDEN');
      expect(await linkedIds(gdCoord, op.id)).toEqual([alert.id]);
      ok(await t.gql(hkCoord, UNLINK, { op: op.id, alert: alert.id }));
      expect(await linkedIds(gdCoord, op.id)).toEqual([]);
    });

    test('for a non-participant, unlinking is NOT_FOUND word for word as for an unknown operation, and changes nothing', async () => {
      const op = await activate(await plan(gdCoord, { participants: ['HK'] }));
      const alert = await published(gdAnalyst);
      ok(await t.gql(gdAnalyst, LINK, { op: op.id, alert: alert.id }));
      const ppAlert = await published(await t.token('PP', ['ANALYST']));
      const hidden = failure(await t.gql(ppCoord, UNLINK, { op: op.id, alert: ppAlert.id }));
      const unknown = failure(await t.gql(ppCoord, UNLINK, { op: UNKNOWN_ID, alert: ppAlert.id }));
      expect(hidden.code).toBe('NOT_FOUND');
      expect(hidden.message.replace(op.id, '<id>')).toBe(unknown.message.replace(UNKNOWN_ID, '<id>'));
      const moHidden = failure(await t.gql(moCoord, UNLINK, { op: op.id, alert: alert.id }));
      expect(moHidden.code).toBe('NOT_FOUND');
      expect(await linkedIds(gdCoord, op.id)).toEqual([alert.id]);
    });

    test('an alert a result names stays linked, and a CONCLUDED operation keeps its alerts: BAD_USER_INPUT, nothing changes', async () => {
      let op = await activate(await plan(gdCoord));
      const named = await published(gdAnalyst);
      const free = await published(gdAnalyst);
      ok(await t.gql(gdAnalyst, LINK, { op: op.id, alert: named.id }));
      ok(await t.gql(gdAnalyst, LINK, { op: op.id, alert: free.id }));
      ok(await t.gql(gdAnalyst, REPORT, { op: op.id, input: { casesOpened: 1, alertIds: [named.id], seizures: [{ category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 10 }] } }));
      expect(failure(await t.gql(gdAnalyst, UNLINK, { op: op.id, alert: named.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'alertId' });
      op = ok(await t.gql(gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'CONCLUDED' })).setOperationStatus;
      expect(failure(await t.gql(gdAnalyst, UNLINK, { op: op.id, alert: free.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operationId' });
      expect((await linkedIds(gdCoord, op.id)).sort()).toEqual([named.id, free.id].sort());
      expect(failure(await t.gql(gdAnalyst, UNLINK, { op: op.id, alert: UNKNOWN_ID })).code).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/);
    });
  });

  describe('statistics by week and month', () => {
    const seizure = (pieces: number, category = 'BAGS') => ({ category, infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces });

    test('periods follow UTC+8 clocks, add up to the totals, and count a corrected result once, in its correction’s period', async () => {
      const op = await activate(await plan(gdCoord));
      const report = async (token: string, input: Record<string, unknown>) => ok(await t.gql(token, REPORT, { op: op.id, input })).reportOperationResult;
      const a = await report(gdAnalyst, { casesOpened: 2, seizures: [seizure(100), seizure(50, 'SHOES')] });
      const b = await report(hkAnalyst, { casesOpened: 3, seizures: [seizure(300)] });
      const c = await report(moCoord, { casesOpened: 1, seizures: [seizure(7)] });
      // Moved to known instants (the hub stamps reports with the time they arrive):
      // a: Sunday 1 March 2026 16:30 UTC = Monday 2 March 00:30 UTC+8 (week of 2 March, March);
      // b: Saturday 28 February 2026 15:30 UTC = 23:30 UTC+8 the same day (week of 23 February, February).
      const sql = t.hub.orm.em.getConnection();
      await sql.execute(`update operation_result set reported_at = ? where id = ?`, ['2026-03-01T16:30:00Z', a.id]);
      await sql.execute(`update operation_result set reported_at = ? where id = ?`, ['2026-02-28T15:30:00Z', b.id]);
      await sql.execute(`update operation_result set reported_at = ? where id = ?`, ['2026-04-10T02:00:00Z', c.id]);
      // HK corrects b (300 → 250 pieces, 3 → 4 cases); the correction is dated in April.
      const b2 = await report(hkAnalyst, { casesOpened: 4, correctsResultId: b.id, seizures: [seizure(250)] });
      await sql.execute(`update operation_result set reported_at = ? where id = ?`, ['2026-04-14T03:00:00Z', b2.id]);

      const stats = ok(await t.gql(gdObserver, OP_STATS, { id: op.id })).jointOperation.statistics;
      expect(stats.totalPieces).toBe(150 + 250 + 7);
      expect(stats.totalCases).toBe(2 + 4 + 1);
      expect(stats.byMonth).toEqual([
        { start: '2026-02-28T16:00:00.000Z', pieces: 150, cases: 2 },
        { start: '2026-03-31T16:00:00.000Z', pieces: 257, cases: 5 },
      ]);
      expect(stats.byWeek).toEqual([
        { start: '2026-03-01T16:00:00.000Z', pieces: 150, cases: 2 },
        { start: '2026-04-05T16:00:00.000Z', pieces: 7, cases: 1 },
        { start: '2026-04-12T16:00:00.000Z', pieces: 250, cases: 4 },
      ]);
      for (const list of [stats.byWeek, stats.byMonth]) {
        expect(list.reduce((n: number, p: any) => n + p.pieces, 0)).toBe(stats.totalPieces);
        expect(list.reduce((n: number, p: any) => n + p.cases, 0)).toBe(stats.totalCases);
      }
      // Every participant gets the same; the fourth agency's statistics hold nothing of it.
      for (const token of [hkCoord, moCoord]) expect(ok(await t.gql(token, OP_STATS, { id: op.id })).jointOperation.statistics).toEqual(stats);
      expect(ok(await t.gql(ppCoord, STATS, { f: { operationId: op.id } })).seizureStatistics).toEqual({ totalPieces: 0, totalCases: 0, byWeek: [], byMonth: [] });
      expect(ok(await t.gql(ppCoord, STATS, {})).seizureStatistics.byMonth).toEqual([]);
    });
  });
});
