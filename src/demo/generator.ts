import type { EntityManager } from '@mikro-orm/postgresql';
import { containerCheckDigit } from '../common/codes';
import {
  AlertChangeKind,
  AlertStatus,
  DistributionScope,
  GoodsCategory,
  InfringementType,
  ModusOperandi,
  RiskLevel,
  SourceReliability,
  TradeDirection,
  TransportChannel,
} from '../common/enums';
import { uuidv7 } from '../common/ids';
import { deriveMatchKeys, type MatchKeyring } from '../correlation/match-keys';

/*
 * A realistic, reproducible alert set for demos and benchmarks: the same seed gives the same
 * alerts. Two years of alerts from the three administrations (Guangdong most, as the field
 * facts say), over every channel, goods category and modus, in English and Chinese, with the
 * statuses and distributions a working hub would have. Rows are written in batches straight
 * to the tables (the shapes AlertService writes), because a hundred thousand alerts through
 * the ORM one by one would take minutes.
 */

export interface GenerateOptions {
  alerts: number;
  seed?: number;
  /** The end of the two-year window: no alert is made, published or changed after it. Default 2026-11-01, so a seed always gives the same dates. */
  until?: Date;
  /** Told after each batch with the number written so far. */
  onProgress?: (written: number, total: number) => void;
  /**
   * Keys each alert's identifiers (match_key rows written with it), as the hub does on every
   * change. Without it the alerts have no keys until a hub with another secret starts.
   */
  matchKeys?: MatchKeyring;
}

const BATCH = 500;
const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000;

/** mulberry32: small, fast, good enough to spread demo data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];

const AGENCY_SHARE: Weighted<string> = [['GD', 55], ['HK', 30], ['MO', 15]];
const STATUS_SHARE: Weighted<AlertStatus> = [
  [AlertStatus.DRAFT, 5], [AlertStatus.PUBLISHED, 35], [AlertStatus.UNDER_INSPECTION, 15], [AlertStatus.SEIZED, 20],
  [AlertStatus.CLEARED, 10], [AlertStatus.CLOSED, 10], [AlertStatus.WITHDRAWN, 5],
];
const SCOPE_SHARE: Weighted<DistributionScope> = [
  [DistributionScope.ORIGINATOR_ONLY, 20], [DistributionScope.ALL_PARTNERS, 55], [DistributionScope.SELECTED_AGENCIES, 25],
];
const RISK_SHARE: Weighted<RiskLevel> = [[RiskLevel.LOW, 20], [RiskLevel.MEDIUM, 40], [RiskLevel.HIGH, 30], [RiskLevel.CRITICAL, 10]];

const GOODS: Record<GoodsCategory, { en: string[]; zh: string[]; hs: string[]; unit: string }> = {
  BAGS: { en: ['handbags bearing a monogram mark', 'leather wallets', 'backpacks with brand logos'], zh: ['印有品牌标识的手提包', '皮革钱包'], hs: ['420221', '420231', '420292'], unit: 'pcs' },
  SHOES: { en: ['sports shoes', 'running shoes with a sole design', 'leather boots'], zh: ['运动鞋', '跑步鞋'], hs: ['640411', '640399'], unit: 'pairs' },
  CLOTHING: { en: ['T-shirts with printed logos', 'down jackets', 'football jerseys'], zh: ['印有商标的T恤', '羽绒服'], hs: ['610910', '620193'], unit: 'pcs' },
  ELECTRONICS: { en: ['mobile phone chargers', 'smart watches', 'wireless earphones'], zh: ['手机充电器', '智能手表', '无线耳机'], hs: ['850440', '851762'], unit: 'pcs' },
  INTEGRATED_CIRCUITS: { en: ['power management integrated circuits', 'memory chips', 'microcontrollers'], zh: ['电源管理集成电路', '存储芯片'], hs: ['854231', '854232', '854239'], unit: 'pcs' },
  AUDIO_EQUIPMENT: { en: ['Bluetooth speakers', 'headphones', 'logo plates for speakers'], zh: ['蓝牙音箱', '耳机'], hs: ['851822', '851830'], unit: 'pcs' },
  WATCHES_JEWELLERY: { en: ['wrist watches with crown logo', 'bracelets', 'watch straps'], zh: ['手表', '手镯'], hs: ['910211', '711719'], unit: 'pcs' },
  COSMETICS: { en: ['lipsticks', 'face creams', 'perfume'], zh: ['口红', '面霜', '香水'], hs: ['330410', '330499', '330300'], unit: 'pcs' },
  PHARMACEUTICALS: { en: ['tablets in counterfeit packaging', 'health supplements'], zh: ['假冒包装药片', '保健品'], hs: ['300490', '210690'], unit: 'boxes' },
  TOYS: { en: ['plush toys of a licensed character', 'building blocks', 'action figures'], zh: ['毛绒玩具', '积木'], hs: ['950300'], unit: 'pcs' },
  TOBACCO: { en: ['cigarettes', 'e-cigarette cartridges'], zh: ['香烟', '电子烟烟弹'], hs: ['240220', '854340'], unit: 'cartons' },
  OTHER: { en: ['labels and tags', 'packaging boxes'], zh: ['商标标签', '包装盒'], hs: ['482110', '481920'], unit: 'pcs' },
};

const CHANNEL_TEXT: Record<TransportChannel, { en: string; zh: string }> = {
  SEA_CONTAINER: { en: 'in sea containers', zh: '海运集装箱' },
  AIR_CARGO: { en: 'in air cargo', zh: '空运货物' },
  LAND_BORDER: { en: 'across the land border', zh: '陆路口岸' },
  CROSS_BORDER_ECOMMERCE: { en: 'in cross-border e-commerce parcels', zh: '跨境电商包裹' },
  POSTAL_EXPRESS: { en: 'in postal and express items', zh: '邮递快件' },
  PASSENGER: { en: 'carried by passengers', zh: '旅客携带' },
};

const MODUS_TEXT: Record<ModusOperandi, string> = {
  SEPARATED_MARKS: 'marks shipped apart from the goods',
  SMALL_PARCEL_SPLITTING: 'consignment split into small parcels',
  ANT_MOVING: 'repeated small carries',
  MISDECLARATION: 'misdeclared goods',
  CONCEALMENT: 'goods concealed behind a legitimate load',
  FAST_TRACK_ABUSE: 'fast clearance lane abused',
  OTHER: 'unusual routing',
};

const HOME_PORTS: Record<string, string[]> = {
  GD: ['CNSHK', 'CNYTN', 'CNHUA', 'CNCAN', 'CNZUH', 'CNSWA', 'CNJMN', 'CNZHA'],
  HK: ['HKHKG'],
  MO: ['MOMFM'],
};
const FOREIGN_PORTS = ['AEJEA', 'NLRTM', 'DEHAM', 'USLAX', 'SGSIN', 'MYPKG', 'THLCH', 'BRSSZ', 'NGLOS', 'GBFXT', 'JPTYO', 'KRPUS', 'AUSYD', 'ITGOA'];
const OWNERS = ['GBX', 'PRL', 'BAY', 'HKC', 'MCU', 'SZN', 'DRG', 'LTS'];
const FIRMS = ['Trading', 'Logistics', 'Import & Export', 'E-commerce', 'Supply Chain', 'Electronics', 'Garments', 'Freight'];
const PLACES = ['Shenzhen', 'Guangzhou', 'Dongguan', 'Foshan', 'Zhuhai', 'Kowloon', 'Tsuen Wan', 'Taipa', 'Dubai', 'Lagos', 'Rotterdam', 'Santos'];
const SOURCES = ['risk profiling', 'manifest analysis', 'rights holder tip-off', 'officer observation', 'partner intelligence', 'e-commerce platform data'];
const BRAND_WORDS = ['Aurora', 'Lumen', 'Meridian', 'Stride', 'Chronos', 'Zephyr', 'Orchid', 'Summit', 'Nova', 'Harbor', 'Jade', 'Falcon', 'Lotus', 'Atlas', 'Crescent'];
const BRAND_KINDS = ['Holdings', 'Industries', 'Group', 'Brands', 'Technologies', 'Luxury', 'Sports', 'Cosmetics'];

/** Rights holders the generated alerts name: a few hundred, as customs protect (359 in the facts). */
export function demoRightsHolders(count = 120, seed = 7): { id: string; name: string; recordations: { type: InfringementType; number: string; mark: string }[] }[] {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const word = BRAND_WORDS[i % BRAND_WORDS.length];
    const kind = BRAND_KINDS[Math.floor(i / BRAND_WORDS.length) % BRAND_KINDS.length];
    const name = `${word} ${kind} ${i >= BRAND_WORDS.length * BRAND_KINDS.length ? i : ''}`.trim();
    const types = [InfringementType.TRADEMARK, ...(r() < 0.4 ? [InfringementType.PATENT] : []), ...(r() < 0.2 ? [InfringementType.DESIGN] : [])];
    out.push({
      id: uuidv7(Date.UTC(2024, 0, 1) + i),
      name,
      recordations: types.map((type, k) => ({
        type,
        number: `G${type[0]}${2014 + (i % 11)}-${String(100000 + i * 7 + k).padStart(6, '0')}`,
        mark: `${word.toUpperCase()} ${type === InfringementType.TRADEMARK ? 'mark' : type.toLowerCase()}`,
      })),
    });
  }
  return out;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function weighted<T>(r: () => number, table: Weighted<T>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of table) {
    if ((x -= w) < 0) return v;
  }
  return table[table.length - 1][0];
}

/** Airline prefixes of the air waybills (Cathay Pacific, Air Macau, China Southern, Hong Kong Air Cargo). */
const AWB_PREFIXES = ['160', '675', '784', '851'];

/** A mobile number as an officer of the party's place writes it (with its code), or null for other places. */
function mobile(r: () => number, country: string): string | null {
  const n = (len: number) => String(Math.floor(r() * 10 ** len)).padStart(len, '0');
  if (country === 'HK') return `+852 ${pick(r, ['5', '6', '9'])}${n(3)} ${n(4)}`;
  if (country === 'MO') return `+853 6${n(3)} ${n(4)}`;
  if (country === 'CN') return `+86 1${pick(r, ['3', '5', '8'])}${n(1)} ${n(4)} ${n(4)}`;
  return null;
}

const REFERENCE_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/**
 * Writes `alerts` generated alerts (and the rights holders they name, once) into the database.
 * References continue each agency's yearly counter, so generated and real alerts never clash.
 * @returns the number of alerts written.
 */
export async function generateAlerts(em: EntityManager, opts: GenerateOptions): Promise<number> {
  const r = rng(opts.seed ?? 20200215);
  // The identifiers added for matching (issue 20) draw from a stream of their own, so a seed
  // gives the same alerts otherwise as before they existed.
  const ids = rng((opts.seed ?? 20200215) ^ 0x2f6b_a3c1);
  const until = (opts.until ?? new Date(Date.UTC(2026, 10, 1))).getTime();
  const knex = em.getKnex();
  // Written now, for the agencies present now: an agency that joins later sees the
  // ALL_PARTNERS ones only when shared again, like any other alert (however old they look).
  const sharedAt = new Date();
  const agencies = new Set((await knex('agency').select('code')).map((a: { code: string }) => a.code));
  const agencyShare = AGENCY_SHARE.filter(([c]) => agencies.has(c));
  if (agencyShare.length === 0) return 0;

  // Rights holders: made once, looked up by name afterwards.
  const holders = demoRightsHolders();
  const known = new Map<string, string>(
    (await knex('rights_holder').select('id', 'name').whereIn('name', holders.map((h) => h.name))).map((h: { id: string; name: string }) => [h.name, h.id]),
  );
  const missing = holders.filter((h) => !known.has(h.name));
  if (missing.length) {
    await knex.transaction(async (trx) => {
      await trx('rights_holder').insert(missing.map((h) => ({ id: h.id, name: h.name, created_at: new Date(Date.UTC(2024, 0, 1)) })));
      await trx('ipr_recordation')
        .insert(missing.flatMap((h) => h.recordations.map((rec) => ({ id: uuidv7(), rights_holder_id: h.id, type: rec.type, recordation_number: rec.number, mark: rec.mark }))))
        .onConflict(['type', 'recordation_number'])
        .ignore();
    });
    missing.forEach((h) => known.set(h.name, h.id));
  }
  const holderIds = [...known.values()];

  const channels = Object.values(TransportChannel);
  const categories = Object.values(GoodsCategory);
  const modi = Object.values(ModusOperandi);
  let written = 0;
  while (written < opts.alerts) {
    const n = Math.min(BATCH, opts.alerts - written);
    const alerts: Record<string, unknown>[] = [];
    const goods: Record<string, unknown>[] = [];
    const holdersOf: Record<string, unknown>[] = [];
    const selected: Record<string, unknown>[] = [];
    const history: Record<string, unknown>[] = [];
    const keys: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const k = written + i;
      const agency = weighted(r, agencyShare);
      // Cycle through every channel, category and modus first, then spread at random.
      const channel = k < channels.length ? channels[k] : pick(r, channels);
      const category = k < categories.length ? categories[k] : pick(r, categories);
      const modus = k < modi.length ? modi[k] : pick(r, modi);
      const status = weighted(r, STATUS_SHARE);
      const risk = weighted(r, RISK_SHARE);
      const chinese = agency === 'GD' ? r() < 0.5 : r() < 0.2;
      const created = new Date(until - Math.floor(r() * TWO_YEARS_MS));
      // Nothing happened after `until`: an alert made just before it was published and changed by then.
      const published = status === AlertStatus.DRAFT ? null : new Date(Math.min(until, created.getTime() + Math.floor(r() * 6 * 3600_000)));
      const updated = new Date(Math.min(until, (published ?? created).getTime() + Math.floor(r() * 10 * 24 * 3600_000 * (status === AlertStatus.PUBLISHED ? 0.1 : 1))));
      const g = GOODS[category];
      const description = chinese ? pick(r, g.zh) : pick(r, g.en);
      const quantity = Math.max(1, Math.floor(Math.exp(r() * 11)));
      const title = chinese
        ? `疑似侵权${description}，${CHANNEL_TEXT[channel].zh}`
        : `Suspected infringing ${description} ${CHANNEL_TEXT[channel].en}`;
      const summary = chinese
        ? `${CHANNEL_TEXT[channel].zh}发现${quantity}件疑似侵权${description}，涉及${MODUS_TEXT[modus]}。`
        : `${quantity} ${g.unit} of ${description} ${CHANNEL_TEXT[channel].en}; ${MODUS_TEXT[modus]}.`;
      const home = HOME_PORTS[agency] ?? ['CNSHK'];
      const direction = pick(r, [TradeDirection.EXPORT, TradeDirection.EXPORT, TradeDirection.IMPORT, TradeDirection.TRANSIT]);
      const homePort = pick(r, home);
      const foreign = pick(r, FOREIGN_PORTS);
      const loading = direction === TradeDirection.IMPORT ? foreign : homePort;
      const discharge = direction === TradeDirection.IMPORT ? homePort : foreign;
      const containers =
        channel === TransportChannel.SEA_CONTAINER
          ? Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
              const first10 = `${pick(r, OWNERS)}U${String(Math.floor(r() * 1e6)).padStart(6, '0')}`;
              return first10 + containerCheckDigit(first10);
            })
          : null;
      const scope = weighted(r, SCOPE_SHARE);
      const id = uuidv7(created.getTime());
      const parcels = channel === TransportChannel.CROSS_BORDER_ECOMMERCE || channel === TransportChannel.POSTAL_EXPRESS;
      const trackingNumbers = parcels
        ? Array.from({ length: 1 + Math.floor(ids() * 3) }, () => `${pick(ids, ['SF', 'YT', 'JD', 'EA'])}${String(Math.floor(ids() * 1e12)).padStart(12, '0')}${pick(ids, ['', 'CN', 'HK'])}`)
        : null;
      const awbSerial = String(Math.floor(ids() * 1e7)).padStart(7, '0');
      const airWaybill = channel === TransportChannel.AIR_CARGO ? `${pick(ids, AWB_PREFIXES)}-${awbSerial}${Number(awbSerial) % 7}` : null;
      const consignorPhone = ids() < 0.4 ? mobile(ids, loading.slice(0, 2)) : null;
      const consigneePhone = ids() < 0.5 ? mobile(ids, discharge.slice(0, 2)) : null;
      alerts.push({
        id,
        reference: null, // set below, per agency and year
        origin_agency_code: agency,
        created_by: `${agency.toLowerCase()}.analyst.${1 + Math.floor(r() * 40)}@demo`,
        status,
        title,
        summary,
        risk_level: risk,
        channel,
        direction,
        infringements: r() < 0.3 ? [InfringementType.TRADEMARK, InfringementType.PATENT] : [pick(r, [InfringementType.TRADEMARK, InfringementType.TRADEMARK, InfringementType.COPYRIGHT, InfringementType.DESIGN, InfringementType.PATENT])],
        modus_operandi: r() < 0.3 ? [...new Set([modus, pick(r, modi)])] : [modus],
        port_of_loading: loading,
        port_of_discharge: discharge,
        origin_country: loading.slice(0, 2),
        destination_country: discharge.slice(0, 2),
        expected_arrival: new Date(created.getTime() + Math.floor(r() * 20 * 24 * 3600_000)),
        distribution_scope: scope,
        container_numbers: containers,
        bill_of_lading: channel === TransportChannel.SEA_CONTAINER || channel === TransportChannel.AIR_CARGO ? `BL${Math.floor(r() * 1e10)}` : null,
        conveyance_reference: channel === TransportChannel.AIR_CARGO ? `Flight CX ${100 + Math.floor(r() * 800)}` : null,
        air_waybill: airWaybill,
        tracking_numbers: trackingNumbers,
        consignor_name: `${pick(r, PLACES)} ${pick(r, BRAND_WORDS)} ${pick(r, FIRMS)} Co.`,
        consignor_country: loading.slice(0, 2),
        consignor_phone: consignorPhone,
        consignee_name: `${pick(r, PLACES)} ${pick(r, FIRMS)} Ltd.`,
        consignee_country: discharge.slice(0, 2),
        consignee_phone: consigneePhone,
        source_kind: pick(r, SOURCES),
        source_reliability: pick(r, Object.values(SourceReliability)),
        source_credibility: 1 + Math.floor(r() * 6),
        operational_notes: r() < 0.5 ? 'Inspect fully before release; photograph marks and packaging.' : null,
        version: 1,
        created_at: created,
        updated_at: updated,
        published_at: published,
        shared_at: sharedAt,
      });
      goods.push({ id: uuidv7(created.getTime()), alert_id: id, position: 0, category, description, hs_code: pick(r, g.hs), quantity, unit: g.unit });
      if (r() < 0.35) {
        const other = pick(r, categories);
        goods.push({ id: uuidv7(created.getTime()), alert_id: id, position: 1, category: other, description: pick(r, GOODS[other].en), hs_code: null, quantity: Math.max(1, Math.floor(quantity / 3)), unit: GOODS[other].unit });
      }
      for (const h of new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(r, holderIds)))) {
        holdersOf.push({ alert_id: id, rights_holder_id: h });
      }
      if (scope === DistributionScope.SELECTED_AGENCIES) {
        const partners = [...agencies].filter((c) => c !== agency);
        const chosen = partners.filter(() => r() < 0.6);
        for (const c of chosen.length ? chosen : partners.slice(0, 1)) selected.push({ alert_id: id, agency_code: c });
      }
      const row = alerts[alerts.length - 1];
      if (opts.matchKeys) {
        const party = (prefix: string) => ({ name: row[`${prefix}_name`] as string, country: row[`${prefix}_country`] as string, phone: row[`${prefix}_phone`] as string | null });
        const derived = deriveMatchKeys(
          {
            id,
            agencyCode: agency,
            status,
            publishedAt: published,
            containerNumbers: containers,
            billOfLading: row.bill_of_lading as string | null,
            airWaybill,
            trackingNumbers,
            consignor: party('consignor'),
            consignee: party('consignee'),
          },
          opts.matchKeys,
        );
        for (const k of derived) {
          keys.push({ alert_id: id, agency_code: k.agencyCode, kind: k.kind, field_class: k.fieldClass, role: k.role, key: k.key, secret_id: opts.matchKeys.secretId, published_at: k.publishedAt });
        }
      }
      const actor = row.created_by;
      history.push({ alert_id: id, at: created, agency_code: agency, subject: actor, kind: AlertChangeKind.CREATED, from_status: null, to_status: AlertStatus.DRAFT, note: null });
      if (published) {
        history.push({ alert_id: id, at: published, agency_code: agency, subject: actor, kind: AlertChangeKind.PUBLISHED, from_status: AlertStatus.DRAFT, to_status: AlertStatus.PUBLISHED, note: null });
        if (status !== AlertStatus.PUBLISHED) {
          const kind = status === AlertStatus.WITHDRAWN ? AlertChangeKind.WITHDRAWN : AlertChangeKind.STATUS_CHANGED;
          history.push({ alert_id: id, at: updated, agency_code: agency, subject: actor, kind, from_status: AlertStatus.PUBLISHED, to_status: status, note: kind === AlertChangeKind.WITHDRAWN ? 'source retracted' : null });
        }
      }
    }

    await knex.transaction(async (trx) => {
      // References: reserve a block per agency and year from the same counter AlertService uses.
      const groups = new Map<string, Record<string, unknown>[]>();
      for (const a of alerts) {
        const key = `${a.origin_agency_code}:${REFERENCE_YEAR.format(a.created_at as Date)}`;
        (groups.get(key) ?? groups.set(key, []).get(key)!).push(a);
      }
      for (const [key, rows] of groups) {
        const [agency, year] = key.split(':');
        rows.sort((x, y) => (x.created_at as Date).getTime() - (y.created_at as Date).getTime());
        const res = await trx.raw(
          `insert into alert_reference_counter (agency_code, year, last_number) values (?, ?, ?)
           on conflict (agency_code, year) do update set last_number = alert_reference_counter.last_number + excluded.last_number
           returning last_number`,
          [agency, Number(year), rows.length],
        );
        const last = Number(res.rows[0].last_number);
        rows.forEach((row, j) => {
          row.reference = `${agency}-${year}-${String(last - rows.length + 1 + j).padStart(6, '0')}`;
        });
      }
      await trx('alert').insert(alerts);
      await trx('alert_goods_line').insert(goods);
      if (holdersOf.length) await trx('alert_rights_holder').insert(holdersOf);
      if (selected.length) await trx('alert_distribution_agency').insert(selected);
      await trx('alert_history').insert(history);
      if (keys.length) await trx('match_key').insert(keys);
    });
    written += n;
    opts.onProgress?.(written, opts.alerts);
  }
  return written;
}
