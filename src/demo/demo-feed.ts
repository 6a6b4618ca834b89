import { containerCheckDigit } from '../common/codes';
import { Role } from '../common/enums';
import type { Logger } from '../common/logger';
import { mintDevToken } from '../identity/dev-identity';

/*
 * The demo's live feed: while `npm start` runs in development, the demo agencies keep
 * publishing alerts, so a console's live board has something to show arrive. Each one goes
 * through the hub's own GraphQL API with a development token (createAlert, then
 * publishAlert), so it is checked, logged and delivered like any partner's alert.
 */

export interface DemoFeedOptions {
  /** The hub's GraphQL URL. */
  url: string;
  /** Where the development keys are (HUB_DATA_DIR). */
  dataDir: string;
  /** Seconds between two alerts (HUB_DEMO_FEED_SECONDS). */
  intervalSeconds: number;
  /** Agencies that publish, with weights; default GD 60, MO 25, HK 15 (those present in the trust). */
  agencies: readonly string[];
  log: Logger;
}

export interface DemoFeed {
  stop(): void;
}

const WEIGHTS: Record<string, number> = { GD: 60, MO: 25, HK: 15 };

interface Template {
  channel: string;
  category: string;
  en: string;
  zh: string;
  hs: string;
  unit: string;
  modus: string[];
  ports: Record<string, [string, string]>;
}

const TEMPLATES: Template[] = [
  { channel: 'SEA_CONTAINER', category: 'AUDIO_EQUIPMENT', en: 'Bluetooth speakers with separately packed logo plates', zh: '蓝牙音箱及另行包装的标识牌', hs: '851822', unit: 'pcs', modus: ['SEPARATED_MARKS'], ports: { GD: ['CNSHK', 'AEJEA'], HK: ['HKHKG', 'NLRTM'], MO: ['MOMFM', 'SGSIN'] } },
  { channel: 'CROSS_BORDER_ECOMMERCE', category: 'INTEGRATED_CIRCUITS', en: 'power management integrated circuits in small parcels', zh: '分拆小包裹的电源管理集成电路', hs: '854231', unit: 'pcs', modus: ['SMALL_PARCEL_SPLITTING'], ports: { GD: ['CNHUA', 'MYPKG'], HK: ['HKHKG', 'THLCH'], MO: ['MOMFM', 'SGSIN'] } },
  { channel: 'LAND_BORDER', category: 'BAGS', en: 'handbags bearing a monogram mark in the fast lane', zh: '快速通道中印有品牌标识的手提包', hs: '420221', unit: 'pcs', modus: ['FAST_TRACK_ABUSE', 'ANT_MOVING'], ports: { GD: ['CNZUH', 'MOMFM'], HK: ['HKHKG', 'CNZUH'], MO: ['MOMFM', 'CNZUH'] } },
  { channel: 'AIR_CARGO', category: 'WATCHES_JEWELLERY', en: 'wrist watches with a crown logo', zh: '带皇冠标识的手表', hs: '910211', unit: 'pcs', modus: ['MISDECLARATION'], ports: { GD: ['CNCAN', 'GBFXT'], HK: ['HKHKG', 'JPTYO'], MO: ['MOMFM', 'KRPUS'] } },
  { channel: 'POSTAL_EXPRESS', category: 'COSMETICS', en: 'lipsticks and face creams in express items', zh: '快件中的口红和面霜', hs: '330410', unit: 'pcs', modus: ['SMALL_PARCEL_SPLITTING'], ports: { GD: ['CNSZX', 'AUSYD'], HK: ['HKHKG', 'AUSYD'], MO: ['MOMFM', 'AUSYD'] } },
  { channel: 'PASSENGER', category: 'ELECTRONICS', en: 'mobile phone chargers carried by passengers', zh: '旅客携带的手机充电器', hs: '850440', unit: 'pcs', modus: ['ANT_MOVING'], ports: { GD: ['CNZUH', 'HKHKG'], HK: ['HKHKG', 'CNZUH'], MO: ['MOMFM', 'CNZUH'] } },
];

const RISKS = ['MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'LOW'];
const OWNERS = ['GBX', 'PRL', 'BAY', 'HKC', 'MCU'];

const CREATE = `mutation DemoFeedCreate($input: CreateAlertInput!) { createAlert(input: $input) { id version } }`;
const PUBLISH = `mutation DemoFeedPublish($id: ID!, $version: Int!) { publishAlert(id: $id, version: $version) { id reference } }`;

/** Picks an agency by weight; exported for its test. */
export function pickAgency(agencies: readonly string[], roll: number): string {
  const weighted = agencies.map((a) => [a, WEIGHTS[a] ?? 10] as const);
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let at = roll * total;
  for (const [a, w] of weighted) {
    if (at < w) return a;
    at -= w;
  }
  return weighted[weighted.length - 1][0];
}

/** The createAlert input of the n-th alert of the feed, from one agency. Exported for its test. */
export function demoFeedInput(agency: string, n: number, roll: () => number): Record<string, unknown> {
  const t = TEMPLATES[n % TEMPLATES.length];
  const chinese = agency === 'GD' ? roll() < 0.5 : roll() < 0.15;
  const quantity = 50 + Math.floor(roll() * 20_000);
  const [loading, discharge] = t.ports[agency] ?? t.ports.GD;
  const input: Record<string, unknown> = {
    title: chinese ? `疑似侵权${t.zh}` : `Suspected infringing ${t.en}`,
    summary: chinese ? `查获${quantity}件疑似侵权${t.zh}，请各方留意同类货物。` : `${quantity} ${t.unit} of suspected infringing ${t.en}; partners should watch for similar consignments.`,
    riskLevel: RISKS[Math.floor(roll() * RISKS.length)],
    channel: t.channel,
    direction: 'EXPORT',
    goods: [{ category: t.category, description: chinese ? t.zh : t.en, hsCode: t.hs, quantity, unit: t.unit }],
    infringements: ['TRADEMARK'],
    modusOperandi: t.modus,
    portOfLoading: loading,
    portOfDischarge: discharge,
    originCountry: loading.slice(0, 2),
    destinationCountry: discharge.slice(0, 2),
    distribution: { scope: 'ALL_PARTNERS' },
  };
  if (t.channel === 'SEA_CONTAINER') {
    const first10 = `${OWNERS[Math.floor(roll() * OWNERS.length)]}U${String(Math.floor(roll() * 1e6)).padStart(6, '0')}`;
    input.containerNumbers = [first10 + containerCheckDigit(first10)];
  }
  return input;
}

/**
 * Starts publishing a demo alert every `intervalSeconds` (the first one after one interval).
 * Failures are logged and the feed goes on; `stop()` ends it (also unref'd, so it never keeps
 * the process alive).
 */
export function startDemoFeed(opts: DemoFeedOptions): DemoFeed {
  let n = 0;
  let stopped = false;
  const roll = () => Math.random();
  const call = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { data?: Record<string, { id: string; version?: number; reference?: string }>; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? 'ERROR'}: ${body.errors[0].message}`);
    return body.data!;
  };
  const tick = async () => {
    if (stopped || opts.agencies.length === 0) return;
    const agency = pickAgency(opts.agencies, roll());
    try {
      const token = await mintDevToken(opts.dataDir, { agency, roles: [Role.ANALYST], ttlSeconds: 300, subject: `${agency.toLowerCase()}.demo-feed@dev` });
      const created = (await call(token, CREATE, { input: demoFeedInput(agency, n++, roll) })).createAlert;
      const published = (await call(token, PUBLISH, { id: created.id, version: created.version })).publishAlert;
      opts.log.info({ agency, reference: published.reference }, 'demo feed: alert published');
    } catch (e) {
      opts.log.warn({ agency, err: e instanceof Error ? e.message : String(e) }, 'demo feed: could not publish an alert');
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalSeconds * 1000);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
