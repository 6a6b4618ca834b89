import type { PreparedQuery } from '../db/sql';
import type { MatchKeyRow } from './match-keys';

/*
 * Correlation on publish (issue 20, point 3): two alerts correlate on a kind of identifier when
 * they hold a match key of that kind in common. The pairs live in `correlation`, one row from
 * each side (alert, other alert, kind, the identifier's field class), so that each originator
 * reads its own rows by its agency; within one agency both rows are its own. They are made and
 * ended in the transaction of every change of an alert, right after its keys are replaced
 * (AlertService.rekey), each with an event in the log (stream 'correlation') in the same
 * transaction, so correlationEvents loses none and repeats none.
 *
 * Volume: a key held by n alerts is n(n-1)/2 pairs. A ring of 25 parcels with one phone is 300,
 * which is the point; a key held by thousands (a freight forwarder's address, a courier's
 * hotline) would be millions and say nothing. So an alert correlates, per key, with at most
 * FAN_LIMIT other holders, the most recently published: up to FAN_LIMIT pairs per key on each
 * publish or change, whatever the key's popularity. Pairs made once stay while the key is
 * shared; rings (and hubs) as a whole are shipmentClusters' job.
 */

/** Most other holders of one key an alert is correlated with when it is published or changed. */
export const FAN_LIMIT = 50;

/**
 * The namespace of the transaction advisory locks taken per (kind, key): two-int locks, a space
 * apart from the hub's one-bigint locks (migrations, re-keying).
 */
const KEY_LOCK_SPACE = 0x20c0;

/**
 * Locks, to the end of the transaction, every key the alerts `alertIds` hold now and every key
 * in `rows` (what they will hold): call it before replaceMatchKeys. Two transactions that
 * touch one key are thus ordered: the second's correlate runs after the first commits and sees
 * its keys. Without it, two alerts published at once with the same phone each miss the other's
 * uncommitted keys and no pair is made; an edit removing a key could leave a pair a concurrent
 * publish made against the key as it was. Locks are taken in one order (by hash), so two
 * changes never wait on each other in a ring. One statement, whatever the number of keys.
 */
export async function lockKeys(query: PreparedQuery, alertIds: readonly string[], rows: readonly MatchKeyRow[]): Promise<void> {
  if (alertIds.length === 0) return;
  await query(
    `select count(pg_advisory_xact_lock(?, s.h)) as n from (
       select distinct hashtext(k.kind || ':' || k.key) as h from (
         select m.kind, encode(m.key, 'hex') as key from match_key m where m.alert_id = any(?::uuid[])
         union select * from unnest(?::text[], ?::text[])) k
       order by h offset 0) s`,
    [KEY_LOCK_SPACE, [...alertIds], rows.map((r) => r.kind), rows.map((r) => r.key.toString('hex'))],
  );
}

/** What one correlate changed. */
export interface CorrelateResult {
  /** Correlation rows made (two per pair of alerts and kind). */
  added: number;
  /** Correlation rows ended. */
  ended: number;
}

/**
 * Brings the correlations of `alertIds` in line with their keys, in one statement, inside the
 * transaction of the change and after replaceMatchKeys (and lockKeys before it): ends every
 * live correlation of theirs whose kind they no longer share with the other alert, and makes
 * one for each key they share with another alert (up to FAN_LIMIT others per key, most recently
 * published first), each with its event. A draft or withdrawn alert, holding no keys, ends all
 * of its correlations.
 */
export async function correlate(query: PreparedQuery, alertIds: readonly string[]): Promise<CorrelateResult> {
  if (alertIds.length === 0) return { added: 0, ended: 0 };
  const ids = [...alertIds];
  const [row] = await query<{ added: number; ended: number }>(
    `with ended as (
       update correlation c set ended_at = clock_timestamp()
        where c.ended_at is null and (c.alert_id = any(?::uuid[]) or c.other_alert_id = any(?::uuid[]))
          and not exists (select 1 from match_key m join match_key o on o.kind = m.kind and o.key = m.key
                           where m.alert_id = c.alert_id and m.kind = c.kind and o.alert_id = c.other_alert_id)
       returning c.id),
     found as (
       select distinct m.alert_id, m.agency_code, o.alert_id as other_alert_id, o.agency_code as other_agency_code, m.kind, m.field_class
         from match_key m
         cross join lateral (
           select o.alert_id, o.agency_code from match_key o
            where o.kind = m.kind and o.key = m.key and o.alert_id <> m.alert_id
            order by o.published_at desc nulls last, o.alert_id
            limit ${FAN_LIMIT}) o
        where m.alert_id = any(?::uuid[])),
     added as (
       insert into correlation (alert_id, agency_code, other_alert_id, other_agency_code, kind, field_class)
       select alert_id, agency_code, other_alert_id, other_agency_code, kind, field_class from found
       union
       select other_alert_id, other_agency_code, alert_id, agency_code, kind, field_class from found
       on conflict (alert_id, other_alert_id, kind) where ended_at is null do nothing
       returning id),
     logged as (
       insert into hub_event (stream, kind, correlation_id)
       select 'correlation', 'ENDED', id from ended
       union all
       select 'correlation', 'NEW', id from added)
     select (select count(*) from added)::int as added, (select count(*) from ended)::int as ended`,
    [ids, ids, ids],
  );
  return { added: Number(row?.added ?? 0), ended: Number(row?.ended ?? 0) };
}

/**
 * Correlates every keyed alert at once, as publishing them one by one in publication order
 * would have (each with the FAN_LIMIT holders of a key published just before it), without
 * events: for alerts written in bulk, beside AlertService (the demo generator). The migration
 * that made the table ran the same statement over the alerts of its day.
 * @returns the correlation rows made.
 */
export async function correlateAll(query: PreparedQuery): Promise<number> {
  const [row] = await query<{ n: number }>(
    `with ranked as (
       select alert_id, agency_code, kind, field_class, key,
              row_number() over (partition by kind, key order by published_at nulls first, alert_id) as r
         from match_key),
     pairs as (
       select distinct n.alert_id, n.agency_code, o.alert_id as other_alert_id, o.agency_code as other_agency_code, n.kind, n.field_class
         from ranked n join ranked o on o.kind = n.kind and o.key = n.key and o.alert_id <> n.alert_id and o.r < n.r and o.r >= n.r - ${FAN_LIMIT}),
     added as (
       insert into correlation (alert_id, agency_code, other_alert_id, other_agency_code, kind, field_class)
       select alert_id, agency_code, other_alert_id, other_agency_code, kind, field_class from pairs
       union
       select other_alert_id, other_agency_code, alert_id, agency_code, kind, field_class from pairs
       on conflict do nothing
       returning 1)
     select count(*)::int as n from added`,
    [],
  );
  return Number(row?.n ?? 0);
}
