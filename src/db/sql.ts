import { createHash } from 'node:crypto';

/**
 * A PostgreSQL array literal for a list of strings, to pass as one bound parameter (cast with
 * `?::text[]` or `?::uuid[]` in the SQL). Bound, never spliced into SQL; quoting keeps commas,
 * braces and quotes inside values from changing the array. (A JS array as a parameter would be
 * expanded by the query builder into a list of parameters instead.)
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One statement's rows, with `?` placeholders bound in order (see preparedQuery). */
export type PreparedQuery = <R = Record<string, unknown>>(sql: string, params: readonly unknown[]) => Promise<R[]>;

interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface KnexClientLike {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
}

/** MikroORM's statement timing and log (the statement listener of src/db/orm.ts), protected in its typings. */
interface LoggedConnection {
  executeQuery<T>(query: string, cb: () => Promise<T>, context?: { query: string; params: readonly unknown[] }): Promise<T>;
}

/** Each statement's text with numbered placeholders and its prepared statement's name, by the text as written. */
const prepared = new Map<string, { text: string; name: string }>();

/** `?` placeholders (outside quoted literals) as `$1`, `$2`, …; the result is cached per text. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/** What a custom statement switches its session to, and back (see preparedQuery). */
export const CUSTOM_PLANS = 'set plan_cache_mode = force_custom_plan';
export const SESSION_PLANS = 'reset plan_cache_mode';

/**
 * Statements of `em`'s connection (its transaction's, when it has one) sent as PostgreSQL
 * prepared statements: the values are bound parameters ($1, …), never spliced into the text
 * as MikroORM's `execute` does, so one text is parsed and planned once per connection and
 * reused by every request of the same shape: the hub's connections plan named statements
 * generically (`plan_cache_mode`, SESSION_OPTIONS), as PostgreSQL's own choice kept planning
 * them again for every execution, which cost a read by id three times its execution. Statement
 * names are a hash of the text; every statement is still reported to the ORM's query log (the
 * statement listener counts it).
 * @param opts.custom plan the statement for its values on each execution. For statements whose
 *   best plan depends on a value (a full-text search: a rare word is found through its index,
 *   a common one along the order). Leaving it unnamed is not enough: the session's
 *   `plan_cache_mode` governs unnamed statements with parameters too, and a generic plan of the
 *   search at 100,000 alerts read every match of a common word and sorted them (32 ms against
 *   3 ms). So the session is switched to custom plans for the statement and back after it: two
 *   short statements more (in a transaction that the statement aborted, the rollback undoes
 *   the switch instead).
 */
export function preparedQuery(em: { getConnection(): unknown; getTransactionContext(): unknown }, opts: { custom?: boolean } = {}): PreparedQuery {
  return async <R>(sql: string, params: readonly unknown[]) => {
    let entry = prepared.get(sql);
    if (entry === undefined) {
      const text = numberedPlaceholders(sql);
      entry = { text, name: `h${createHash('sha1').update(text).digest('base64url').slice(0, 24)}` };
      prepared.set(sql, entry);
    }
    const { text, name } = entry;
    const connection = em.getConnection() as { getKnex(): { client: KnexClientLike } } & LoggedConnection;
    // A transaction's knex client hands out the transaction's connection and never releases it.
    const trx = em.getTransactionContext() as { client: KnexClientLike } | undefined;
    const client = trx?.client ?? connection.getKnex().client;
    const pg = await client.acquireConnection();
    const send = <T>(statement: string, config: { name?: string; text: string; values: unknown[] }, logParams: readonly unknown[] = []) =>
      connection.executeQuery(statement, async () => (await pg.query(config)).rows as T[], { query: statement, params: logParams });
    try {
      if (!opts.custom) return await send<R>(text, { name, text, values: [...params] }, params);
      await send(CUSTOM_PLANS, { text: CUSTOM_PLANS, values: [] });
      let failed = false;
      try {
        return await send<R>(text, { text, values: [...params] }, params);
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        // After a failure inside a transaction, the transaction is aborted: its rollback undoes the switch.
        if (!(failed && trx)) {
          await send(SESSION_PLANS, { text: SESSION_PLANS, values: [] }).catch((e) => {
            // The statement's own error is the one to report.
            if (!failed) throw e;
          });
        }
      }
    } finally {
      await client.releaseConnection(pg);
    }
  };
}

/**
 * Settings of every session the hub opens (libpq `options`). Named statements (the hub's reads,
 * src/db/sql.ts preparedQuery) are planned once per connection, not again for every execution;
 * the ORM's statements carry their values in their text (simple protocol) and are planned for
 * them, and preparedQuery's `custom` statements switch the session to custom plans around
 * themselves. The benchmark's floor server opens its sessions with the same.
 */
export const SESSION_OPTIONS = '-c plan_cache_mode=force_generic_plan';
