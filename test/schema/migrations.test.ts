import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/common/logger';
import { openOrm } from '../../src/db/orm';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The last migration that stored the access log a row per subject. */
const ROW_PER_SUBJECT = 'Migration20261129030959';
/** The migration that made it a row per read. */
const ROW_PER_READ = 'Migration20261129072411';
/** The migration that gave every alert a partner reference. */
const PARTNER_REFERENCES = 'Migration20261204181000_h3';

describe('migrations keep the data they reshape', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const sql = (text: string) => orm.em.getConnection().execute(text);

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    orm = await openOrm(db.url, { log: createLogger('silent') });
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  test('the access log: a row per subject becomes a read per row and back, losing no subject', async () => {
    const migrator = orm.getMigrator();
    await migrator.up({ to: ROW_PER_SUBJECT });
    await sql(`insert into alert_access_log (alert_id, at, agency_code, subject, disclosed, via) values
      ('00000000-0000-4000-8000-000000000001', '2026-11-01T00:00:00Z', 'HK', 'hk-officer-1', '{CORE}', 'query'),
      ('00000000-0000-4000-8000-000000000001', '2026-11-01T00:00:01Z', 'MO', 'mo "quoted", officer', '{CORE,GOODS}', 'subscription')`);

    await migrator.up();
    expect(await migrator.getPendingMigrations()).toEqual([]);
    expect(await sql('select agency_code, subjects, disclosed, via from alert_access_log order by id')).toEqual([
      { agency_code: 'HK', subjects: ['hk-officer-1'], disclosed: ['CORE'], via: 'query' },
      { agency_code: 'MO', subjects: ['mo "quoted", officer'], disclosed: ['CORE', 'GOODS'], via: 'subscription' },
    ]);
    // A read shown to three officers at once, as the fan-out writes it.
    await sql(`insert into alert_access_log (alert_id, at, agency_code, subjects, disclosed, via) values
      ('00000000-0000-4000-8000-000000000001', '2026-11-01T00:00:02Z', 'HK', '{hk-a,hk-b,hk-c}', '{CORE}', 'subscription')`);

    // Back to before the access-log change (and the migrations after it), not further.
    await migrator.down({ to: ROW_PER_READ });
    expect(await sql('select agency_code, subject, extract(epoch from at)::int - 1793491200 as second, via from alert_access_log order by id')).toEqual([
      { agency_code: 'HK', subject: 'hk-officer-1', second: 0, via: 'query' },
      { agency_code: 'MO', subject: 'mo "quoted", officer', second: 1, via: 'subscription' },
      { agency_code: 'HK', subject: 'hk-a', second: 2, via: 'subscription' },
      { agency_code: 'HK', subject: 'hk-b', second: 2, via: 'subscription' },
      { agency_code: 'HK', subject: 'hk-c', second: 2, via: 'subscription' },
    ]);
  });

  test('partner references: every alert already stored gets its own random token, and new ones get one at insert', async () => {
    const migrator = orm.getMigrator();
    await migrator.up({ to: ROW_PER_READ });
    const alert = (n: number) => `('00000000-0000-7000-8000-00000000000${n}', 'GD-2026-00000${n}', 'GD', 'gd-officer', 'title ${n}', 'summary', 'HIGH', 'SEA_CONTAINER', 'EXPORT', '{TRADEMARK}', '{}', now(), now())`;
    const columns = '(id, reference, origin_agency_code, created_by, title, summary, risk_level, channel, direction, infringements, modus_operandi, created_at, updated_at)';
    await sql(`insert into agency (code, name, jurisdiction, issuer, created_at) values ('GD', 'Guangdong', 'Guangdong', 'https://gd.example', now()) on conflict do nothing`);
    await sql(`insert into alert ${columns} values ${[1, 2, 3, 4, 5].map(alert).join(', ')}`);

    await migrator.up({ to: PARTNER_REFERENCES });
    await sql(`insert into alert ${columns} values ${alert(6)}`);
    const tokens = (await sql('select partner_token from alert order by id')).map((r) => r.partner_token as string);
    expect(tokens).toHaveLength(6);
    for (const token of tokens) expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(new Set(tokens).size).toBe(6);

    await migrator.down({ to: PARTNER_REFERENCES });
    expect(await sql(`select count(*)::int as n from information_schema.columns where table_name = 'alert' and column_name = 'partner_token'`)).toEqual([{ n: 0 }]);
    expect(await sql(`select count(*)::int as n from alert`)).toEqual([{ n: 6 }]);
    await migrator.up();
    expect(await migrator.getPendingMigrations()).toEqual([]);
  });
});

describe('partners joining: agencies get a joining time and alerts a sharing time', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const sql = (text: string) => orm.em.getConnection().execute(text);

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    orm = await openOrm(db.url, { log: createLogger('silent') });
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  test('no agency loses an alert it could see: each joined no later than the oldest alert', async () => {
    const migrator = orm.getMigrator();
    await migrator.up({ to: ROW_PER_READ });
    // HK's row was written after GD's alerts (a partner added to the trust file later).
    await sql(`insert into agency (code, name, jurisdiction, issuer, created_at) values
      ('GD', 'Guangdong', 'GD', 'https://idp.gd.test', '2026-01-01T00:00:00Z'),
      ('HK', 'Hong Kong', 'HK', 'https://idp.hk.test', '2026-06-01T00:00:00Z')`);
    const alert = (id: string, created: string, published: string | null) =>
      `('${id}', 'GD-2026-${id.slice(-6)}', 'GD', 'gd-officer-1', '${published ? 'PUBLISHED' : 'DRAFT'}', 't', 's', 'HIGH', 'SEA_CONTAINER', 'EXPORT', '{}', '{}', 'ALL_PARTNERS', '${created}', '${created}', ${published ? `'${published}'` : 'null'})`;
    await sql(`insert into alert (id, reference, origin_agency_code, created_by, status, title, summary, risk_level, channel, direction, infringements, modus_operandi, distribution_scope, created_at, updated_at, published_at) values
      ${alert('00000000-0000-4000-8000-000000000001', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')},
      ${alert('00000000-0000-4000-8000-000000000002', '2026-02-01T00:00:00Z', null)}`);

    await migrator.up();
    expect(await migrator.getPendingMigrations()).toEqual([]);
    expect(await sql(`select code, (joined_at at time zone 'UTC')::date::text as joined from agency order by code`)).toEqual([
      { code: 'GD', joined: '2026-01-01' },
      { code: 'HK', joined: '2026-02-01' },
    ]);
    // Published: shared then; the draft: when written (its publication will share it again).
    expect(await sql(`select id, (shared_at at time zone 'UTC')::date::text as shared from alert order by id`)).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', shared: '2026-03-02' },
      { id: '00000000-0000-4000-8000-000000000002', shared: '2026-02-01' },
    ]);

    await migrator.down({ to: 'Migration20261204181000_h4' });
    expect(await sql(`select column_name from information_schema.columns where column_name in ('joined_at', 'shared_at')`)).toEqual([]);
    expect(await sql('select count(*)::int as n from alert')).toEqual([{ n: 2 }]);
  });
});
