/**
 * Benchmark: the cost of correlation on publish (issue 20, point 3; src/correlation/correlate.ts),
 * on the demo set (field-fact alerts, 2,000 generated, the rings) plus BENCH_EXTRA_ALERTS
 * generated alerts (default 20,000).
 *
 * 1. `publishAlert` end to end, one after another, for drafts that share nothing, drafts that
 *    join a ring of 25 (one phone, one address), and drafts that join a key 300 alerts hold
 *    (FAN_LIMIT caps them at 50 partners): what an analyst waits for.
 * 2. The correlation statements alone (lockKeys + replaceMatchKeys + correlate), in a
 *    transaction rolled back each time, for an alert of each kind, against the same three
 *    statements without correlate (lockKeys + replaceMatchKeys): what correlation adds.
 *
 * `node dist/bench/correlate-on-publish.js` after a build; figures go in
 * bench/CORRELATE-RESULTS.md by hand.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateAlerts } from '../src/demo/generator';
import { correlate, correlateAll, lockKeys } from '../src/correlation/correlate';
import { deriveMatchKeys, replaceMatchKeys, type MatchKeySource } from '../src/correlation/match-keys';
import { AlertStatus } from '../src/common/enums';
import { preparedQuery } from '../src/db/sql';
import { percentile } from './stats';
import { startBenchHub, type BenchHub } from './support';

const EXTRA = Number(process.env.BENCH_EXTRA_ALERTS ?? 20_000);
const RUNS = Number(process.env.BENCH_ITERATIONS ?? 60);

const CREATE = `mutation ($input: CreateAlertInput!) { createAlert(input: $input) { id version } }`;
const PUBLISH = `mutation ($id: ID!, $version: Int!) { publishAlert(id: $id, version: $version) { id version } }`;

let n = 0;
/** A small parcel alert; `shared` identifiers on top of ones of its own. */
function input(shared: Record<string, unknown>): Record<string, unknown> {
  n++;
  return {
    title: `Bench parcel ${n}`,
    summary: 'Small parcel of integrated circuits, declared as electronic parts.',
    riskLevel: 'MEDIUM',
    channel: 'POSTAL_EXPRESS',
    direction: 'IMPORT',
    goods: [{ category: 'ELECTRONICS', description: 'integrated circuits', quantity: 40, unit: 'pcs' }],
    infringements: ['TRADEMARK'],
    modusOperandi: ['SMALL_PARCEL_SPLITTING'],
    originCountry: 'HK',
    destinationCountry: 'CN',
    trackingNumbers: [`BENCHTRK${String(n).padStart(10, '0')}`],
    consignor: { name: `Bench consignor ${n} Ltd`, country: 'HK' },
    consignee: { name: `Bench consignee ${n}`, country: 'CN', ...(shared.consignee as object) },
    ...Object.fromEntries(Object.entries(shared).filter(([k]) => k !== 'consignee')),
  };
}

async function draft(b: BenchHub, agency: string, shared: Record<string, unknown>): Promise<{ id: string; version: number }> {
  return (await b.call(agency, CREATE, { input: input(shared) })).createAlert;
}

async function published(b: BenchHub, agency: string, shared: Record<string, unknown>): Promise<string> {
  const d = await draft(b, agency, shared);
  return (await b.call(agency, PUBLISH, { id: d.id, version: d.version })).publishAlert.id;
}

function summary(times: number[]): string {
  const s = [...times].sort((a, b) => a - b);
  return `median ${percentile(s, 50).toFixed(2)} ms, p95 ${percentile(s, 95).toFixed(2)} ms (${s.length} runs)`;
}

const AGENCIES = ['GD', 'HK', 'MO'];

async function run(): Promise<void> {
  const b = await startBenchHub();
  try {
    if (EXTRA > 0) {
      await generateAlerts(b.hub.orm.em.fork(), { alerts: EXTRA, seed: 20, matchKeys: b.hub.matchKeys });
      const t0 = process.hrtime.bigint();
      const made = await correlateAll(preparedQuery(b.hub.orm.em.fork()));
      console.log(`bench: correlateAll after ${EXTRA} generated alerts: ${made} rows in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
    }
    const [{ alerts, keys, correlations }] = await b.hub.orm.em.getConnection().execute(
      `select (select count(*) from alert)::int as alerts, (select count(*) from match_key)::int as keys, (select count(*) from correlation where ended_at is null)::int as correlations`,
    );
    console.log(`bench: ${alerts} alerts, ${keys} match keys, ${correlations} live correlation rows`);

    // A ring of 25 (one phone, one address) and a key 300 alerts hold (a forwarder's hotline).
    const ring = { consignee: { phone: '+852 6123 0025', address: 'Flat 8, 3/F, Bench Building, 25 Ring Road' } };
    const hub = { consignee: { phone: '+852 2999 0300' } };
    const ringIds: string[] = [];
    for (let i = 0; i < 25; i++) ringIds.push(await published(b, AGENCIES[i % 3], ring));
    const hubIds: string[] = [];
    for (let i = 0; i < 300; i++) hubIds.push(await published(b, AGENCIES[i % 3], hub));

    // 1. publishAlert end to end.
    for (const [label, shared] of [
      ['sharing nothing', {}],
      ['joining the ring of 25', ring],
      ['joining the key of 300', hub],
    ] as const) {
      const drafts = [];
      for (let i = 0; i < RUNS + 5; i++) drafts.push({ agency: AGENCIES[i % 3], ...(await draft(b, AGENCIES[i % 3], shared)) });
      const times: number[] = [];
      for (const [i, d] of drafts.entries()) {
        const t0 = process.hrtime.bigint();
        await b.call(d.agency, PUBLISH, { id: d.id, version: d.version });
        if (i >= 5) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      console.log(`bench: publishAlert, ${label}: ${summary(times)}`);
    }

    // 2. The statements alone, for a published alert of each kind, made anew each run. Fresh
    // statistics first: an autovacuum analyze of the tables the publishes above churned would
    // otherwise invalidate the statements' cached plans in the middle of the runs.
    const lonely = await published(b, 'HK', {});
    await b.hub.orm.em.getConnection().execute('analyze correlation, match_key, hub_event');
    for (const [label, id] of [
      ['sharing nothing', lonely],
      ['a member of the ring of 25', ringIds[12]],
      ['a holder of the key of 300', hubIds[150]],
    ] as const) {
      const em = b.hub.orm.em.fork();
      const source = await sourceOf(em, id);
      const rows = deriveMatchKeys(source, b.hub.matchKeys);
      const timed = async (withCorrelate: boolean): Promise<{ times: number[]; added: number }> => {
        const times: number[] = [];
        let added = 0;
        for (let i = 0; i < RUNS + 5; i++) {
          const tx = b.hub.orm.em.fork();
          await tx.begin();
          try {
            const query = preparedQuery(tx);
            // As before the alert was published: no keys, no correlations.
            await query(`delete from correlation where alert_id = ? or other_alert_id = ?`, [id, id]);
            await query(`delete from match_key where alert_id = ?`, [id]);
            const t0 = process.hrtime.bigint();
            await lockKeys(query, [id], rows);
            await replaceMatchKeys(query, [id], rows, b.hub.matchKeys);
            if (withCorrelate) added = (await correlate(query, [id])).added;
            if (i >= 5) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          } finally {
            await tx.rollback();
          }
        }
        return { times, added };
      };
      const without = await timed(false);
      const withIt = await timed(true);
      console.log(`bench: keys of ${label}, without correlate: ${summary(without.times)}`);
      console.log(`bench: keys of ${label}, with correlate (${withIt.added} rows made): ${summary(withIt.times)}`);
    }
  } finally {
    await b.stop();
  }
}

/** What the keys of a stored alert are made from. */
async function sourceOf(em: EntityManager, id: string): Promise<MatchKeySource> {
  const [a] = await em.getConnection().execute(
    `select id, origin_agency_code, published_at, container_numbers, bill_of_lading, air_waybill, tracking_numbers,
            consignor_name, consignor_address, consignor_country, consignor_identifier, consignor_phone, consignor_email,
            consignee_name, consignee_address, consignee_country, consignee_identifier, consignee_phone, consignee_email
       from alert where id = ?`,
    [id],
  );
  const party = (p: string) => ({ name: a[`${p}_name`], address: a[`${p}_address`], country: a[`${p}_country`], identifier: a[`${p}_identifier`], phone: a[`${p}_phone`], email: a[`${p}_email`] });
  return {
    id,
    agencyCode: a.origin_agency_code,
    status: AlertStatus.PUBLISHED,
    publishedAt: new Date(a.published_at),
    containerNumbers: a.container_numbers,
    billOfLading: a.bill_of_lading,
    airWaybill: a.air_waybill,
    trackingNumbers: a.tracking_numbers,
    consignor: party('consignor'),
    consignee: party('consignee'),
  };
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
