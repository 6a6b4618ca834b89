import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/common/logger';
import { openOrm } from '../../src/db/orm';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The last migration that stored the access log a row per subject. */
const ROW_PER_SUBJECT = 'Migration20261129030959';

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

    await migrator.down();
    expect(await sql('select agency_code, subject, extract(epoch from at)::int - 1793491200 as second, via from alert_access_log order by id')).toEqual([
      { agency_code: 'HK', subject: 'hk-officer-1', second: 0, via: 'query' },
      { agency_code: 'MO', subject: 'mo "quoted", officer', second: 1, via: 'subscription' },
      { agency_code: 'HK', subject: 'hk-a', second: 2, via: 'subscription' },
      { agency_code: 'HK', subject: 'hk-b', second: 2, via: 'subscription' },
      { agency_code: 'HK', subject: 'hk-c', second: 2, via: 'subscription' },
    ]);
  });
});
