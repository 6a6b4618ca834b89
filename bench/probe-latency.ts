/**
 * The probe's latency (issue 20): `matchIdentifiers` over HTTP against a hub holding planted
 * rings among M ordinary alerts, as analysts of GD, HK and MO in turn, called from
 * bench/clusters.ts once a size's clusters are scored.
 *
 * The values are what an officer would paste: hits are identifiers of the planted rings'
 * parcels, in spellings other than the one stored where the writer allows it (a ring's phone
 * spelled afresh in any of its international forms, or as another agency's parcel wrote it with
 * the consignee's country given; a consignee name or address as another agency wrote it, in
 * upper case, full-width or with doubled spaces; a tracking number in lower case with dashes);
 * no-hits are phones, tracking numbers and e-mail addresses drawn at random, which no alert
 * holds (a random phone may by chance be an ordinary alert's: such probes are counted, not
 * hidden). Each hit probe must find at least one alert: one that finds none is counted as a
 * miss and reported.
 *
 * Phases, each after a warm-up: calls of one value (half of them hits) and calls of 50 values
 * (one in five a hit), one after another for the latency, then the same again from
 * `concurrency` clients at once for the throughput. Every value counts against the prober's
 * daily quota (HUB_PROBE_DAILY_LIMIT, default 200 a day): clusters.ts starts the hub with
 * HUB_PROBE_DAILY_LIMIT=1000000 unless the environment sets it.
 */
import { loadavg } from 'node:os';
import { IdentifierKind } from '../src/common/enums';
import type { RingDataset } from '../src/demo/ring-generator';
import { between, digits, pick, rng } from '../src/demo/random';
import { fullWidth, randomPhone, spellPhone, type Phone, type Region } from '../src/demo/spelling';
import { percentile } from './stats';

const PROBE = `query ($identifiers: [IdentifierProbeInput!]!) {
  matchIdentifiers(identifiers: $identifiers) { kind normalized hits { agency { code } fieldClass role reference handle } } }`;

export interface ProbeValue {
  kind: IdentifierKind;
  value: string;
  country?: string;
  /** Whether the value is a planted parcel's (must hit). */
  hit: boolean;
}

interface ProbeAnswer {
  hits: unknown[];
}

export interface ProbeCall {
  (agency: string, query: string, variables: Record<string, unknown>): Promise<{ matchIdentifiers: ProbeAnswer[] }>;
}

export interface ProbeOptions {
  /** Sequential calls of one value (default 600). */
  singles?: number;
  /** Sequential calls of 50 values (default 120). */
  batches?: number;
  /** Clients at once in the throughput phases (default 8). */
  concurrency?: number;
  /** Progress lines. */
  say?: (line: string) => void;
}

export interface ProbePhase {
  batch: number;
  calls: number;
  /** Values sent, and of them hits expected. */
  values: number;
  hitValues: number;
  /** Hit values that found nothing (should be 0), and no-hit values that found something (chance collisions). */
  missed: number;
  strayHits: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Calls per second one after another, and with `concurrency` clients at once. */
  sequentialRate: number;
  concurrentRate: number;
  concurrency: number;
  /** The machine's one-minute load average before and after the phase (a shared machine). */
  load: [number, number];
}

const AGENCIES = ['GD', 'HK', 'MO'] as const;

function phoneOf(e164: string): Phone {
  const cc = (['852', '853', '86'] as const).find((c) => e164.startsWith(`+${c}`))!;
  return { cc, national: e164.slice(cc.length + 1) };
}

/** Case, width and spacing an officer's copy may differ in (normalization folds all three). */
function respell(r: () => number, s: string): string {
  const x = r();
  if (x < 0.25) return s.toUpperCase();
  if (x < 0.4) return fullWidth(s);
  if (x < 0.5) return s.replace(/ /g, '  ');
  return s;
}

/** A value of a ring parcel, written as some other record or officer would write it. */
function hitValue(r: () => number, ds: RingDataset, prober: string): ProbeValue {
  const ring = pick(r, ds.rings);
  // A parcel of another agency than the prober's, so the stored spelling is not its own.
  const others = ring.spellings.filter((s) => ds.alerts[s.alert].agency !== prober);
  const member = pick(r, others.length ? others : ring.spellings);
  const input = ds.alerts[member.alert].input;
  const consignee = input.consignee!;
  const choices: (() => ProbeValue | null)[] = [
    () => (member.phone === null ? null : { kind: IdentifierKind.PHONE, value: spellPhone(r, phoneOf(ring.phones[member.phone]), false), hit: true }),
    () => (consignee.phone ? { kind: IdentifierKind.PHONE, value: consignee.phone, country: consignee.country ?? undefined, hit: true } : null),
    () => ({ kind: IdentifierKind.PARTY_NAME, value: respell(r, consignee.name), hit: true }),
    () => (consignee.address ? { kind: IdentifierKind.ADDRESS, value: respell(r, consignee.address), hit: true } : null),
    () => (consignee.email ? { kind: IdentifierKind.EMAIL, value: consignee.email.toUpperCase(), hit: true } : null),
    () => {
      const n = input.trackingNumbers?.[0];
      return n ? { kind: IdentifierKind.TRACKING_NUMBER, value: n.toLowerCase().replace(/(.{4})(?!$)/g, '$1-'), hit: true } : null;
    },
  ];
  for (;;) {
    const v = pick(r, choices)();
    if (v) return v;
  }
}

/** A value no alert holds (barring a chance collision of a random phone). */
function noHitValue(r: () => number): ProbeValue {
  const x = r();
  if (x < 0.5) return { kind: IdentifierKind.PHONE, value: spellPhone(r, randomPhone(r, pick(r, ['HK', 'MO', 'CN'] as Region[])), false), hit: false };
  if (x < 0.8) return { kind: IdentifierKind.TRACKING_NUMBER, value: `JD${digits(r, 15)}`, hit: false };
  return { kind: IdentifierKind.EMAIL, value: `buyer${digits(r, 9)}@example.net`, hit: false };
}

/** `count` calls of `size` values each, a share `hitShare` of them hits, each with its prober. */
export function probeCalls(ds: RingDataset, count: number, size: number, hitShare: number, seed: number): { agency: string; values: ProbeValue[] }[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const agency = AGENCIES[i % AGENCIES.length];
    const values = Array.from({ length: size }, () => (r() < hitShare ? hitValue(r, ds, agency) : noHitValue(r)));
    // A call of several values holds at least one hit, as a manifest worth probing would.
    if (size > 1 && !values.some((v) => v.hit)) values[between(r, 0, size - 1)] = hitValue(r, ds, agency);
    return { agency, values };
  });
}

async function send(call: ProbeCall, c: { agency: string; values: ProbeValue[] }, tally: { missed: number; stray: number }): Promise<void> {
  const identifiers = c.values.map(({ kind, value, country }) => (country ? { kind, value, country } : { kind, value }));
  const answer = await call(c.agency, PROBE, { identifiers });
  answer.matchIdentifiers.forEach((m, i) => {
    if (c.values[i].hit && m.hits.length === 0) tally.missed++;
    if (!c.values[i].hit && m.hits.length > 0) tally.stray++;
  });
}

async function phase(call: ProbeCall, ds: RingDataset, size: number, calls: number, concurrency: number, seed: number, say: (l: string) => void): Promise<ProbePhase> {
  const hitShare = size === 1 ? 0.5 : 0.2;
  const warm = probeCalls(ds, 20, size, hitShare, seed + 1);
  const timed = probeCalls(ds, calls, size, hitShare, seed + 2);
  const loaded = probeCalls(ds, calls, size, hitShare, seed + 3);
  const tally = { missed: 0, stray: 0 };
  const loadBefore = loadavg()[0];
  for (const c of warm) await send(call, c, { missed: 0, stray: 0 });
  const times: number[] = [];
  const t0 = Date.now();
  for (const [i, c] of timed.entries()) {
    const t = process.hrtime.bigint();
    await send(call, c, tally);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if ((i + 1) % Math.max(1, Math.floor(calls / 4)) === 0) say(`  probe, ${size} value${size > 1 ? 's' : ''} a call: ${i + 1} / ${calls} one after another`);
  }
  const sequentialSeconds = (Date.now() - t0) / 1000;
  // The same number of calls again from `concurrency` clients at once (not timed per call).
  let next = 0;
  const t1 = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < loaded.length) await send(call, loaded[next++], tally);
    }),
  );
  const concurrentSeconds = (Date.now() - t1) / 1000;
  say(`  probe, ${size} value${size > 1 ? 's' : ''} a call: ${calls} more from ${concurrency} clients at once in ${concurrentSeconds.toFixed(1)} s`);
  times.sort((a, b) => a - b);
  const values = [...timed, ...loaded].flatMap((c) => c.values);
  return {
    batch: size,
    calls,
    values: values.length,
    hitValues: values.filter((v) => v.hit).length,
    missed: tally.missed,
    strayHits: tally.stray,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1],
    sequentialRate: calls / sequentialSeconds,
    concurrentRate: calls / concurrentSeconds,
    concurrency,
    load: [loadBefore, loadavg()[0]],
  };
}

/** Times the probe in calls of 1 and of 50 values, as the header says. */
export async function probeLatency(call: ProbeCall, ds: RingDataset, opts: ProbeOptions = {}): Promise<ProbePhase[]> {
  const say = opts.say ?? (() => {});
  const concurrency = opts.concurrency ?? 8;
  return [
    await phase(call, ds, 1, opts.singles ?? 600, concurrency, 101, say),
    await phase(call, ds, 50, opts.batches ?? 120, concurrency, 201, say),
  ];
}

/** One table row of a phase, for CLUSTERS-RESULTS.md. */
export function probeRow(ordinary: number, p: ProbePhase): string {
  return (
    `| ${ordinary.toLocaleString('en')} | ${p.batch} | ${p.calls} + ${p.calls} | ${p.hitValues} / ${p.values} | ${p.missed} | ${p.strayHits} | ` +
    `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)} / ${p.max.toFixed(0)} | ${p.sequentialRate.toFixed(0)} | ${p.concurrentRate.toFixed(0)} (${(p.concurrentRate * p.batch).toFixed(0)} values/s) | ${p.load[0].toFixed(1)} → ${p.load[1].toFixed(1)} |`
  );
}

/** The head of the table probeRow writes rows of. */
export function probeTableHead(concurrency: number): string[] {
  return [
    `| M | values a call | calls (one after another + at once) | hit values / values | hits missed | no-hit values that hit | p50 / p95 / p99 / max ms | calls/s, one after another | calls/s, ${concurrency} clients at once | load (1 min) |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
}
