import { startTestHub, type GqlResponse, type TestHub } from '../support/hub';
import { CREATE, GET, PUBLISH, alertInput, containerNo } from '../support/fixtures';

/*
 * Joint operations over HTTP, as the participants' clients use them: planning and its
 * lifecycle, tasks, linked alerts and the OPERATION scope with its closing window, results
 * with corrections, and the statistics rolled up from them. A non-participant must not learn
 * that an operation exists through any query or mutation.
 */

const OP_FIELDS = `id codeName objective status version closedAt startsOn endsOn
  leadAgency { code } participants { code } targetChannels targetCategories targetPorts`;
const STATS_FIELDS = `totalPieces totalCases rightsHoldersProtected
  byAgency { agency { code } pieces cases } byCategory { category pieces cases } byChannel { channel pieces cases }`;
const RESULT_FIELDS = `id casesOpened notes correctsResultId reportingAgency { code }
  seizures { category infringement channel pieces place rightsHolders { id name } }`;

const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { ${OP_FIELDS} } }`;
const UPDATE_OP = `mutation ($id: ID!, $version: Int!, $input: UpdateJointOperationInput!) {
  updateJointOperation(id: $id, version: $version, input: $input) { ${OP_FIELDS} } }`;
const SET_STATUS = `mutation ($id: ID!, $version: Int!, $status: OperationStatus!) {
  setOperationStatus(id: $id, version: $version, status: $status) { ${OP_FIELDS} } }`;
const ADD_TASK = `mutation ($op: ID!, $input: OperationTaskInput!) {
  addOperationTask(operationId: $op, input: $input) { id title description status assignedAgency { code } } }`;
const SET_TASK = `mutation ($id: ID!, $status: TaskStatus!) { setTaskStatus(taskId: $id, status: $status) { id status assignedAgency { code } } }`;
const LINK = `mutation ($op: ID!, $alert: ID!) { linkAlertToOperation(operationId: $op, alertId: $alert) { id alerts(first: 100) { totalCount edges { node { id } } } } }`;
const REPORT = `mutation ($op: ID!, $input: OperationResultInput!) { reportOperationResult(operationId: $op, input: $input) { ${RESULT_FIELDS} } }`;
const GET_OP = `query ($id: ID!) { jointOperation(id: $id) { ${OP_FIELDS}
  tasks { id title status assignedAgency { code } }
  results { ${RESULT_FIELDS} }
  statistics { ${STATS_FIELDS} }
  alerts(first: 100) { totalCount edges { node { id } } } } }`;
const OP_ALERTS = `query ($id: ID!, $first: Int, $after: String) { jointOperation(id: $id) {
  alerts(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title riskLevel containerNumbers billOfLading consignor { name } source { kind } operationalNotes withheld } } } } }`;
const LIST_OPS = `query ($status: [OperationStatus!]) { jointOperations(first: 100, status: $status) { totalCount edges { node { id } } } }`;
const STATS = `query ($f: StatisticsFilter) { seizureStatistics(filter: $f) { ${STATS_FIELDS} } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) {
  shareAlert(id: $id, version: $version, distribution: $d) { id version status distribution { scope agencies { code } operation { id codeName } } } }`;
const SET_ALERT_STATUS = `mutation ($id: ID!, $version: Int!, $status: AlertStatus!) { setAlertStatus(id: $id, version: $version, status: $status) { id status version } }`;
const ALERTS_OF_OP = `query ($op: ID!) { alerts(first: 100, filter: { operationId: $op }) { totalCount edges { node { id } } } }`;
const ALERT_DIST = `query ($id: ID!) { alert(id: $id) { id status distribution { scope operation { id codeName participants { code } } } } }`;
const HISTORY = `query ($id: ID!) { alertHistory(alertId: $id) { kind fromStatus toStatus agency { code } } }`;
const ACCESS_LOG = `query ($a: ID!) { alertAccessLog(alertId: $a, first: 100) { totalCount edges { node { agency { code } disclosed via } } } }`;
const PAGE_OPS = `query ($first: Int, $after: String) { jointOperations(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id startsOn } } } }`;
const UPSERT_HOLDER = `mutation ($input: RightsHolderInput!) { upsertRightsHolder(input: $input) { id name } }`;

/** A well-formed id that names nothing. */
const UNKNOWN_ID = '01234567-89ab-7def-8123-456789abcdef';

type Res = GqlResponse<any>;

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
function ok(res: Res): any {
  if (res.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.body.errors)}`);
  expect(res.status).toBe(200);
  return res.body.data;
}

/** The error a response that must have failed carries: code, field and message. */
function failure(res: Res): { code: string; field?: string; message: string } {
  expect(res.body.errors).toBeDefined();
  expect(res.body.errors!.length).toBeGreaterThan(0);
  const e = res.body.errors![0];
  return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
}

const codeOf = (res: Res): string => failure(res).code;

interface Tokens {
  gdCoord: string;
  gdAnalyst: string;
  gdObserver: string;
  gdAdmin: string;
  hkCoord: string;
  hkAnalyst: string;
  hkObserver: string;
  hkAdmin: string;
  moCoord: string;
  moAnalyst: string;
}

async function tokensOf(h: TestHub): Promise<Tokens> {
  const [gdCoord, gdAnalyst, gdObserver, gdAdmin, hkCoord, hkAnalyst, hkObserver, hkAdmin, moCoord, moAnalyst] = await Promise.all([
    h.token('GD', ['COORDINATOR']),
    h.token('GD', ['ANALYST']),
    h.token('GD', ['OBSERVER']),
    h.token('GD', ['ADMIN']),
    h.token('HK', ['COORDINATOR']),
    h.token('HK', ['ANALYST']),
    h.token('HK', ['OBSERVER']),
    h.token('HK', ['ADMIN']),
    h.token('MO', ['COORDINATOR']),
    h.token('MO', ['ANALYST']),
  ]);
  return { gdCoord, gdAnalyst, gdObserver, gdAdmin, hkCoord, hkAnalyst, hkObserver, hkAdmin, moCoord, moAnalyst };
}

let seq = 0;
/** A code name no other test uses. */
const codeName = (what = 'Joint action') => `${what} ${Date.now().toString(36)}-${++seq}`;

/** Helpers bound to one hub. */
function helpers(h: () => TestHub) {
  return {
    async plan(token: string, input: Record<string, unknown> = {}) {
      return ok(
        await h().gql(token, CREATE_OP, {
          input: { codeName: codeName(), objective: 'Counterfeit goods on the key channels', participants: [], startsOn: '2026-03-01T00:00:00.000Z', ...input },
        }),
      ).createJointOperation;
    },
    async move(token: string, op: { id: string; version: number }, status: string) {
      return ok(await h().gql(token, SET_STATUS, { id: op.id, version: op.version, status })).setOperationStatus;
    },
    async get(token: string, id: string) {
      return ok(await h().gql(token, GET_OP, { id })).jointOperation;
    },
    async published(token: string, overrides: Record<string, unknown> = {}) {
      const a = ok(await h().gql(token, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).createAlert;
      return ok(await h().gql(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
    },
    async share(token: string, alert: { id: string; version: number }, d: Record<string, unknown>) {
      return ok(await h().gql(token, SHARE, { id: alert.id, version: alert.version, d })).shareAlert;
    },
    async link(token: string, opId: string, alertId: string) {
      return ok(await h().gql(token, LINK, { op: opId, alert: alertId })).linkAlertToOperation;
    },
    async report(token: string, opId: string, input: Record<string, unknown>) {
      return ok(await h().gql(token, REPORT, { op: opId, input })).reportOperationResult;
    },
    async task(token: string, opId: string, assignedAgency: string, title = 'Inspect e-commerce parcels at Huangpu') {
      return ok(await h().gql(token, ADD_TASK, { op: opId, input: { assignedAgency, title } })).addOperationTask;
    },
    async stats(token: string, f: Record<string, unknown> | null = null) {
      return ok(await h().gql(token, STATS, { f })).seizureStatistics;
    },
    async opCount(token: string) {
      return ok(await h().gql(token, LIST_OPS, {})).jointOperations.totalCount as number;
    },
    async listedOps(token: string, status?: string[]) {
      return ok(await h().gql(token, LIST_OPS, { status })).jointOperations.edges.map((e: any) => e.node.id) as string[];
    },
    async alertsOfOp(token: string, opId: string) {
      const c = ok(await h().gql(token, ALERTS_OF_OP, { op: opId })).alerts;
      return { total: c.totalCount as number, ids: c.edges.map((e: any) => e.node.id) as string[] };
    },
    async sees(token: string, alertId: string) {
      return ok(await h().gql(token, GET, { id: alertId })).alert !== null;
    },
  };
}

// ---- expected statistics, computed from what the test reported ---------------------------------

interface SeizureIn {
  category: string;
  infringement: string;
  channel: string;
  pieces: number;
  place?: string;
  rightsHolderIds?: string[];
}
interface Reported {
  agency: string;
  casesOpened: number;
  seizures: SeizureIn[];
}

/**
 * Totals over the latest results: pieces summed; cases summed per result, and in byCategory and
 * byChannel counted once for each category (or channel) a result's seizures touch; rights
 * holders distinct. Lists sorted by key, as `normalized` sorts the hub's answer.
 */
function expectedStatistics(results: Reported[]) {
  const add = (m: Map<string, { pieces: number; cases: number }>, k: string, pieces: number, cases: number) => {
    const v = m.get(k) ?? { pieces: 0, cases: 0 };
    m.set(k, { pieces: v.pieces + pieces, cases: v.cases + cases });
  };
  const byAgency = new Map<string, { pieces: number; cases: number }>();
  const byCategory = new Map<string, { pieces: number; cases: number }>();
  const byChannel = new Map<string, { pieces: number; cases: number }>();
  const holders = new Set<string>();
  let totalPieces = 0;
  let totalCases = 0;
  for (const r of results) {
    const pieces = r.seizures.reduce((n, s) => n + s.pieces, 0);
    totalPieces += pieces;
    totalCases += r.casesOpened;
    add(byAgency, r.agency, pieces, r.casesOpened);
    for (const cat of new Set(r.seizures.map((s) => s.category))) {
      add(byCategory, cat, r.seizures.filter((s) => s.category === cat).reduce((n, s) => n + s.pieces, 0), r.casesOpened);
    }
    for (const ch of new Set(r.seizures.map((s) => s.channel))) {
      add(byChannel, ch, r.seizures.filter((s) => s.channel === ch).reduce((n, s) => n + s.pieces, 0), r.casesOpened);
    }
    r.seizures.forEach((s) => (s.rightsHolderIds ?? []).forEach((id) => holders.add(id)));
  }
  const list = <K extends string>(m: Map<string, { pieces: number; cases: number }>, key: K, wrap: (k: string) => unknown) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => ({ [key]: wrap(k), pieces: v.pieces, cases: v.cases }));
  return {
    totalPieces,
    totalCases,
    rightsHoldersProtected: holders.size,
    byAgency: list(byAgency, 'agency', (k) => ({ code: k })),
    byCategory: list(byCategory, 'category', (k) => k),
    byChannel: list(byChannel, 'channel', (k) => k),
  };
}

/** The hub's statistics with each list in key order (the order is not part of the contract). */
function normalized(s: any) {
  const by = (f: (x: any) => string) => (a: any, b: any) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);
  return {
    ...s,
    byAgency: [...s.byAgency].sort(by((x) => x.agency.code)),
    byCategory: [...s.byCategory].sort(by((x) => x.category)),
    byChannel: [...s.byChannel].sort(by((x) => x.channel)),
  };
}

const ZERO_STATS = { totalPieces: 0, totalCases: 0, rightsHoldersProtected: 0, byAgency: [], byCategory: [], byChannel: [] };

/** Field-wise difference of two statistics snapshots (after - before), for the totals only. */
function totalsDelta(after: any, before: any) {
  return {
    totalPieces: after.totalPieces - before.totalPieces,
    totalCases: after.totalCases - before.totalCases,
  };
}

// ---------------------------------------------------------------------------------------------------

describe('joint operations (default closing window of 30 days)', () => {
  let t: TestHub;
  let k: Tokens;
  const h = helpers(() => t);

  beforeAll(async () => {
    t = await startTestHub();
    k = await tokensOf(t);
  });
  afterAll(() => t.stop());

  describe('planning and lifecycle', () => {
    test("a COORDINATOR plans an operation: its agency leads and always takes part, even when it does not list itself", async () => {
      const name = codeName('Dragon Action');
      const op = await h.plan(k.gdCoord, {
        codeName: name,
        participants: ['hk', 'HK', 'mo'],
        startsOn: '2026-02-15T00:00:00.000Z',
        endsOn: '2026-04-30T00:00:00.000Z',
        targetChannels: ['CROSS_BORDER_ECOMMERCE', 'SEA_CONTAINER'],
        targetCategories: ['INTEGRATED_CIRCUITS'],
        targetPorts: ['cnhua', 'CNSHK'],
      });
      expect(op).toMatchObject({
        codeName: name,
        status: 'PLANNED',
        version: 1,
        closedAt: null,
        leadAgency: { code: 'GD' },
        participants: [{ code: 'GD' }, { code: 'HK' }, { code: 'MO' }],
        startsOn: '2026-02-15T00:00:00.000Z',
        endsOn: '2026-04-30T00:00:00.000Z',
        targetCategories: ['INTEGRATED_CIRCUITS'],
      });
      expect([...op.targetChannels].sort()).toEqual(['CROSS_BORDER_ECOMMERCE', 'SEA_CONTAINER']);
      expect([...op.targetPorts].sort()).toEqual(['CNHUA', 'CNSHK']);
      // Every participant reads the same operation.
      for (const token of [k.gdObserver, k.hkObserver, k.moAnalyst]) {
        expect(await h.get(token, op.id)).toMatchObject({ id: op.id, codeName: name, leadAgency: { code: 'GD' } });
      }
    });

    test('only a COORDINATOR plans an operation; a refused plan leaves nothing behind', async () => {
      const before = await h.opCount(k.gdObserver);
      for (const token of [k.gdAnalyst, k.gdObserver, k.gdAdmin, await t.token('GD', ['ANALYST', 'ADMIN', 'OBSERVER'])]) {
        const res = await t.gql(token, CREATE_OP, { input: { codeName: codeName(), objective: 'x', participants: ['HK'], startsOn: '2026-03-01T00:00:00Z' } });
        expect(codeOf(res)).toBe('FORBIDDEN');
      }
      expect(await h.opCount(k.gdObserver)).toBe(before);
      expect(await h.opCount(k.hkObserver)).toBe(before);
    });

    test('a plan is checked: unknown participants, an end before the start, a bad port, a taken code name', async () => {
      const base = { codeName: codeName(), objective: 'x', participants: ['HK'], startsOn: '2026-03-01T00:00:00Z' };
      const before = await h.opCount(k.gdCoord);
      const cases: [Record<string, unknown>, string][] = [
        [{ participants: ['HK', 'XX'] }, 'input.participants'],
        [{ endsOn: '2026-02-01T00:00:00Z' }, 'input.endsOn'],
        [{ targetPorts: ['SHEKOU'] }, 'input.targetPorts[0]'],
        [{ codeName: '   ' }, 'input.codeName'],
      ];
      for (const [override, field] of cases) {
        expect(failure(await t.gql(k.gdCoord, CREATE_OP, { input: { ...base, ...override } }))).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      expect(await h.opCount(k.gdCoord)).toBe(before);
      const first = await h.plan(k.gdCoord, base);
      expect(codeOf(await t.gql(k.gdCoord, CREATE_OP, { input: base }))).toBe('CONFLICT');
      expect(await h.opCount(k.gdCoord)).toBe(before + 1);
      expect((await h.listedOps(k.gdCoord)).filter((id) => id === first.id)).toHaveLength(1);
    });

    test("a code name another agency leads in secret is free for a non-participant: its use tells nothing", async () => {
      const secret = codeName();
      await h.plan(k.gdCoord, { codeName: secret, participants: ['HK'] });
      const res = await t.gql(await t.token('MO', ['COORDINATOR']), CREATE_OP, {
        input: { codeName: secret, objective: 'x', participants: [], startsOn: '2026-03-01T00:00:00Z' },
      });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.createJointOperation.codeName).toBe(secret);
    });

    test('an operation goes PLANNED → ACTIVE → CONCLUDED; every other move is refused and changes nothing', async () => {
      let op = await h.plan(k.gdCoord, { participants: ['HK'] });
      const refused = async (statuses: string[]) => {
        for (const status of statuses) {
          const res = await t.gql(k.gdCoord, SET_STATUS, { id: op.id, version: op.version, status });
          expect({ status, ...failure(res) }).toMatchObject({ status, code: 'BAD_USER_INPUT', field: 'status' });
        }
        expect(await h.get(k.gdCoord, op.id)).toMatchObject({ status: op.status, version: op.version });
      };
      await refused(['PLANNED', 'CONCLUDED']);
      op = await h.move(k.gdCoord, op, 'ACTIVE');
      expect(op).toMatchObject({ status: 'ACTIVE', version: 2, closedAt: null });
      await refused(['PLANNED', 'ACTIVE']);
      const before = Date.now();
      op = await h.move(k.gdCoord, op, 'CONCLUDED');
      expect(op).toMatchObject({ status: 'CONCLUDED', version: 3 });
      expect(Math.abs(new Date(op.closedAt).getTime() - before)).toBeLessThan(60_000);
      await refused(['PLANNED', 'ACTIVE', 'CANCELLED', 'CONCLUDED']);
    });

    test('a PLANNED or an ACTIVE operation can be CANCELLED, and a CANCELLED one moves no more', async () => {
      let planned = await h.plan(k.gdCoord, { participants: ['HK'] });
      planned = await h.move(k.gdCoord, planned, 'CANCELLED');
      expect(planned.status).toBe('CANCELLED');
      expect(planned.closedAt).not.toBeNull();
      let active = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['MO'] }), 'ACTIVE');
      active = await h.move(k.gdCoord, active, 'CANCELLED');
      expect(active).toMatchObject({ status: 'CANCELLED', version: 3 });
      for (const op of [planned, active]) {
        for (const status of ['PLANNED', 'ACTIVE', 'CONCLUDED', 'CANCELLED']) {
          expect(failure(await t.gql(k.gdCoord, SET_STATUS, { id: op.id, version: op.version, status }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
        }
        expect((await h.get(k.gdCoord, op.id)).status).toBe('CANCELLED');
      }
    });

    test('jointOperations filters by status', async () => {
      const planned = await h.plan(k.hkCoord, { participants: ['GD'] });
      const active = await h.move(k.hkCoord, await h.plan(k.hkCoord, { participants: ['GD'] }), 'ACTIVE');
      const activeIds = await h.listedOps(k.gdObserver, ['ACTIVE']);
      expect(activeIds).toContain(active.id);
      expect(activeIds).not.toContain(planned.id);
      const plannedIds = await h.listedOps(k.gdObserver, ['PLANNED', 'CANCELLED']);
      expect(plannedIds).toContain(planned.id);
      expect(plannedIds).not.toContain(active.id);
    });

    test('jointOperations pages newest start first through the operations the viewer takes part in, and only those', async () => {
      const starts = ['2027-01-01T08:00:00.123Z', '2027-01-01T08:00:00.123Z', '2027-01-01T08:00:00.123Z', '2027-01-02T00:00:00.000Z', '2026-12-31T23:59:59.999Z'];
      const mine: string[] = [];
      for (const [i, startsOn] of starts.entries()) {
        mine.push((await h.plan(i % 2 ? k.gdCoord : k.hkCoord, { participants: i % 2 ? ['MO'] : ['GD'], startsOn })).id);
        // Interleaved: operations Guangdong does not take part in, at the same starts.
        await h.plan(k.moCoord, { participants: ['HK'], startsOn });
      }
      const total = await h.opCount(k.gdObserver);
      const seen: { id: string; startsOn: string }[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const c: any = ok(await t.gql(k.gdObserver, PAGE_OPS, { first: 2, after })).jointOperations;
        expect(c.totalCount).toBe(total);
        expect(c.edges.length).toBeLessThanOrEqual(2);
        seen.push(...c.edges.map((e: any) => e.node));
        if (!c.pageInfo.hasNextPage) break;
        after = c.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen.map((n) => n.id)).size).toBe(total);
      const all = ok(await t.gql(k.gdObserver, PAGE_OPS, { first: 100 })).jointOperations.edges.map((e: any) => e.node.id);
      expect(seen.map((n) => n.id)).toEqual(all);
      for (const id of mine) expect(all).toContain(id);
      const times = seen.map((n) => new Date(n.startsOn).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // None of Macao's and Hong Kong's own: each of them is null for Guangdong.
      for (const id of all) expect(await h.get(k.gdObserver, id)).not.toBeNull();
    });

    test("the lead's COORDINATOR changes the plan; a CONCLUDED or CANCELLED operation cannot be changed", async () => {
      let op = await h.plan(k.gdCoord, { participants: ['HK'], targetPorts: ['CNSHK'] });
      op = ok(
        await t.gql(k.gdCoord, UPDATE_OP, {
          id: op.id,
          version: op.version,
          input: { objective: 'Integrated circuits in small parcels', targetPorts: ['CNHUA'], targetCategories: ['INTEGRATED_CIRCUITS'], endsOn: '2026-06-30T00:00:00Z' },
        }),
      ).updateJointOperation;
      expect(op).toMatchObject({
        objective: 'Integrated circuits in small parcels',
        targetPorts: ['CNHUA'],
        targetCategories: ['INTEGRATED_CIRCUITS'],
        endsOn: '2026-06-30T00:00:00.000Z',
        version: 2,
        status: 'PLANNED',
      });
      expect(await h.get(k.hkObserver, op.id)).toMatchObject({ objective: 'Integrated circuits in small parcels', version: 2 });
      expect(failure(await t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { endsOn: '2026-01-01T00:00:00Z' } }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.endsOn',
      });
      op = await h.move(k.gdCoord, await h.move(k.gdCoord, op, 'ACTIVE'), 'CONCLUDED');
      expect(failure(await t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { objective: 'too late' } })).code).toBe('BAD_USER_INPUT');
      let cancelled = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'CANCELLED');
      expect(failure(await t.gql(k.gdCoord, UPDATE_OP, { id: cancelled.id, version: cancelled.version, input: { participants: ['MO'] } })).code).toBe('BAD_USER_INPUT');
      cancelled = await h.get(k.gdCoord, cancelled.id);
      expect(cancelled.participants).toEqual([{ code: 'GD' }, { code: 'HK' }]);
      expect((await h.get(k.gdCoord, op.id)).objective).toBe('Integrated circuits in small parcels');
    });

    test('a stale version is CONFLICT and changes nothing', async () => {
      let op = await h.plan(k.gdCoord, { participants: ['HK'] });
      op = ok(await t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: 1, input: { objective: 'second' } })).updateJointOperation;
      expect(op.version).toBe(2);
      expect(codeOf(await t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: 1, input: { objective: 'stale' } }))).toBe('CONFLICT');
      expect(codeOf(await t.gql(k.gdCoord, SET_STATUS, { id: op.id, version: 1, status: 'ACTIVE' }))).toBe('CONFLICT');
      expect(codeOf(await t.gql(k.gdCoord, SET_STATUS, { id: op.id, version: 3, status: 'ACTIVE' }))).toBe('CONFLICT');
      expect(await h.get(k.gdCoord, op.id)).toMatchObject({ objective: 'second', status: 'PLANNED', version: 2 });
    });

    test('concurrent changes at the same version: exactly one wins, the others are CONFLICT', async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const moves = await Promise.all([
        t.gql(k.gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'CONCLUDED' }),
        t.gql(k.gdCoord, SET_STATUS, { id: op.id, version: op.version, status: 'CANCELLED' }),
        t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { objective: 'racing' } }),
        t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { objective: 'racing too' } }),
      ]);
      const winners = moves.filter((r) => !r.body.errors);
      expect(winners).toHaveLength(1);
      expect(moves.filter((r) => r.body.errors).map(codeOf)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      const after = await h.get(k.gdCoord, op.id);
      expect(after.version).toBe(op.version + 1);
      const won = winners[0].body.data.setOperationStatus ?? winners[0].body.data.updateJointOperation;
      expect({ status: after.status, objective: after.objective }).toEqual({ status: won.status, objective: won.objective });
    });

    test("only the lead's COORDINATORs change an operation: other roles and a participant's COORDINATOR are FORBIDDEN", async () => {
      const op = await h.plan(k.gdCoord, { participants: ['HK', 'MO'] });
      const attempts = (token: string) => [
        t.gql(token, UPDATE_OP, { id: op.id, version: op.version, input: { objective: 'hijacked' } }),
        t.gql(token, UPDATE_OP, { id: op.id, version: op.version, input: { participants: ['HK'] } }),
        t.gql(token, SET_STATUS, { id: op.id, version: op.version, status: 'ACTIVE' }),
        t.gql(token, SET_STATUS, { id: op.id, version: op.version, status: 'CANCELLED' }),
        t.gql(token, ADD_TASK, { op: op.id, input: { assignedAgency: 'HK', title: 'x' } }),
      ];
      for (const token of [k.gdAnalyst, k.gdObserver, k.gdAdmin, k.hkCoord, k.moCoord, await t.token('HK', ['COORDINATOR', 'ANALYST', 'ADMIN'])]) {
        for (const res of await Promise.all(attempts(token))) expect(codeOf(res)).toBe('FORBIDDEN');
      }
      const now = await h.get(k.gdCoord, op.id);
      expect(now).toMatchObject({ status: 'PLANNED', version: 1, objective: op.objective, participants: [{ code: 'GD' }, { code: 'HK' }, { code: 'MO' }] });
      expect(now.tasks).toEqual([]);
    });
  });

  describe('what a non-participant sees: nothing', () => {
    test('an operation, its tasks, alerts, results and statistics are invisible and uncounted for a non-participant', async () => {
      const moStatsBefore = await h.stats(k.moAnalyst);
      const hkStatsBefore = await h.stats(k.hkAnalyst);
      const moCountBefore = await h.opCount(k.moAnalyst);
      const hkCountBefore = await h.opCount(k.hkAnalyst);

      let op = await h.plan(k.gdCoord, { participants: ['HK'] });
      op = await h.move(k.gdCoord, op, 'ACTIVE');
      await h.task(k.gdCoord, op.id, 'HK');
      const shared = await h.published(k.gdAnalyst, { title: 'seen by everyone, linked to a closed group' });
      await h.link(k.gdAnalyst, op.id, shared.id);
      const scoped = await h.share(k.gdAnalyst, await h.published(k.gdAnalyst), { scope: 'OPERATION', operationId: op.id });
      await h.link(k.gdAnalyst, op.id, scoped.id);
      const seizure = { category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 700, place: 'CNSHK' };
      await h.report(k.hkAnalyst, op.id, { casesOpened: 2, seizures: [seizure] });

      // The participants see it all.
      const seen = await h.get(k.hkObserver, op.id);
      expect(seen.tasks).toHaveLength(1);
      expect(seen.results).toHaveLength(1);
      expect(seen.statistics.totalPieces).toBe(700);
      expect(seen.alerts.edges.map((e: any) => e.node.id).sort()).toEqual([shared.id, scoped.id].sort());
      expect(await h.opCount(k.hkAnalyst)).toBe(hkCountBefore + 1);
      expect(totalsDelta(await h.stats(k.hkAnalyst), hkStatsBefore)).toEqual({ totalPieces: 700, totalCases: 2 });
      expect((await h.alertsOfOp(k.hkAnalyst, op.id)).total).toBe(2);

      // Macao does not take part: for every route the operation does not exist.
      for (const token of [k.moAnalyst, k.moCoord]) {
        expect(ok(await t.gql(token, GET_OP, { id: op.id })).jointOperation).toBeNull();
        expect(await h.opCount(token)).toBe(moCountBefore);
        expect(await h.listedOps(token)).not.toContain(op.id);
        expect(await h.listedOps(token, ['ACTIVE'])).not.toContain(op.id);
        expect(await h.stats(token)).toEqual(moStatsBefore);
        expect(await h.stats(token, { operationId: op.id })).toEqual(ZERO_STATS);
        expect(await h.stats(token, { operationId: op.id })).toEqual(await h.stats(token, { operationId: UNKNOWN_ID }));
        // The linked alert that Macao may see for itself is not matched through the operation.
        expect(await h.sees(token, shared.id)).toBe(true);
        expect(await h.alertsOfOp(token, op.id)).toEqual({ total: 0, ids: [] });
        expect(await h.alertsOfOp(token, op.id)).toEqual(await h.alertsOfOp(token, UNKNOWN_ID));
        // The OPERATION-scoped alert does not exist for Macao.
        expect(await h.sees(token, scoped.id)).toBe(false);
        expect(ok(await t.gql(token, ALERT_DIST, { id: shared.id })).alert.distribution.operation).toBeNull();
      }
      // Macao's statistics for Hong Kong's reports exclude this operation.
      expect((await h.stats(k.moAnalyst, { agency: 'HK' })).totalPieces).toBe(moStatsBefore.byAgency.find((a: any) => a.agency.code === 'HK')?.pieces ?? 0);
    });

    test('every mutation on an operation a non-participant does not take part in is NOT_FOUND, word for word as for an unknown id', async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const task = await h.task(k.gdCoord, op.id, 'HK');
      const moAlert = await h.published(k.moAnalyst);
      const attempts: [string, string, (id: string) => Record<string, unknown>][] = [
        [k.moCoord, UPDATE_OP, (id) => ({ id, version: op.version, input: { objective: 'x' } })],
        [k.moCoord, UPDATE_OP, (id) => ({ id, version: op.version, input: { participants: ['MO'] } })],
        [k.moCoord, SET_STATUS, (id) => ({ id, version: op.version, status: 'CONCLUDED' })],
        [k.moCoord, ADD_TASK, (id) => ({ op: id, input: { assignedAgency: 'MO', title: 'x' } })],
        [k.moAnalyst, LINK, (id) => ({ op: id, alert: moAlert.id })],
        [k.moCoord, LINK, (id) => ({ op: id, alert: moAlert.id })],
        [k.moAnalyst, REPORT, (id) => ({ op: id, input: { casesOpened: 1, seizures: [{ category: 'BAGS', infringement: 'TRADEMARK', channel: 'PASSENGER', pieces: 5 }] } })],
        [k.moCoord, SET_TASK, (id) => ({ id, status: 'IN_PROGRESS' })],
        [k.moAnalyst, SET_TASK, (id) => ({ id, status: 'IN_PROGRESS' })],
      ];
      for (const [token, query, vars] of attempts) {
        const target = query === SET_TASK ? task.id : op.id;
        const real = failure(await t.gql(token, query, vars(target)));
        const unknown = failure(await t.gql(token, query, vars(UNKNOWN_ID)));
        expect(real.code).toBe('NOT_FOUND');
        expect({ ...real, message: real.message.replace(target, 'X') }).toEqual({ ...unknown, message: unknown.message.replace(UNKNOWN_ID, 'X') });
      }
      // Nothing moved.
      const after = await h.get(k.gdCoord, op.id);
      expect(after).toMatchObject({ version: op.version, status: 'ACTIVE', objective: op.objective, participants: [{ code: 'GD' }, { code: 'HK' }] });
      expect(after.tasks).toEqual([{ id: task.id, title: task.title, status: 'OPEN', assignedAgency: { code: 'HK' } }]);
      expect(after.results).toEqual([]);
      expect(after.alerts.totalCount).toBe(0);
    });

    test('removing a participant takes away its view of the operation, its alerts, tasks, results and statistics at once', async () => {
      let op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK', 'MO'] }), 'ACTIVE');
      const moTask = await h.task(k.gdCoord, op.id, 'MO');
      const scoped = await h.share(k.gdAnalyst, await h.published(k.gdAnalyst), { scope: 'OPERATION', operationId: op.id });
      await h.link(k.gdAnalyst, op.id, scoped.id);
      const since = new Date().toISOString();
      await h.report(k.moAnalyst, op.id, { casesOpened: 1, seizures: [{ category: 'WATCHES_JEWELLERY', infringement: 'TRADEMARK', channel: 'PASSENGER', pieces: 40 }] });
      const moCount = await h.opCount(k.moAnalyst);
      expect(await h.get(k.moAnalyst, op.id)).not.toBeNull();
      expect(await h.sees(k.moAnalyst, scoped.id)).toBe(true);
      expect((await h.stats(k.moAnalyst, { from: since })).totalPieces).toBe(40);

      // The lead drops Macao, and leaves itself out of the list: it takes part all the same.
      op = ok(await t.gql(k.gdCoord, UPDATE_OP, { id: op.id, version: op.version, input: { participants: ['HK'] } })).updateJointOperation;
      expect(op.participants).toEqual([{ code: 'GD' }, { code: 'HK' }]);

      expect(ok(await t.gql(k.moAnalyst, GET_OP, { id: op.id })).jointOperation).toBeNull();
      expect(await h.opCount(k.moAnalyst)).toBe(moCount - 1);
      expect(await h.sees(k.moAnalyst, scoped.id)).toBe(false);
      expect((await h.alertsOfOp(k.moAnalyst, op.id)).total).toBe(0);
      expect(await h.stats(k.moAnalyst, { operationId: op.id })).toEqual(ZERO_STATS);
      expect(await h.stats(k.moAnalyst, { from: since })).toEqual(ZERO_STATS);
      expect(codeOf(await t.gql(k.moAnalyst, SET_TASK, { id: moTask.id, status: 'IN_PROGRESS' }))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(k.moAnalyst, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [] } }))).toBe('NOT_FOUND');
      // The remaining participants still see everything, Macao's earlier report included.
      const hkView = await h.get(k.hkAnalyst, op.id);
      expect(hkView.results.map((r: any) => r.reportingAgency.code)).toEqual(['MO']);
      expect(await h.sees(k.hkAnalyst, scoped.id)).toBe(true);
    });
  });

  describe('tasks', () => {
    test("the lead's COORDINATOR assigns tasks to participants only; participants see them", async () => {
      const op = await h.plan(k.gdCoord, { participants: ['HK'] });
      const task = ok(
        await t.gql(k.gdCoord, ADD_TASK, { op: op.id, input: { assignedAgency: 'hk', title: 'Watch the bridge fast lane', description: 'Gongbei side', dueAt: '2026-03-15T00:00:00Z' } }),
      ).addOperationTask;
      expect(task).toMatchObject({ title: 'Watch the bridge fast lane', description: 'Gongbei side', status: 'OPEN', assignedAgency: { code: 'HK' } });
      expect(failure(await t.gql(k.gdCoord, ADD_TASK, { op: op.id, input: { assignedAgency: 'MO', title: 'x' } }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.assignedAgency',
      });
      expect(failure(await t.gql(k.gdCoord, ADD_TASK, { op: op.id, input: { assignedAgency: 'XX', title: 'x' } }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.assignedAgency',
      });
      expect((await h.get(k.hkObserver, op.id)).tasks).toEqual([{ id: task.id, title: task.title, status: 'OPEN', assignedAgency: { code: 'HK' } }]);
      const closed = await h.move(k.gdCoord, op, 'CANCELLED');
      expect(codeOf(await t.gql(k.gdCoord, ADD_TASK, { op: closed.id, input: { assignedAgency: 'HK', title: 'late' } }))).toBe('BAD_USER_INPUT');
      expect((await h.get(k.gdCoord, op.id)).tasks).toHaveLength(1);
    });

    test('a task moves OPEN → IN_PROGRESS → DONE only', async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const task = await h.task(k.gdCoord, op.id, 'HK');
      const refused = async (from: string, statuses: string[]) => {
        for (const status of statuses) {
          expect({ from, status, ...failure(await t.gql(k.hkAnalyst, SET_TASK, { id: task.id, status })) }).toMatchObject({ from, status, code: 'BAD_USER_INPUT', field: 'status' });
        }
        expect((await h.get(k.hkAnalyst, op.id)).tasks[0].status).toBe(from);
      };
      await refused('OPEN', ['OPEN', 'DONE']);
      expect(ok(await t.gql(k.hkAnalyst, SET_TASK, { id: task.id, status: 'IN_PROGRESS' })).setTaskStatus.status).toBe('IN_PROGRESS');
      await refused('IN_PROGRESS', ['OPEN', 'IN_PROGRESS']);
      expect(ok(await t.gql(k.hkAnalyst, SET_TASK, { id: task.id, status: 'DONE' })).setTaskStatus.status).toBe('DONE');
      await refused('DONE', ['OPEN', 'IN_PROGRESS', 'DONE']);
    });

    test("a task is moved by the assigned agency's COORDINATOR or ANALYST, or by the lead's COORDINATOR, and by no one else", async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK', 'MO'] }), 'ACTIVE');
      const t1 = await h.task(k.gdCoord, op.id, 'HK');
      const t2 = await h.task(k.gdCoord, op.id, 'HK');
      const t3 = await h.task(k.gdCoord, op.id, 'HK');
      // The lead's ANALYST, OBSERVER and ADMIN; the assignee's OBSERVER and ADMIN; another participant's COORDINATOR and ANALYST.
      for (const token of [k.gdAnalyst, k.gdObserver, k.gdAdmin, k.hkObserver, k.hkAdmin, k.moCoord, k.moAnalyst]) {
        expect(codeOf(await t.gql(token, SET_TASK, { id: t1.id, status: 'IN_PROGRESS' }))).toBe('FORBIDDEN');
      }
      expect((await h.get(k.gdCoord, op.id)).tasks.map((x: any) => x.status)).toEqual(['OPEN', 'OPEN', 'OPEN']);
      expect(ok(await t.gql(k.hkAnalyst, SET_TASK, { id: t1.id, status: 'IN_PROGRESS' })).setTaskStatus.status).toBe('IN_PROGRESS');
      expect(ok(await t.gql(k.hkCoord, SET_TASK, { id: t2.id, status: 'IN_PROGRESS' })).setTaskStatus.status).toBe('IN_PROGRESS');
      expect(ok(await t.gql(k.gdCoord, SET_TASK, { id: t3.id, status: 'IN_PROGRESS' })).setTaskStatus.status).toBe('IN_PROGRESS');
      expect(ok(await t.gql(k.gdCoord, SET_TASK, { id: t1.id, status: 'DONE' })).setTaskStatus.status).toBe('DONE');
      expect((await h.get(k.moAnalyst, op.id)).tasks.map((x: any) => x.status)).toEqual(['DONE', 'IN_PROGRESS', 'IN_PROGRESS']);
      // A task assigned to the lead itself: its ANALYST moves it now.
      const own = await h.task(k.gdCoord, op.id, 'GD');
      expect(ok(await t.gql(k.gdAnalyst, SET_TASK, { id: own.id, status: 'IN_PROGRESS' })).setTaskStatus.status).toBe('IN_PROGRESS');
    });

    test('concurrent moves of one task: exactly one wins', async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      for (let round = 0; round < 3; round++) {
        const task = await h.task(k.gdCoord, op.id, 'HK');
        const movers = [k.hkAnalyst, k.hkCoord, k.gdCoord, k.hkAnalyst, k.hkCoord, k.gdCoord];
        const res = await Promise.all(movers.map((token) => t.gql(token, SET_TASK, { id: task.id, status: 'IN_PROGRESS' })));
        expect(res.filter((r) => !r.body.errors)).toHaveLength(1);
        // A loser either lost the race at the write (CONFLICT) or read the task already moved.
        for (const r of res.filter((x) => x.body.errors)) expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(codeOf(r));
        expect((await h.get(k.hkAnalyst, op.id)).tasks.find((x: any) => x.id === task.id).status).toBe('IN_PROGRESS');
      }
    });
  });

  describe('linked alerts', () => {
    test("the originator links its alert; each participant lists it through the access projection, CORE only for a partner", async () => {
      const op = await h.plan(k.gdCoord, { participants: ['HK'] });
      const a = await h.published(k.gdAnalyst, { containerNumbers: [containerNo('OPS', '000001')], title: 'linked, shared with all' });
      const own = await h.published(k.gdAnalyst, { title: 'linked, kept at home', distribution: { scope: 'ORIGINATOR_ONLY' } });
      const hkOwn = await h.published(k.hkAnalyst, { title: 'linked by Hong Kong' });
      const linked = await h.link(k.gdAnalyst, op.id, a.id);
      expect(linked.alerts.edges.map((e: any) => e.node.id)).toEqual([a.id]);
      await h.link(k.gdCoord, op.id, own.id);
      await h.link(k.hkAnalyst, op.id, hkOwn.id);
      // Linking twice is harmless.
      await h.link(k.gdAnalyst, op.id, a.id);

      const gdView = ok(await t.gql(k.gdObserver, OP_ALERTS, { id: op.id, first: 100 })).jointOperation.alerts;
      expect(gdView.totalCount).toBe(3);
      const gdA = gdView.edges.find((e: any) => e.node.id === a.id).node;
      expect(gdA).toMatchObject({ containerNumbers: [containerNo('OPS', '000001')], consignor: { name: 'Shenzhen Trading Co.' }, source: { kind: 'risk profiling' }, withheld: [] });

      const hkView = ok(await t.gql(k.hkObserver, OP_ALERTS, { id: op.id, first: 100 })).jointOperation.alerts;
      expect(hkView.totalCount).toBe(2);
      expect(hkView.edges.map((e: any) => e.node.id).sort()).toEqual([a.id, hkOwn.id].sort());
      const hkA = hkView.edges.find((e: any) => e.node.id === a.id).node;
      expect(hkA).toMatchObject({
        title: 'linked, shared with all',
        riskLevel: 'HIGH',
        containerNumbers: null,
        billOfLading: null,
        consignor: null,
        source: null,
        operationalNotes: null,
        withheld: ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'],
      });
      // The same answer through filter: { operationId }.
      expect((await h.alertsOfOp(k.hkObserver, op.id)).ids.sort()).toEqual([a.id, hkOwn.id].sort());
      expect((await h.alertsOfOp(k.gdObserver, op.id)).total).toBe(3);
      // Hong Kong's reads through the operation are in Guangdong's access log, with what they disclosed:
      // the payload of its own linkAlertToOperation, JointOperation.alerts, and the operationId filter.
      const log = ok(await t.gql(k.gdAnalyst, ACCESS_LOG, { a: a.id })).alertAccessLog;
      expect(log.edges.map((e: any) => [e.node.agency.code, e.node.disclosed, e.node.via])).toEqual([
        ['HK', ['CORE'], 'query'],
        ['HK', ['CORE'], 'query'],
        ['HK', ['CORE'], 'query'],
      ]);
    });

    test('JointOperation.alerts pages with first and after', async () => {
      const op = await h.plan(k.gdCoord, { participants: ['HK'] });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const a = await h.published(k.gdAnalyst, { title: `paged ${i}` });
        await h.link(k.gdAnalyst, op.id, a.id);
        ids.push(a.id);
      }
      const p1 = ok(await t.gql(k.hkAnalyst, OP_ALERTS, { id: op.id, first: 2 })).jointOperation.alerts;
      expect(p1.totalCount).toBe(3);
      expect(p1.edges).toHaveLength(2);
      expect(p1.pageInfo.hasNextPage).toBe(true);
      const p2 = ok(await t.gql(k.hkAnalyst, OP_ALERTS, { id: op.id, first: 2, after: p1.pageInfo.endCursor })).jointOperation.alerts;
      expect(p2.edges).toHaveLength(1);
      expect(p2.pageInfo.hasNextPage).toBe(false);
      expect([...p1.edges, ...p2.edges].map((e: any) => e.node.id).sort()).toEqual([...ids].sort());
    });

    test("only the alert's originator links it, as COORDINATOR or ANALYST, to an operation still open", async () => {
      const op = await h.plan(k.gdCoord, { participants: ['HK'] });
      const a = await h.published(k.gdAnalyst);
      const hidden = await h.published(k.gdAnalyst, { distribution: { scope: 'ORIGINATOR_ONLY' } });
      for (const token of [k.gdObserver, k.gdAdmin]) expect(codeOf(await t.gql(token, LINK, { op: op.id, alert: a.id }))).toBe('FORBIDDEN');
      // A participant that may see the alert, but did not write it.
      expect(codeOf(await t.gql(k.hkAnalyst, LINK, { op: op.id, alert: a.id }))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(k.hkCoord, LINK, { op: op.id, alert: a.id }))).toBe('FORBIDDEN');
      // One it may not see is not there at all.
      const r1 = failure(await t.gql(k.hkAnalyst, LINK, { op: op.id, alert: hidden.id }));
      const r2 = failure(await t.gql(k.hkAnalyst, LINK, { op: op.id, alert: UNKNOWN_ID }));
      expect(r1.code).toBe('NOT_FOUND');
      expect(r1.message.replace(hidden.id, 'X')).toBe(r2.message.replace(UNKNOWN_ID, 'X'));
      expect((await h.get(k.gdCoord, op.id)).alerts.totalCount).toBe(0);

      const done = await h.move(k.gdCoord, await h.move(k.gdCoord, op, 'ACTIVE'), 'CONCLUDED');
      expect(failure(await t.gql(k.gdAnalyst, LINK, { op: done.id, alert: a.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operationId' });
      expect((await h.get(k.gdCoord, op.id)).alerts.totalCount).toBe(0);
    });
  });

  describe('the OPERATION scope', () => {
    test("an alert shared with an operation is seen by its participants only, and names the operation to them", async () => {
      const op = await h.plan(k.gdCoord, { participants: ['HK'] });
      const draft = ok(await t.gql(k.gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'OPERATION', operationId: op.id } }) })).createAlert;
      // A draft is its originator's alone, whatever its distribution.
      expect(await h.sees(k.hkAnalyst, draft.id)).toBe(false);
      const a = ok(await t.gql(k.gdAnalyst, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;
      expect(a.distribution.scope).toBe('OPERATION');
      expect(await h.sees(k.hkAnalyst, a.id)).toBe(true);
      expect(await h.sees(k.moAnalyst, a.id)).toBe(false);
      const title = `{ alerts(first: 100, filter: { text: "${'Speakers'}" }) { edges { node { id } } } }`;
      expect(ok(await t.gql(k.hkAnalyst, title)).alerts.edges.map((e: any) => e.node.id)).toContain(a.id);
      expect(ok(await t.gql(k.moAnalyst, title)).alerts.edges.map((e: any) => e.node.id)).not.toContain(a.id);

      for (const token of [k.gdAnalyst, k.hkAnalyst]) {
        expect(ok(await t.gql(token, ALERT_DIST, { id: a.id })).alert.distribution).toEqual({
          scope: 'OPERATION',
          operation: { id: op.id, codeName: op.codeName, participants: [{ code: 'GD' }, { code: 'HK' }] },
        });
      }
      // Sharing with an operation the originator does not take part in is refused as for an unknown one.
      const moOp = await h.plan(k.moCoord, { participants: ['HK'] });
      const r1 = failure(await t.gql(k.gdAnalyst, SHARE, { id: a.id, version: a.version, d: { scope: 'OPERATION', operationId: moOp.id } }));
      const r2 = failure(await t.gql(k.gdAnalyst, SHARE, { id: a.id, version: a.version, d: { scope: 'OPERATION', operationId: UNKNOWN_ID } }));
      expect(r1).toMatchObject({ code: 'BAD_USER_INPUT', field: 'distribution.operationId' });
      expect(r1.message.replace(moOp.id, 'X')).toBe(r2.message.replace(UNKNOWN_ID, 'X'));
    });

    test('Alert.distribution.operation is null for a viewer that does not take part, even the originator', async () => {
      // Hong Kong leads; Guangdong takes part, shares its alert with the operation, and is then dropped.
      let op = await h.plan(k.hkCoord, { participants: ['GD', 'MO'] });
      const a = await h.share(k.gdAnalyst, await h.published(k.gdAnalyst), { scope: 'OPERATION', operationId: op.id });
      expect(a.distribution.operation).toEqual({ id: op.id, codeName: op.codeName });
      op = ok(await t.gql(k.hkCoord, UPDATE_OP, { id: op.id, version: op.version, input: { participants: ['MO'] } })).updateJointOperation;
      expect(op.participants).toEqual([{ code: 'HK' }, { code: 'MO' }]);
      const gdSees = ok(await t.gql(k.gdAnalyst, ALERT_DIST, { id: a.id })).alert;
      expect(gdSees.distribution).toEqual({ scope: 'OPERATION', operation: null });
      expect(ok(await t.gql(k.gdAnalyst, GET_OP, { id: op.id })).jointOperation).toBeNull();
      const moSees = ok(await t.gql(k.moAnalyst, ALERT_DIST, { id: a.id })).alert;
      expect(moSees.distribution.operation.id).toBe(op.id);
    });

    test('with the default window, an OPERATION-scoped alert stays visible to participants after the operation concludes or is cancelled', async () => {
      for (const end of ['CONCLUDED', 'CANCELLED']) {
        let op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
        const a = await h.share(k.gdAnalyst, await h.published(k.gdAnalyst), { scope: 'OPERATION', operationId: op.id });
        await h.link(k.gdAnalyst, op.id, a.id);
        op = await h.move(k.gdCoord, op, end);
        expect(op.status).toBe(end);
        expect(await h.sees(k.hkAnalyst, a.id)).toBe(true);
        expect((await h.alertsOfOp(k.hkAnalyst, op.id)).ids).toEqual([a.id]);
        expect((await h.get(k.hkAnalyst, op.id)).alerts.totalCount).toBe(1);
        expect(await h.sees(k.moAnalyst, a.id)).toBe(false);
      }
    });

    test('an alert is newly shared with a PLANNED or ACTIVE operation only, as it is linked; one it is shared with already stays named once closed', async () => {
      for (const end of ['CONCLUDED', 'CANCELLED']) {
        const planned = await h.plan(k.gdCoord, { participants: ['HK'] });
        let op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
        expect((await h.share(k.gdAnalyst, await h.published(k.gdAnalyst), { scope: 'OPERATION', operationId: planned.id })).distribution.operation.id).toBe(planned.id);
        const already = await h.share(k.gdAnalyst, await h.published(k.gdAnalyst), { scope: 'OPERATION', operationId: op.id });
        op = await h.move(k.gdCoord, op, end);

        // A new alert, by shareAlert or at creation: refused on the operation field, nothing changed.
        const other = await h.published(k.gdAnalyst);
        const shared = failure(await t.gql(k.gdAnalyst, SHARE, { id: other.id, version: other.version, d: { scope: 'OPERATION', operationId: op.id } }));
        expect(shared).toEqual({ code: 'BAD_USER_INPUT', field: 'distribution.operationId', message: `distribution.operationId names a ${end} joint operation: only a PLANNED or ACTIVE one takes new alerts` });
        expect(ok(await t.gql(k.gdAnalyst, ALERT_DIST, { id: other.id })).alert.distribution).toEqual({ scope: 'ALL_PARTNERS', operation: null });
        const created = failure(await t.gql(k.gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'OPERATION', operationId: op.id } }) }));
        expect(created).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.distribution.operationId' });
        // Linking says the same.
        expect(failure(await t.gql(k.gdAnalyst, LINK, { op: op.id, alert: other.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operationId' });

        // The alert shared with it before it closed may be shared again as it is.
        const again = await h.share(k.gdAnalyst, already, { scope: 'OPERATION', operationId: op.id });
        expect(again).toMatchObject({ version: already.version + 1, distribution: { scope: 'OPERATION', operation: { id: op.id } } });
        expect(await h.sees(k.hkAnalyst, already.id)).toBe(true);
      }
    });
  });

  describe('results', () => {
    const bags = (pieces: number, extra: Record<string, unknown> = {}) => ({ category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces, ...extra });

    test('results are reported while ACTIVE and within the window after concluding; never while PLANNED or once CANCELLED', async () => {
      let op = await h.plan(k.gdCoord, { participants: ['HK'] });
      expect(failure(await t.gql(k.hkAnalyst, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [bags(10)] } }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'operationId',
      });
      op = await h.move(k.gdCoord, op, 'ACTIVE');
      const r1 = await h.report(k.hkAnalyst, op.id, { casesOpened: 1, seizures: [bags(10, { place: 'HKKWN' })], notes: 'Kwai Chung' });
      expect(r1).toMatchObject({ casesOpened: 1, notes: 'Kwai Chung', correctsResultId: null, reportingAgency: { code: 'HK' } });
      expect(r1.seizures).toEqual([{ category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 10, place: 'HKKWN', rightsHolders: [] }]);
      op = await h.move(k.gdCoord, op, 'CONCLUDED');
      // Within the 30-day window after concluding.
      const r2 = await h.report(k.gdCoord, op.id, { casesOpened: 0, seizures: [bags(5)] });
      expect((await h.get(k.hkObserver, op.id)).results.map((r: any) => r.id)).toEqual([r1.id, r2.id]);

      let cancelled = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      await h.report(k.hkAnalyst, cancelled.id, { casesOpened: 1, seizures: [bags(1)] });
      cancelled = await h.move(k.gdCoord, cancelled, 'CANCELLED');
      for (const token of [k.hkAnalyst, k.gdCoord]) {
        expect(failure(await t.gql(token, REPORT, { op: cancelled.id, input: { casesOpened: 1, seizures: [bags(10)] } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operationId' });
      }
      expect((await h.get(k.gdCoord, cancelled.id)).results).toHaveLength(1);
    });

    test("results are reported by a participant's COORDINATOR or ANALYST only", async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      for (const token of [k.hkObserver, k.hkAdmin, k.gdObserver, k.gdAdmin]) {
        expect(codeOf(await t.gql(token, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [bags(3)] } }))).toBe('FORBIDDEN');
      }
      for (const token of [k.hkCoord, k.hkAnalyst, k.gdAnalyst]) await h.report(token, op.id, { casesOpened: 1, seizures: [bags(3)] });
      const results = (await h.get(k.gdCoord, op.id)).results;
      expect(results.map((r: any) => r.reportingAgency.code)).toEqual(['HK', 'HK', 'GD']);
    });

    test('a result is checked: pieces above zero, known rights holders, alerts linked to the operation; a refused result writes nothing', async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const unlinked = await h.published(k.hkAnalyst);
      const hidden = await h.published(k.gdAnalyst, { distribution: { scope: 'ORIGINATOR_ONLY' } });
      await h.link(k.gdAnalyst, op.id, hidden.id);
      const cases: [Record<string, unknown>, string][] = [
        [{ casesOpened: 1, seizures: [bags(0)] }, 'input.seizures[0].pieces'],
        [{ casesOpened: 1, seizures: [bags(5), bags(-3)] }, 'input.seizures[1].pieces'],
        [{ casesOpened: -1, seizures: [bags(5)] }, 'input.casesOpened'],
        [{ casesOpened: 1, seizures: [bags(5, { rightsHolderIds: [UNKNOWN_ID] })] }, 'input.seizures[0].rightsHolderIds'],
        [{ casesOpened: 1, seizures: [bags(5)], alertIds: [unlinked.id] }, 'input.alertIds'],
        // Linked, but not visible to Hong Kong: as if it were not there.
        [{ casesOpened: 1, seizures: [bags(5)], alertIds: [hidden.id] }, 'input.alertIds'],
        [{ casesOpened: 1, seizures: [bags(5)], alertIds: [UNKNOWN_ID] }, 'input.alertIds'],
      ];
      for (const [input, field] of cases) {
        expect({ field, ...failure(await t.gql(k.hkAnalyst, REPORT, { op: op.id, input })) }).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      const after = await h.get(k.hkAnalyst, op.id);
      expect(after.results).toEqual([]);
      expect(after.statistics).toEqual(ZERO_STATS);
      expect(ok(await t.gql(k.hkAnalyst, GET, { id: unlinked.id })).alert.status).toBe('PUBLISHED');
    });

    test("a result seizes the reporter's own linked alerts, a PUBLISHED one by way of UNDER_INSPECTION; a partner's alerts stay as they are", async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const published = await h.published(k.gdAnalyst, { title: 'to be seized from published' });
      let inspected = await h.published(k.gdAnalyst, { title: 'to be seized from inspection' });
      inspected = ok(await t.gql(k.gdAnalyst, SET_ALERT_STATUS, { id: inspected.id, version: inspected.version, status: 'UNDER_INSPECTION' })).setAlertStatus;
      const partners = await h.published(k.hkAnalyst, { title: 'Hong Kong alert in the same result' });
      for (const [token, a] of [[k.gdAnalyst, published], [k.gdAnalyst, inspected], [k.hkAnalyst, partners]] as const) await h.link(token, op.id, a.id);

      await h.report(k.gdCoord, op.id, { casesOpened: 1, seizures: [bags(29_500)], alertIds: [published.id, inspected.id, partners.id] });

      const status = async (token: string, id: string) => ok(await t.gql(token, GET, { id })).alert.status;
      expect(await status(k.gdAnalyst, published.id)).toBe('SEIZED');
      expect(await status(k.hkAnalyst, published.id)).toBe('SEIZED');
      expect(await status(k.gdAnalyst, inspected.id)).toBe('SEIZED');
      expect(await status(k.hkAnalyst, partners.id)).toBe('PUBLISHED');
      const moves = (id: string) =>
        t.gql(k.gdAnalyst, HISTORY, { id }).then((r) => ok(r).alertHistory.filter((e: any) => e.kind === 'STATUS_CHANGED').map((e: any) => `${e.fromStatus}>${e.toStatus}`));
      expect(await moves(published.id)).toEqual(['PUBLISHED>UNDER_INSPECTION', 'UNDER_INSPECTION>SEIZED']);
      expect(await moves(inspected.id)).toEqual(['PUBLISHED>UNDER_INSPECTION', 'UNDER_INSPECTION>SEIZED']);
    });

    test("a correction is a new result naming the reporter's own result; a result is corrected once; the others stay on record", async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK', 'MO'] }), 'ACTIVE');
      const first = await h.report(k.hkAnalyst, op.id, { casesOpened: 2, seizures: [bags(100)] });
      const gdResult = await h.report(k.gdAnalyst, op.id, { casesOpened: 1, seizures: [bags(7)] });
      const second = await h.report(k.hkCoord, op.id, { casesOpened: 3, seizures: [bags(120)], correctsResultId: first.id });
      expect(second).toMatchObject({ correctsResultId: first.id, casesOpened: 3, reportingAgency: { code: 'HK' } });
      // Corrected already: only the latest can be corrected.
      expect(codeOf(await t.gql(k.hkAnalyst, REPORT, { op: op.id, input: { casesOpened: 9, seizures: [bags(999)], correctsResultId: first.id } }))).toBe('CONFLICT');
      // Another agency's result is not the reporter's to correct.
      const foreign = failure(await t.gql(k.moAnalyst, REPORT, { op: op.id, input: { casesOpened: 9, seizures: [bags(999)], correctsResultId: second.id } }));
      expect(['BAD_USER_INPUT', 'CONFLICT']).toContain(foreign.code);
      // A result of another operation, or none at all.
      const other = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const elsewhere = await h.report(k.hkAnalyst, other.id, { casesOpened: 1, seizures: [bags(1)] });
      for (const id of [elsewhere.id, UNKNOWN_ID]) {
        expect(['BAD_USER_INPUT', 'CONFLICT']).toContain(codeOf(await t.gql(k.hkAnalyst, REPORT, { op: op.id, input: { casesOpened: 9, seizures: [bags(999)], correctsResultId: id } })));
      }
      const third = await h.report(k.hkAnalyst, op.id, { casesOpened: 4, seizures: [bags(130)], correctsResultId: second.id });

      const view = await h.get(k.moAnalyst, op.id);
      expect(view.results.map((r: any) => [r.id, r.correctsResultId])).toEqual([
        [first.id, null],
        [gdResult.id, null],
        [second.id, first.id],
        [third.id, second.id],
      ]);
      // Statistics count the latest of the chain, and Guangdong's result.
      expect(normalized(view.statistics)).toEqual(
        expectedStatistics([
          { agency: 'GD', casesOpened: 1, seizures: [bags(7)] },
          { agency: 'HK', casesOpened: 4, seizures: [bags(130)] },
        ]),
      );
    });

    test('concurrent corrections of one result: exactly one wins, the others are CONFLICT', async () => {
      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const first = await h.report(k.hkAnalyst, op.id, { casesOpened: 1, seizures: [bags(10)] });
      const res = await Promise.all(
        [11, 12, 13, 14].map((pieces) => t.gql(k.hkAnalyst, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [bags(pieces)], correctsResultId: first.id } })),
      );
      const winners = res.filter((r) => !r.body.errors);
      expect(winners).toHaveLength(1);
      expect(res.filter((r) => r.body.errors).map(codeOf)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      const won = winners[0].body.data.reportOperationResult;
      const view = await h.get(k.hkAnalyst, op.id);
      expect(view.results).toHaveLength(2);
      expect(view.statistics.totalPieces).toBe(won.seizures[0].pieces);
    });
  });

  describe('statistics', () => {
    test('statistics equal the sum of the reported seizures, corrections counted once, rights holders distinct, for every participant', async () => {
      const holder = async (name: string, no: string) =>
        ok(await t.gql(k.gdAnalyst, UPSERT_HOLDER, { input: { name, recordations: [{ type: 'TRADEMARK', recordationNumber: no, mark: name.toUpperCase() }] } })).upsertRightsHolder
          .id as string;
      const [rhA, rhB, rhC, rhD] = [await holder('Acme Audio', 'T-OPS-1'), await holder('Brandt Bags', 'T-OPS-2'), await holder('Circuitry Ltd', 'T-OPS-3'), await holder('Dropped Holder', 'T-OPS-4')];
      const since = new Date().toISOString();

      const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK', 'MO'] }), 'ACTIVE');
      const side = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');

      const gd: Reported = {
        agency: 'GD',
        casesOpened: 3,
        seizures: [
          { category: 'AUDIO_EQUIPMENT', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 29_500, place: 'CNSHK', rightsHolderIds: [rhA, rhB] },
          { category: 'AUDIO_EQUIPMENT', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 29_500, place: 'CNSHK', rightsHolderIds: [rhA] },
          { category: 'INTEGRATED_CIRCUITS', infringement: 'PATENT', channel: 'CROSS_BORDER_ECOMMERCE', pieces: 1_800, place: 'CNHUA', rightsHolderIds: [rhC] },
        ],
      };
      const hk1: Reported = { agency: 'HK', casesOpened: 2, seizures: [{ category: 'BAGS', infringement: 'TRADEMARK', channel: 'AIR_CARGO', pieces: 800, rightsHolderIds: [rhB] }] };
      const hk2: Reported = { agency: 'HK', casesOpened: 1, seizures: [] };
      const moWrong: Reported = { agency: 'MO', casesOpened: 5, seizures: [{ category: 'WATCHES_JEWELLERY', infringement: 'DESIGN', channel: 'PASSENGER', pieces: 9_999, rightsHolderIds: [rhD] }] };
      const moRight: Reported = {
        agency: 'MO',
        casesOpened: 4,
        seizures: [
          { category: 'WATCHES_JEWELLERY', infringement: 'DESIGN', channel: 'PASSENGER', pieces: 90 },
          { category: 'BAGS', infringement: 'TRADEMARK', channel: 'LAND_BORDER', pieces: 60, rightsHolderIds: [rhB, rhC] },
        ],
      };
      const sideResult: Reported = { agency: 'HK', casesOpened: 7, seizures: [{ category: 'SHOES', infringement: 'TRADEMARK', channel: 'POSTAL_EXPRESS', pieces: 333, rightsHolderIds: [rhD] }] };
      const send = (token: string, opId: string, r: Reported, correctsResultId?: string) =>
        h.report(token, opId, { casesOpened: r.casesOpened, seizures: r.seizures, ...(correctsResultId ? { correctsResultId } : {}) });

      await send(k.gdCoord, op.id, gd);
      await send(k.hkAnalyst, op.id, hk1);
      await send(k.hkCoord, op.id, hk2);
      const wrong = await send(k.moAnalyst, op.id, moWrong);
      await send(k.moCoord, op.id, moRight, wrong.id);
      await send(k.hkAnalyst, side.id, sideResult);

      const main = expectedStatistics([gd, hk1, hk2, moRight]);
      expect(main).toMatchObject({ totalPieces: 29_500 * 2 + 1_800 + 800 + 90 + 60, totalCases: 3 + 2 + 1 + 4, rightsHoldersProtected: 3 });
      for (const token of [k.gdObserver, k.hkAnalyst, k.moCoord]) {
        expect(normalized((await h.get(token, op.id)).statistics)).toEqual(main);
        expect(normalized(await h.stats(token, { operationId: op.id }))).toEqual(main);
      }
      // By reporting agency, within the operation.
      expect(normalized(await h.stats(k.moAnalyst, { operationId: op.id, agency: 'hk' }))).toEqual(expectedStatistics([hk1, hk2]));
      expect(normalized(await h.stats(k.gdAnalyst, { operationId: op.id, agency: 'MO' }))).toEqual(expectedStatistics([moRight]));
      // Over every operation the viewer takes part in, reported since the test began.
      expect(normalized(await h.stats(k.gdAnalyst, { from: since }))).toEqual(expectedStatistics([gd, hk1, hk2, moRight, sideResult]));
      expect(normalized(await h.stats(k.hkAnalyst, { from: since }))).toEqual(expectedStatistics([gd, hk1, hk2, moRight, sideResult]));
      expect(normalized(await h.stats(k.moAnalyst, { from: since }))).toEqual(main);
      expect(normalized(await h.stats(k.moAnalyst, { from: since, agency: 'HK' }))).toEqual(expectedStatistics([hk1, hk2]));
      expect(normalized(await h.stats(k.hkAnalyst, { operationId: side.id }))).toEqual(expectedStatistics([sideResult]));
      // `to` is exclusive of what came after it.
      expect(await h.stats(k.gdAnalyst, { from: since, to: since })).toEqual(ZERO_STATS);
      expect(normalized(await h.stats(k.gdAnalyst, { from: since, to: new Date(Date.now() + 60_000).toISOString() }))).toEqual(
        expectedStatistics([gd, hk1, hk2, moRight, sideResult]),
      );
    });
  });
});

describe('joint operations with a closing window of 0 days', () => {
  let t: TestHub;
  let k: Tokens;
  const h = helpers(() => t);

  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_OPERATION_WINDOW_DAYS: '0' } });
    k = await tokensOf(t);
  });
  afterAll(() => t.stop());

  for (const end of ['CONCLUDED', 'CANCELLED']) {
    test(`an OPERATION-scoped alert is its originator's alone once the operation is ${end} and the window has passed`, async () => {
      let op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
      const a = await h.share(k.gdAnalyst, await h.published(k.gdAnalyst, { title: `closed group ${end}` }), { scope: 'OPERATION', operationId: op.id });
      await h.link(k.gdAnalyst, op.id, a.id);
      expect(await h.sees(k.hkAnalyst, a.id)).toBe(true);
      expect((await h.alertsOfOp(k.hkAnalyst, op.id)).ids).toEqual([a.id]);

      op = await h.move(k.gdCoord, op, end);
      // Gone for Hong Kong by id, list, filter and through the operation, which it still sees.
      expect(await h.sees(k.hkAnalyst, a.id)).toBe(false);
      expect(ok(await t.gql(k.hkAnalyst, `{ alerts(first: 100, filter: { text: "closed group" }) { totalCount } }`)).alerts.totalCount).toBe(0);
      expect(await h.alertsOfOp(k.hkAnalyst, op.id)).toEqual({ total: 0, ids: [] });
      const hkOp = await h.get(k.hkAnalyst, op.id);
      expect(hkOp.status).toBe(end);
      expect(hkOp.alerts).toEqual({ totalCount: 0, edges: [] });
      // Still there for Guangdong, its originator, with its operation named.
      const gdSees = ok(await t.gql(k.gdAnalyst, ALERT_DIST, { id: a.id })).alert;
      expect(gdSees.distribution).toMatchObject({ scope: 'OPERATION', operation: { id: op.id } });
      expect((await h.alertsOfOp(k.gdAnalyst, op.id)).ids).toEqual([a.id]);
      expect((await h.get(k.gdAnalyst, op.id)).alerts.totalCount).toBe(1);
    });
  }

  test('results are refused once the window after concluding has passed', async () => {
    let op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
    const seizure = { category: 'TOYS', infringement: 'COPYRIGHT', channel: 'LAND_BORDER', pieces: 250 };
    await h.report(k.hkAnalyst, op.id, { casesOpened: 1, seizures: [seizure] });
    op = await h.move(k.gdCoord, op, 'CONCLUDED');
    for (const token of [k.hkAnalyst, k.hkCoord, k.gdCoord, k.gdAnalyst]) {
      expect(failure(await t.gql(token, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [seizure] } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operationId' });
    }
    const view = await h.get(k.gdAnalyst, op.id);
    expect(view.results).toHaveLength(1);
    expect(normalized(view.statistics)).toEqual(expectedStatistics([{ agency: 'HK', casesOpened: 1, seizures: [seizure] }]));
  });
});

describe('statistics at the edge of what a result may carry', () => {
  let t: TestHub;
  let k: Tokens;
  const h = helpers(() => t);

  // A hub of its own: figures this large would otherwise crowd the other tests' statistics.
  beforeAll(async () => {
    t = await startTestHub();
    k = await tokensOf(t);
  });
  afterAll(() => t.stop());

  // The totals are GraphQL Ints (32-bit): a report that could not be represented must be
  // refused, not break seizureStatistics and JointOperation.statistics for every participant.
  test('a result the hub accepts never stops the statistics from answering', async () => {
    const op = await h.move(k.gdCoord, await h.plan(k.gdCoord, { participants: ['HK'] }), 'ACTIVE');
    const seizure = { category: 'INTEGRATED_CIRCUITS', infringement: 'PATENT', channel: 'CROSS_BORDER_ECOMMERCE', pieces: 1_500_000_000 };
    const accepted: Reported[] = [];
    for (const [token, agency] of [[k.gdAnalyst, 'GD'], [k.hkAnalyst, 'HK']] as const) {
      const res = await t.gql(token, REPORT, { op: op.id, input: { casesOpened: 1, seizures: [seizure] } });
      // Refusing what the totals cannot hold is one way out; answering correctly is the other.
      if (res.body.errors) expect(failure(res).code).toBe('BAD_USER_INPUT');
      else accepted.push({ agency, casesOpened: 1, seizures: [seizure] });
    }
    for (const token of [k.gdObserver, k.hkObserver]) {
      expect(normalized(await h.stats(token))).toEqual(expectedStatistics(accepted));
      expect(normalized((await h.get(token, op.id)).statistics)).toEqual(expectedStatistics(accepted));
    }
  });
});
