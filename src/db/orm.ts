import 'reflect-metadata';
import { MikroORM, ReflectMetadataProvider, TransactionContext, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, defineConfig, type MikroORM as PgOrm } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import type { Logger } from '../common/logger';
import { ENTITIES } from './entities';
import { SESSION_OPTIONS } from './sql';

/** Receives every SQL statement the ORM runs; tests use it to count statements per request. */
export type QueryListener = (sql: string) => void;

/**
 * The ORM options for one database. Migrations come from the compiled list in
 * `migrations/index.ts`, so they run the same from `dist/`, from ts sources and under jest.
 */
export interface OrmOpenOptions {
  log?: Logger;
  onQuery?: QueryListener;
  /**
   * Keep migrations/.snapshot-hub.json: only `npm run migration:create` does. The snapshot is
   * the entities' schema at the last migration, so a new migration is the entities' change
   * alone; SQL that migrations add by hand (triggers, search vectors, expression indexes) is
   * never seen as something to drop. The hub itself never writes it.
   */
  snapshot?: boolean;
  /** Most pooled connections (default 10). */
  poolSize?: number;
  /** Connections the pool keeps however long they stay idle (default 0; see warmPool). */
  poolKeep?: number;
  /** Names the pool's connections in pg_stat_activity (default none). */
  applicationName?: string;
  /** Told how long each checkout from the pool waited, in seconds (metrics). */
  onAcquire?: (waitSeconds: number) => void;
}

export function ormOptions(databaseUrl: string, opts: OrmOpenOptions = {}): Options<PostgreSqlDriver> {
  const { log, onQuery, poolSize = 10, poolKeep = 0 } = opts;
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'migrations',
      pathTs: 'migrations',
      emit: 'ts',
      snapshot: opts.snapshot ?? false,
      snapshotName: '.snapshot-hub',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
    },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    pool: { min: poolKeep, max: poolSize },
    // knex's own messages (a pooled connection found dead and replaced, say) go to our log, not the console.
    driverOptions: {
      connection: {
        ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
        options: SESSION_OPTIONS,
      },
      log: {
        warn: (message: unknown) => log?.warn({ knex: String(message) }, 'database client'),
        error: (message: unknown) => log?.error({ knex: String(message) }, 'database client'),
        deprecate: (message: unknown) => log?.debug({ knex: String(message) }, 'database client'),
        debug: (message: unknown) => log?.debug({ knex: String(message) }, 'database client'),
      },
    },
    // The ORM logs through us: 'query' carries each statement, which the counter needs.
    debug: onQuery ? ['query'] : false,
    logger: (message: string) => {
      if (onQuery && message.startsWith('[query]')) onQuery(message);
      else log?.debug({ orm: message }, 'orm');
    },
    colors: false,
  });
}

/**
 * Opens the ORM with its pool guarded (see guardPool): asking the pool for a connection
 * inside a transaction throws SecondConnectionError.
 */
export async function openOrm(databaseUrl: string, opts: OrmOpenOptions = {}): Promise<MikroORM<PostgreSqlDriver>> {
  const orm = await MikroORM.init<PostgreSqlDriver>(ormOptions(databaseUrl, opts));
  guardPool(orm, opts.onAcquire);
  return orm;
}

/**
 * Thrown when code running inside a transaction asks the pool for another connection: it
 * must run on the transaction's EntityManager (the `em` the transactional callback gets).
 */
export class SecondConnectionError extends Error {
  constructor() {
    super(
      'a second database connection was requested inside a transaction: statements inside em.transactional must use the EntityManager the callback receives, not a service\'s own',
    );
    this.name = 'SecondConnectionError';
  }
}

/** The part of knex's client the guard wraps. */
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  pool?: TarnPool;
}
interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  acquire(): { promise: Promise<unknown> };
  release(connection: unknown): boolean;
}

const clientOf = (orm: PgOrm | MikroORM): KnexClient => (orm as PgOrm).em.getConnection().getKnex().client as unknown as KnexClient;

/**
 * A transaction that waits for a second pooled connection holds its first meanwhile: a burst
 * of such transactions as large as the pool holds every connection and waits for ever (knex
 * gives up after a minute), and every other request of the hub waits behind them. So the
 * checkout itself refuses, at once and loudly, when the caller runs inside a transaction
 * that is still open. MikroORM runs a transactional callback (and everything it starts) in
 * its TransactionContext; the transaction's own statements go through knex's transaction
 * client, which never comes here. Savepoints reuse the connection too.
 */
function guardPool(orm: MikroORM, onAcquire?: (waitSeconds: number) => void): void {
  const client = clientOf(orm);
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = async () => {
    const em = TransactionContext.getEntityManager(orm.em.name);
    const trx = em?.getTransactionContext<{ isCompleted?: () => boolean }>();
    if (trx && !trx.isCompleted?.()) throw new SecondConnectionError();
    const started = performance.now();
    const connection = await acquire();
    onAcquire?.((performance.now() - started) / 1000);
    return connection;
  };
}

/** What a pool holds and owes, for readiness and metrics. */
export interface PoolStats {
  /** Most connections it opens. */
  size: number;
  /** Checked out now. */
  used: number;
  /** Open and idle. */
  free: number;
  /** Checkouts waiting for a connection. */
  waiting: number;
}

export function poolStats(orm: PgOrm): PoolStats {
  const pool = clientOf(orm).pool;
  if (!pool) return { size: 0, used: 0, free: 0, waiting: 0 };
  return { size: pool.max, used: pool.numUsed(), free: pool.numFree(), waiting: pool.numPendingAcquires() };
}

/**
 * Opens `count` pooled connections at once and gives them back to the pool, which keeps
 * them (its minimum). Opening a connection to PostgreSQL costs a backend process and some
 * milliseconds, and a pool that opens them only when asked does it when ten officers publish
 * at once: the first burst after a start or a quiet spell then waited on connections opened
 * one after another, 60 ms for the tenth here, before its first statement.
 */
export async function warmPool(orm: PgOrm, count: number): Promise<void> {
  if (count <= 0) return;
  const pool = clientOf(orm).pool!;
  const connections = await Promise.all(Array.from({ length: count }, () => pool.acquire().promise));
  for (const connection of connections) pool.release(connection);
}

/** Key of the session-level advisory lock every hub takes around its migrations ('gba-hub migrations'). */
export const MIGRATION_LOCK_KEY = 0x6762_6d69;

/**
 * Applies every pending migration; returns the names applied. Several hubs may start together
 * on one database (docker-compose.yml scales them): each takes a PostgreSQL advisory lock
 * first, so one migrates while the others wait, then find nothing left to do. Two migrating
 * at once each created the same tables and one died on a duplicate key in `pg_type`. The lock
 * is held by a session of its own, as the migrator commits on its pooled connections, and
 * PostgreSQL releases it should this process die holding it.
 * @param onWait called once when another hub holds the lock and this one waits for it.
 */
export async function migrate(orm: MikroORM, onWait: () => void = () => undefined): Promise<string[]> {
  const lock = new Client({ connectionString: orm.config.get('clientUrl'), application_name: 'gba-hub migrations' });
  await lock.connect();
  try {
    const [{ locked }] = (await lock.query('select pg_try_advisory_lock($1) as locked', [MIGRATION_LOCK_KEY])).rows;
    if (!locked) {
      onWait();
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    // Ending the session releases the lock, even after a failed migration.
    await lock.end().catch(() => undefined);
  }
}

/** Names of migrations that exist in the code but not yet in the database. */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}
