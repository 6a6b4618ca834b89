/*
 * The read path of issue 18: a page of alerts is one prepared statement whose text carries no
 * value of the request, plus the access-log insert; the inserts of concurrent reads are grouped
 * (src/access/access-log.ts AccessLogBatcher) and every read waits for the commit of its rows;
 * an insert that fails fails every read it carried, cleanly.
 */
import { Pool } from 'pg';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { generateAlerts } from '../../src/demo/generator';
import { CUSTOM_PLANS, SESSION_PLANS, preparedQuery } from '../../src/db/sql';

const PAGE = `query ($first: Int) { alerts(first: $first, filter: { originAgency: ["GD"] }) { edges { node {
  id title goods { category description quantity } rightsHolders { name recordations { recordationNumber } } distribution { scope agencies { code } }
} } } }`;
const TITLES = `query ($first: Int) { alerts(first: $first, filter: { originAgency: ["GD"] }) { edges { node { id title } } } }`;
const GET = `query ($id: ID!) { alert(id: $id) { id title } }`;

describe('the read path: statements per request, prepared texts, grouped log commits', () => {
  let t: TestHub;
  /** A pool: answers arriving together are checked together. */
  let sql: Pool;
  let gd: string;
  let hk: string;

  const unlimited = (statement: string) => statement.replace(/ limit \d+$/, ' limit N');
  const inserts = (statements: string[]) => statements.filter((s) => /insert into alert_access_log/.test(s));
  const logged = async (subject: string) =>
    (await sql.query<{ n: number }>(`select count(*)::int as n from alert_access_log where $1 = any(subjects)`, [subject])).rows[0].n;

  beforeAll(async () => {
    t = await startTestHub();
    sql = new Pool({ connectionString: t.db.url, max: 4 });
    gd = await t.token('GD');
    hk = await t.token('HK');
    await generateAlerts(t.hub.orm.em.fork(), { alerts: 400, seed: 18 });
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  async function statementsFor(token: string, query: string, first: number): Promise<string[]> {
    t.statements.length = 0;
    const res = await t.gql(token, query, { first });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.alerts.edges).toHaveLength(first);
    // The listener's lines end with the time taken and the rows: the statement is what precedes.
    return t.statements.map((s) => s.replace(/ \[took [^\]]*\]$/, ''));
  }

  test("a partner's page is two statements, the page and its log insert, for 10 alerts as for 100", async () => {
    const ten = await statementsFor(hk, PAGE, 10);
    const hundred = await statementsFor(hk, PAGE, 100);
    expect(ten).toHaveLength(2);
    expect(hundred).toHaveLength(2);
    expect(inserts(ten)).toHaveLength(1);
    // The same texts but for the limit (written in: the plan depends on it); the agency and the
    // page's values are bound parameters.
    expect(ten[0]).toMatch(/ limit 11$/);
    expect(hundred[0]).toMatch(/ limit 101$/);
    expect(hundred.map(unlimited)).toEqual(ten.map(unlimited));
  });

  test('the statement text carries no value of the request: the same text for every agency and page size', async () => {
    const mo = await t.token('MO');
    const [hkPage] = await statementsFor(hk, PAGE, 10);
    const [moPage] = await statementsFor(mo, PAGE, 100);
    expect(unlimited(moPage)).toBe(unlimited(hkPage));
    expect(hkPage).toMatch(/\$1\b/);
    expect(hkPage).not.toMatch(/'HK'|'MO'|'\{GD\}'/);
  });

  test("the hub's connections plan its named statements once (generic plans), the ORM's own statements as before", async () => {
    const [row] = await t.hub.orm.em.getConnection().execute('show plan_cache_mode');
    expect(row.plan_cache_mode).toBe('force_generic_plan');
  });

  test('a text search is planned for its words: its session switches to custom plans around it, and every connection is back to generic plans after', async () => {
    const SEARCH = `query ($first: Int, $text: String) { alerts(first: $first, filter: { originAgency: ["GD"], text: $text }) { edges { node { id title } } } }`;
    t.statements.length = 0;
    const res = await t.gql(hk, SEARCH, { first: 5, text: 'watch' });
    expect(res.body.errors).toBeUndefined();
    const statements = t.statements.map((s) => s.replace(/ \[took [^\]]*\]$/, ''));
    expect(statements).toHaveLength(4);
    expect(statements[0]).toBe(`[query] ${CUSTOM_PLANS}`);
    expect(statements[1]).toMatch(/search_vector @@ \$\d+::tsquery/);
    expect(statements[2]).toBe(`[query] ${SESSION_PLANS}`);
    expect(inserts(statements)).toHaveLength(1);
    // Searches on every connection of the pool (three), then each connection's own setting.
    await Promise.all(Array.from({ length: 9 }, (_, i) => t.gql(hk, SEARCH, { first: 5, text: ['watch', 'bag', 'chip'][i % 3] })));
    const em = t.hub.orm.em.fork();
    const sessions = await Promise.all(
      Array.from({ length: 3 }, () => em.getConnection().execute(`select pg_backend_pid() as pid, current_setting('plan_cache_mode') as mode from pg_sleep(0.2)`)),
    );
    expect(new Set(sessions.map(([r]) => r.pid)).size).toBe(3);
    expect(sessions.map(([r]) => r.mode)).toEqual(['force_generic_plan', 'force_generic_plan', 'force_generic_plan']);
  });

  test('in a transaction, a custom statement switches the session for itself alone; one that fails leaves the rollback to undo the switch', async () => {
    const mode = `select current_setting('plan_cache_mode') as mode, ?::int as n`;
    await t.hub.orm.em.fork().transactional(async (em) => {
      expect((await preparedQuery(em, { custom: true })<{ mode: string }>(mode, [1]))[0].mode).toBe('force_custom_plan');
      expect((await preparedQuery(em)<{ mode: string }>(mode, [2]))[0].mode).toBe('force_generic_plan');
    });
    const em = t.hub.orm.em.fork();
    const pid = async (q: ReturnType<typeof preparedQuery>) => (await q<{ pid: number }>('select pg_backend_pid() as pid, ?::int as n', [0]))[0].pid;
    let inside = 0;
    await expect(
      em.transactional(async (trx) => {
        inside = await pid(preparedQuery(trx));
        await preparedQuery(trx, { custom: true })('select 1 / ?::int as n', [0]);
      }),
    ).rejects.toThrow(/division by zero/);
    // The same connection, after the rollback: generic plans again (three connections: ask each).
    const sessions = await Promise.all(
      Array.from({ length: 3 }, () => em.getConnection().execute(`select pg_backend_pid() as pid, current_setting('plan_cache_mode') as mode from pg_sleep(0.2)`)),
    );
    expect(sessions.map(([r]) => r.pid)).toContain(inside);
    expect(sessions.every(([r]) => r.mode === 'force_generic_plan')).toBe(true);
  });

  test('only the selected columns and collections are read: a page of titles reads no summary, parties, goods, rights holders or partners', async () => {
    const [titles] = await statementsFor(hk, TITLES, 10);
    expect(titles).not.toMatch(/alert_goods_line|alert_rights_holder|ipr_recordation|from alert_distribution_agency d join agency/);
    // Nor the columns of fields not asked for.
    expect(titles).toMatch(/a\.title\b/);
    expect(titles).not.toMatch(/a\.summary|consignor_name|consignee_name|source_kind|operational_notes|container_numbers|o\.name/);
    const [full] = await statementsFor(hk, PAGE, 10);
    expect(full).toMatch(/alert_goods_line/);
    expect(full).toMatch(/ipr_recordation/);
    // Visibility still reads the distribution (SELECTED_AGENCIES), in both.
    expect(titles).toMatch(/from alert_distribution_agency vd where vd\.alert_id = a\.id/);
  });

  test('concurrent reads share log inserts, and each answer leaves only once its rows are committed', async () => {
    const a = (await t.gql(gd, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, title: 'grouped commits' }) })).body.data.createAlert;
    expect((await t.gql(gd, PUBLISH, { id: a.id, version: a.version })).body.errors).toBeUndefined();
    const subjects = Array.from({ length: 24 }, (_, i) => `batch-reader-${i}`);
    const tokens = await Promise.all(subjects.map((sub) => t.trust.token('HK', ['OBSERVER'], { sub })));
    t.statements.length = 0;
    // As each answer arrives, its reader's row must already be there for anyone to see.
    const seen = await Promise.all(
      tokens.map(async (token, i) => {
        const res = await t.gql(token, GET, { id: a.id });
        expect(res.body.data.alert.title).toBe('grouped commits');
        return logged(subjects[i]);
      }),
    );
    expect(seen).toEqual(subjects.map(() => 1));
    const n = inserts(t.statements).length;
    // Fewer inserts than reads: the pool of three serves 24 requests, and reads that finish
    // while an insert is under way go in the next one together.
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(subjects.length);
    const rows = await sql.query(`select subjects, via, agency_code from alert_access_log where alert_id = $1`, [a.id]);
    expect(rows.rows.map((r) => r.subjects[0]).sort()).toEqual([...subjects].sort());
    expect(rows.rows.every((r) => r.via === 'query' && r.agency_code === 'HK' && r.subjects.length === 1)).toBe(true);
  });

  test('when the grouped insert fails, every read it carried is withheld with a clean error, and later reads are answered and logged', async () => {
    const a = (await t.gql(gd, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, title: 'all or none' }) })).body.data.createAlert;
    expect((await t.gql(gd, PUBLISH, { id: a.id, version: a.version })).body.errors).toBeUndefined();
    const subjects = Array.from({ length: 12 }, (_, i) => `refused-reader-${i}`);
    const tokens = await Promise.all(subjects.map((sub) => t.trust.token('HK', ['OBSERVER'], { sub })));
    await sql.query(`create function refuse_batch() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable'; end $$`);
    await sql.query(`create trigger refuse_batch before insert on alert_access_log for each statement execute function refuse_batch()`);
    try {
      const answers = await Promise.all(tokens.map((token) => t.gql(token, GET, { id: a.id })));
      for (const res of answers) {
        expect(res.status).toBe(500);
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(JSON.stringify(res.body)).not.toMatch(/all or none|alert_access_log|insert|audit store/);
      }
      for (const sub of subjects) expect(await logged(sub)).toBe(0);
    } finally {
      await sql.query(`drop trigger if exists refuse_batch on alert_access_log`);
      await sql.query(`drop function if exists refuse_batch()`);
    }
    // The batcher is not stuck on the failure: the next reads are answered and logged.
    const again = await Promise.all(tokens.slice(0, 3).map((token) => t.gql(token, GET, { id: a.id })));
    expect(again.map((r) => r.body.data.alert.title)).toEqual(['all or none', 'all or none', 'all or none']);
    for (const sub of subjects.slice(0, 3)) expect(await logged(sub)).toBe(1);
  });
});
