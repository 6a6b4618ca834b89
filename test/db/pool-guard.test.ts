import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm, poolStats } from '../../src/db/orm';
import { createTestDatabase, type TestDatabase } from '../support/database';

/*
 * The pool guard: a transaction that asks the pool for a second connection holds its first
 * while it waits, and enough of them at once stall the whole hub. The checkout refuses at once
 * instead, so such code fails its first test rather than a field trial.
 */

/** The guard's error, as the ORM passes it on (wrapped in its DriverException). */
const SECOND_CONNECTION = /a second database connection was requested inside a transaction/;

let db: TestDatabase;
let orm: MikroORM;
const waits: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm(db.url, { poolSize: 2, onAcquire: (s) => waits.push(s) });
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

test('a statement on another EntityManager inside a transaction is refused at once, and the transaction rolls back', async () => {
  const em = orm.em.fork();
  const started = Date.now();
  await expect(
    em.transactional(async (tx) => {
      await tx.execute(`insert into rights_holder (id, name, created_at) values (gen_random_uuid(), 'Guard test holder', now())`);
      // The bug the guard exists for: reading through the service's own EntityManager.
      await em.execute('select 1');
    }),
  ).rejects.toThrow(SECOND_CONNECTION);
  expect(Date.now() - started).toBeLessThan(5_000);
  const [{ n }] = await orm.em.fork().execute(`select count(*)::int as n from rights_holder where name = 'Guard test holder'`);
  expect(n).toBe(0);
  // Nothing stays checked out.
  expect(poolStats(orm)).toMatchObject({ size: 2, used: 0, waiting: 0 });
});

test('more transactions at once than the pool holds, each with a stray read, all fail within seconds instead of stalling', async () => {
  const started = Date.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: 4 }, async () => {
      const em = orm.em.fork();
      await em.transactional(async (tx) => {
        await tx.execute('select 1');
        await em.execute('select 1');
      });
    }),
  );
  expect(outcomes.every((o) => o.status === 'rejected' && SECOND_CONNECTION.test(String(o.reason?.message)))).toBe(true);
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('statements in the transaction, nested transactions and reads after it ends all run', async () => {
  const em = orm.em.fork();
  const inside = await em.transactional(async (tx) => {
    const [{ a }] = await tx.execute('select 1 as a');
    const nested = await tx.transactional(async (inner) => (await inner.execute('select 2 as b'))[0].b as number);
    return a + nested;
  });
  expect(inside).toBe(3);
  const [{ c }] = await em.execute('select 3 as c');
  expect(c).toBe(3);
  // Each checkout's wait is reported.
  expect(waits.length).toBeGreaterThan(0);
  expect(waits.every((w) => w >= 0 && w < 5)).toBe(true);
});
