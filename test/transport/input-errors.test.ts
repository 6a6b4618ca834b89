import { Client as PgClient } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, alertInput } from '../support/fixtures';
import { encodeCursor } from '../../src/common/pagination';

/*
 * Bad input of every kind is BAD_USER_INPUT naming its field, over HTTP and the socket alike:
 * dates outside years 1 to 9999 in any date input, literal or variable; forged values inside
 * well-formed cursors; variables that do not fit their type; lone surrogates and text that
 * shows nothing. Nothing is written, nothing is logged at error level, and no message spells
 * out the schema with "Did you mean".
 */

const UNKNOWN_ID = '01234567-89ab-7def-8123-456789abcdef';
const YEAR_0 = '0000-12-31T00:00:00Z';
// 9999-12-31 at 23:00 in New York is already the year 10000 in UTC.
const PAST_9999 = '9999-12-31T23:00:00-05:00';

const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id } }`;
const opInput = (over: Record<string, unknown> = {}) => ({ codeName: `Probe ${Date.now()}`, objective: 'Input checks', participants: [], startsOn: '2026-03-01T00:00:00Z', ...over });

describe('input errors', () => {
  let t: TestHub;
  let gd: string;
  let gdCoord: string;
  let hk: string;
  let sql: PgClient;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestHub({ logLines: logs });
    [gd, gdCoord, hk] = await Promise.all([t.token('GD', ['ANALYST']), t.token('GD', ['COORDINATOR']), t.token('HK', ['ANALYST'])]);
    sql = new PgClient({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  /** Rows of the tables a bad request could have written to. */
  async function rows(): Promise<Record<string, number>> {
    const { rows: [r] } = await sql.query(
      `select (select count(*) from alert)::int as alerts, (select count(*) from joint_operation)::int as operations,
              (select count(*) from operation_task)::int as tasks, (select count(*) from rights_holder)::int as holders,
              (select count(*) from disclosure_request)::int as requests, (select count(*) from hub_event)::int as events`,
    );
    return r;
  }

  /** Lines the hub logged at error level or above (pino: 50) since `from`. */
  const errorLines = (from: number) => logs.slice(from).filter((l) => JSON.parse(l).level >= 50);

  /** One operation over the socket: its data and errors, whether sent as a result or as an error message. */
  function overSocket(token: string, query: string, variables: Record<string, unknown> = {}, take = 1): Promise<{ data?: any; errors?: any[] }> {
    const client = t.ws(token);
    return new Promise((resolve, reject) => {
      let results = 0;
      const timer = setTimeout(() => reject(new Error('no answer over the socket')), 10_000);
      const done = (r: { data?: any; errors?: any[] }) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(r);
      };
      const unsubscribe = client.subscribe({ query, variables }, {
        next: (r) => {
          if (r.errors || ++results >= take) done(r as never);
        },
        error: (e) => (Array.isArray(e) ? done({ errors: e }) : reject(e)),
        complete: () => undefined,
      });
    });
  }

  const expectRefused = (errors: any[] | undefined, field: string) => {
    expect(errors).toHaveLength(1);
    expect(errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(errors![0].message).not.toMatch(/Did you mean|\bat \w+\.js|select |insert /i);
  };

  describe('a date outside years 1 to 9999 is BAD_USER_INPUT on its field, in every date input', () => {
    const cases: [string, () => string, string, Record<string, unknown>, string][] = [
      ['startsOn in year 0', () => gdCoord, CREATE_OP, { input: opInput({ startsOn: YEAR_0 }) }, 'input.startsOn'],
      ['startsOn past 9999', () => gdCoord, CREATE_OP, { input: opInput({ startsOn: PAST_9999 }) }, 'input.startsOn'],
      ['endsOn past 9999', () => gdCoord, CREATE_OP, { input: opInput({ endsOn: PAST_9999 }) }, 'input.endsOn'],
      ['a variable named otherwise, named by its argument', () => gdCoord, `mutation ($op: CreateJointOperationInput!) { createJointOperation(input: $op) { id } }`, { op: opInput({ startsOn: YEAR_0 }) }, 'input.startsOn'],
      ['dueAt in year 0', () => gdCoord, `mutation ($op: ID!, $input: OperationTaskInput!) { addOperationTask(operationId: $op, input: $input) { id } }`, { op: UNKNOWN_ID, input: { assignedAgency: 'HK', title: 'Inspect', dueAt: YEAR_0 } }, 'input.dueAt'],
      ['publishedAfter in year 0', () => hk, `query ($f: AlertFilter) { alerts(filter: $f) { totalCount } }`, { f: { publishedAfter: YEAR_0 } }, 'filter.publishedAfter'],
      ['publishedBefore past 9999, a variable inside a literal', () => hk, `query ($d: DateTime) { alerts(filter: { channel: [SEA_CONTAINER], publishedBefore: $d }) { totalCount } }`, { d: PAST_9999 }, 'filter.publishedBefore'],
      ['seizureStatistics from in year 0', () => hk, `query ($f: StatisticsFilter) { seizureStatistics(filter: $f) { totalPieces } }`, { f: { from: YEAR_0 } }, 'filter.from'],
      ['expectedArrival in year 0', () => gd, CREATE, { input: alertInput({ expectedArrival: YEAR_0 }) }, 'input.expectedArrival'],
      ['a recordation valid until past 9999', () => gd, `mutation ($input: RightsHolderInput!) { upsertRightsHolder(input: $input) { id } }`, { input: { name: 'Probe Holder', recordations: [{ type: 'TRADEMARK', recordationNumber: 'P-1', mark: 'P', validUntil: PAST_9999 }] } }, 'input.recordations[0].validUntil'],
      ['a disclosure expiry in year 0', () => gd, `mutation ($r: ID!, $at: DateTime) { decideDisclosure(requestId: $r, approve: true, expiresAt: $at) { id } }`, { r: UNKNOWN_ID, at: YEAR_0 }, 'expiresAt'],
    ];
    test.each(cases)('%s, over HTTP and the socket', async (_name, token, query, variables, field) => {
      const before = await rows();
      const from = logs.length;
      const res = await t.gql(token(), query, variables);
      expect(res.status).toBe(400);
      expectRefused(res.body.errors, field);
      const ws = await overSocket(token(), query, variables);
      expectRefused(ws.errors, field);
      expect(await rows()).toEqual(before);
      expect(errorLines(from)).toEqual([]);
    });

    test('in a literal, the argument path is named too', async () => {
      const from = logs.length;
      const before = await rows();
      const created = await t.gql(gdCoord, `mutation { createJointOperation(input: { codeName: "Literal probe", objective: "x", participants: [], startsOn: "${YEAR_0}" }) { id } }`);
      expectRefused(created.body.errors, 'input.startsOn');
      const listed = await t.gql(hk, `{ alerts(filter: { publishedAfter: "2020-01-01T00:00:00Z", publishedBefore: "${PAST_9999}" }) { totalCount } }`);
      expectRefused(listed.body.errors, 'filter.publishedBefore');
      const ws = await overSocket(hk, `{ seizureStatistics(filter: { to: "${YEAR_0}" }) { totalPieces } }`);
      expectRefused(ws.errors, 'filter.to');
      const sub = await overSocket(hk, `subscription { alertEvents(filter: { publishedAfter: "${YEAR_0}" }) { cursor } }`);
      expectRefused(sub.errors, 'filter.publishedAfter');
      const byDefault = await t.gql(hk, `query ($d: DateTime = "${PAST_9999}") { alerts(filter: { publishedAfter: $d }) { totalCount } }`);
      expectRefused(byDefault.body.errors, 'filter.publishedAfter');
      expect(await rows()).toEqual(before);
      expect(errorLines(from)).toEqual([]);
    });

    test('the years 1 and 9999 themselves are taken', async () => {
      const res = await t.gql(hk, `query ($f: AlertFilter) { alerts(filter: $f) { totalCount } }`, { f: { publishedAfter: '0001-01-01T00:00:00Z', publishedBefore: '9999-12-31T23:59:59Z' } });
      expect(res.body.errors).toBeUndefined();
    });
  });

  describe('variables that do not fit are BAD_USER_INPUT over the socket as over HTTP, without suggestions', () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['an enum value misspelt', `query ($f: AlertFilter) { alerts(filter: $f) { totalCount } }`, { f: { channel: ['SEA_CONTAINR'] } }, 'filter.channel[0]'],
      ['an input field misspelt', `query ($f: AlertFilter) { alerts(filter: $f) { totalCount } }`, { f: { publishedAftr: '2020-01-01T00:00:00Z' } }, 'filter'],
      ['a string for an Int', `query ($n: Int) { alerts(first: $n) { totalCount } }`, { n: 'ten' }, 'first'],
      ['a required variable missing', `query ($id: ID!) { alert(id: $id) { id } }`, {}, 'id'],
    ];
    test.each(cases)('%s', async (_name, query, variables, field) => {
      const from = logs.length;
      const res = await t.gql(hk, query, variables);
      expect(res.status).toBe(400);
      expectRefused(res.body.errors, field);
      const ws = await overSocket(hk, query, variables);
      expectRefused(ws.errors, field);
      expect(errorLines(from)).toEqual([]);
    });

    test('a misspelt enum literal is refused without naming the value it resembles', async () => {
      const res = await t.gql(hk, `{ alerts(filter: { channel: [SEA_CONTAINR] }) { totalCount } }`);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors[0].message).not.toMatch(/Did you mean|SEA_CONTAINER/);
    });
  });

  describe('forged values inside well-formed cursors are BAD_USER_INPUT on after', () => {
    const alertCursors: [string, 'PUBLISHED_AT' | 'UPDATED_AT', string][] = [
      ['a 13th month and a 45th day', 'PUBLISHED_AT', '2024-13-45 00:00:00+00'],
      ['the 30th of February', 'PUBLISHED_AT', '2024-02-30 10:00:00+00'],
      ['year 0', 'PUBLISHED_AT', '0000-06-01 10:00:00+00'],
      ['the 25th hour', 'UPDATED_AT', '2024-06-01 25:00:00+00'],
      ['an offset of 99 hours', 'UPDATED_AT', '2024-06-01 10:00:00+99'],
    ];
    test.each(alertCursors)('an alerts cursor with %s', async (_name, field, at) => {
      const from = logs.length;
      const after = encodeCursor(`alerts:${field}:d`, [at, UNKNOWN_ID]);
      const res = await t.gql(hk, `query ($a: String, $o: AlertOrder) { alerts(first: 5, after: $a, orderBy: $o) { totalCount edges { cursor } } }`, { a: after, o: { field, direction: 'DESC' } });
      expectRefused(res.body.errors, 'after');
      expect(errorLines(from)).toEqual([]);
    });

    test.each([
      ['1e300', 1e300],
      ['-1e300', -1e300],
      ['a start in year 10000', 253402300800000],
    ])('an operations cursor at %s', async (_name, k) => {
      const from = logs.length;
      const res = await t.gql(hk, `query ($a: String) { jointOperations(first: 5, after: $a) { edges { cursor } } }`, { a: encodeCursor('operations', [k, UNKNOWN_ID]) });
      expectRefused(res.body.errors, 'after');
      expect(errorLines(from)).toEqual([]);
    });

    test('cursors the hub made still page', async () => {
      const first = await t.gql(hk, `{ alerts(first: 1) { pageInfo { endCursor } } }`);
      const cursor = encodeCursor('alerts:PUBLISHED_AT:d', ['2024-02-29 23:59:59.123456+08', UNKNOWN_ID]);
      const res = await t.gql(hk, `query ($a: String) { alerts(first: 1, after: $a) { totalCount } }`, { a: cursor });
      expect([first.body.errors, res.body.errors]).toEqual([undefined, undefined]);
    });
  });

  describe('text', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a lone high surrogate in a title', { title: 'Handbags \ud800 at Gongbei' }, 'input.title'],
      ['a lone low surrogate in a goods description', { goods: [{ category: 'BAGS', description: '\udc00', quantity: 1, unit: 'pcs' }] }, 'input.goods[0].description'],
      ['a consignee name of zero-width characters', { consignee: { name: '\u200b\u200c\u200d' } }, 'input.consignee.name'],
      ['a summary of U+2060, U+FEFF and spaces', { summary: '\u2060 \ufeff \u00a0' }, 'input.summary'],
      ['a title of a Hangul filler and a soft hyphen', { title: '\u3164\u00ad' }, 'input.title'],
    ];
    test.each(cases)('%s is refused, not stored as U+FFFD or as nothing', async (_name, overrides, field) => {
      const before = await rows();
      const from = logs.length;
      const res = await t.gql(gd, CREATE, { input: alertInput(overrides) });
      expectRefused(res.body.errors, field);
      const ws = await overSocket(gd, CREATE, { input: alertInput(overrides) });
      expectRefused(ws.errors, field);
      expect(await rows()).toEqual(before);
      expect(errorLines(from)).toEqual([]);
    });

    test('a lone surrogate in a search, and a justification showing nothing or malformed, are refused on their field', async () => {
      const search = await t.gql(hk, `query ($f: AlertFilter) { alerts(filter: $f) { totalCount } }`, { f: { text: 'speaker\udbff' } });
      expectRefused(search.body.errors, 'filter.text');
      const created = (await t.gql(gd, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
      expect((await t.gql(gd, `mutation ($id: ID!, $v: Int!) { publishAlert(id: $id, version: $v) { id } }`, { id: created.id, v: created.version })).body.errors).toBeUndefined();
      const before = await rows();
      const ask = `mutation ($a: ID!, $j: String!) { requestDisclosure(alertId: $a, fieldClasses: [PARTY_IDENTITY], justification: $j) { id } }`;
      expectRefused((await t.gql(hk, ask, { a: created.id, j: '\u200b\u2060\u3000' })).body.errors, 'justification');
      expectRefused((await t.gql(hk, ask, { a: created.id, j: 'Seizure follow-up \udfff' })).body.errors, 'justification');
      expect(await rows()).toEqual(before);
    });

    test('text with visible characters among invisible ones is kept as given', async () => {
      const res = await t.gql(gd, CREATE, { input: alertInput({ title: '\u200bHandbags\u200d 手袋' }) });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.createAlert.title).toBe('\u200bHandbags\u200d 手袋');
    });

    test('a body that is not valid UTF-8 is refused, not read with U+FFFD in place of its bytes', async () => {
      const before = await rows();
      const json = Buffer.from(JSON.stringify({ query: CREATE, variables: { input: alertInput({ title: 'XX' }) } }));
      const at = json.indexOf('XX');
      json[at] = 0xff;
      json[at + 1] = 0xfe;
      const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gd}` }, body: json });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: [{ message: 'request body is not valid UTF-8', extensions: { code: 'BAD_REQUEST' } }] });
      expect(await rows()).toEqual(before);
    });
  });
});
