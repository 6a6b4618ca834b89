import 'reflect-metadata';
import { MikroORM, ReflectMetadataProvider, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, defineConfig } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations';
import type { Logger } from '../common/logger';
import { ENTITIES } from './entities';

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
}

export function ormOptions(databaseUrl: string, opts: OrmOpenOptions = {}): Options<PostgreSqlDriver> {
  const { log, onQuery } = opts;
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
    pool: { min: 0, max: 10 },
    // The ORM logs through us: 'query' carries each statement, which the counter needs.
    debug: onQuery ? ['query'] : false,
    logger: (message: string) => {
      if (onQuery && message.startsWith('[query]')) onQuery(message);
      else log?.debug({ orm: message }, 'orm');
    },
    colors: false,
  });
}

export async function openOrm(databaseUrl: string, opts: OrmOpenOptions = {}): Promise<MikroORM<PostgreSqlDriver>> {
  return MikroORM.init<PostgreSqlDriver>(ormOptions(databaseUrl, opts));
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** Names of migrations that exist in the code but not yet in the database. */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}
