import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { AlertStatus } from '../common/enums';
import { preparedQuery } from '../db/sql';
import { deriveMatchKeys, replaceMatchKeys, type MatchKeyring, type MatchKeySource } from './match-keys';

/*
 * Re-keying at start-up. match_key_state records the secret every alert was last keyed with;
 * a hub that starts with another HUB_MATCH_KEY_SECRET (a rotation), or on a database whose
 * alerts were never keyed (the release that added match keys), re-keys every alert from the
 * raw identifiers, in batches, before it serves. Keys some other writer made with another
 * secret meanwhile (a hub not yet restarted, `npm run demo` with another environment) are
 * re-keyed at the next start.
 */

/** Key of the session-level advisory lock around a re-keying ('gbmk'): hubs starting together re-key once. */
export const MATCH_KEY_LOCK_KEY = 0x6762_6d6b;

/** Alerts read, keyed and written per transaction. */
export const REKEY_BATCH = 1000;

const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/** The raw identifiers of alerts, locked for this transaction (a change of one waits, and is keyed after). */
const SOURCE_COLUMNS = `a.id, a.origin_agency_code, a.status, ${ms('a.published_at')} as published_at,
  a.container_numbers, a.bill_of_lading, a.air_waybill, a.tracking_numbers,
  a.consignor_name, a.consignor_address, a.consignor_country, a.consignor_identifier, a.consignor_phone, a.consignor_email,
  a.consignee_name, a.consignee_address, a.consignee_country, a.consignee_identifier, a.consignee_phone, a.consignee_email`;

function toSource(r: Record<string, unknown>): MatchKeySource {
  const party = (prefix: string) => ({
    name: r[`${prefix}_name`] as string | null,
    address: r[`${prefix}_address`] as string | null,
    country: r[`${prefix}_country`] as string | null,
    identifier: r[`${prefix}_identifier`] as string | null,
    phone: r[`${prefix}_phone`] as string | null,
    email: r[`${prefix}_email`] as string | null,
  });
  return {
    id: r.id as string,
    agencyCode: r.origin_agency_code as string,
    status: r.status as AlertStatus,
    publishedAt: r.published_at == null ? null : new Date(Number(r.published_at)),
    containerNumbers: r.container_numbers as string[] | null,
    billOfLading: r.bill_of_lading as string | null,
    airWaybill: r.air_waybill as string | null,
    trackingNumbers: r.tracking_numbers as string[] | null,
    consignor: party('consignor'),
    consignee: party('consignee'),
  };
}

export interface RekeyOptions {
  /** Alerts per transaction. Default REKEY_BATCH. */
  batch?: number;
  /** Told a line per batch and at the end. */
  progress?: (line: string) => void;
  /** Told once when another hub holds the lock and this one waits for it. */
  onWait?: () => void;
}

export interface RekeyResult {
  /** Alerts whose keys were made anew. */
  alerts: number;
  /** Keys written. */
  keys: number;
  /** Why: every alert for a new secret (or never keyed), or only those keyed with another secret. */
  reason: 'secret' | 'stale';
}

/**
 * Brings every alert's keys to the current secret: all of them when match_key_state names
 * another secret (or none), else only the alerts that have keys of another secret. Runs under
 * a session advisory lock; each batch is one transaction, which locks its alerts' rows.
 * @returns what it did, or null when every key was already current.
 */
export async function rekeyMatchKeys(orm: MikroORM, keyring: MatchKeyring, opts: RekeyOptions = {}): Promise<RekeyResult | null> {
  const batch = opts.batch ?? REKEY_BATCH;
  // Written into the statement's text (a LIMIT): a checked whole number.
  if (!Number.isSafeInteger(batch) || batch < 1) throw new Error(`rekeyMatchKeys: batch ${batch} is not a positive whole number`);
  const progress = opts.progress ?? (() => undefined);
  const lock = new Client({ connectionString: orm.config.get('clientUrl'), application_name: 'gba-hub match keys' });
  await lock.connect();
  try {
    const [{ locked }] = (await lock.query('select pg_try_advisory_lock($1) as locked', [MATCH_KEY_LOCK_KEY])).rows;
    if (!locked) {
      opts.onWait?.();
      await lock.query('select pg_advisory_lock($1)', [MATCH_KEY_LOCK_KEY]);
    }
    const query = preparedQuery(orm.em.fork());
    const secretId = keyring.secretId.toString('hex');
    const [state] = await query<{ secret_id: string }>(`select encode(secret_id, 'hex') as secret_id from match_key_state where id = 1`, []);
    let result: RekeyResult | null = null;
    const [{ n }] = state?.secret_id === secretId ? [{ n: 0 }] : await query<{ n: number }>('select count(*)::int as n from alert', []);
    // A database with no alert yet (a new one) is keyed with this secret as it is: nothing to say.
    if (state?.secret_id !== secretId && n > 0) {
      progress(
        `match keys: ${state ? 'HUB_MATCH_KEY_SECRET has changed' : 'no alert keyed yet'}: keying ${n} alert(s) with secret ${keyring.fingerprint}, ${batch} at a time`,
      );
      const done = await rekeyWhere(orm, keyring, 'true', [], batch, (alerts) => progress(`match keys: ${alerts} of ${n} alert(s) keyed`));
      result = { ...done, reason: 'secret' };
    }
    // Keys another writer made with another secret meanwhile, or before (its alerts only).
    const stale = await rekeyWhere(orm, keyring, `a.id in (select m.alert_id from match_key m where m.secret_id <> decode(?, 'hex'))`, [secretId], batch, (alerts) =>
      progress(`match keys: ${alerts} alert(s) with keys of another secret keyed again`),
    );
    if (stale.alerts > 0) result = { alerts: (result?.alerts ?? 0) + stale.alerts, keys: (result?.keys ?? 0) + stale.keys, reason: result?.reason ?? 'stale' };
    if (state?.secret_id !== secretId) {
      await query(
        `insert into match_key_state (id, secret_id, keyed_at) values (1, decode(?, 'hex'), now())
         on conflict (id) do update set secret_id = excluded.secret_id, keyed_at = excluded.keyed_at`,
        [secretId],
      );
    }
    if (result) progress(`match keys: ${result.alerts} alert(s) keyed, ${result.keys} key(s) written`);
    return result;
  } finally {
    // Ending the session releases the lock.
    await lock.end().catch(() => undefined);
  }
}

/** Re-keys the alerts matching `where` (over `a`), in id order, `batch` per transaction. */
async function rekeyWhere(
  orm: MikroORM,
  keyring: MatchKeyring,
  where: string,
  params: unknown[],
  batch: number,
  told: (alerts: number) => void,
): Promise<{ alerts: number; keys: number }> {
  let after = '00000000-0000-0000-0000-000000000000';
  let alerts = 0;
  let keys = 0;
  for (;;) {
    const n = await orm.em.fork().transactional(async (em) => {
      const query = preparedQuery(em);
      const rows = await query(`select ${SOURCE_COLUMNS} from alert a where a.id > ?::uuid and ${where} order by a.id limit ${batch} for update of a`, [after, ...params]);
      if (rows.length === 0) return 0;
      const sources = rows.map(toSource);
      const derived = sources.flatMap((s) => deriveMatchKeys(s, keyring));
      await replaceMatchKeys(query, sources.map((s) => s.id), derived, keyring);
      after = sources[sources.length - 1].id;
      keys += derived.length;
      return rows.length;
    });
    if (n === 0) break;
    alerts += n;
    told(alerts);
    if (n < batch) break;
  }
  return { alerts, keys };
}
