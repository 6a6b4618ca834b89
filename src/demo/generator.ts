import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateAlertInput, GoodsLineInput, PartyInput } from '../alerts/alert.inputs';
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
import { digits, pick, rng, weighted, type Weighted } from './random';
import { randomAddress, randomParty, randomPhone, spellAddress, spellName, spellPhone, type Region, type Script } from './spelling';

/*
 * A realistic, reproducible alert set for demos and benchmarks: the same seed gives the same
 * alerts. Two years of alerts from the three administrations (Guangdong most, as the field
 * facts say), over every channel, goods category and modus, in English and Chinese, with the
 * statuses and distributions a working hub would have, and parties written as each place
 * writes them (spelling.ts). Made as inputs (ordinaryAlerts), so the split-shipment ring
 * generator (ring-generator.ts) plants its rings among them; written in batches straight to
 * the tables (writeAlerts, the shapes AlertService writes), because a hundred thousand alerts
 * through the ORM one by one would take minutes.
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

const REFERENCE_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/** An alert as made for the demo or a benchmark: what its agency wrote, and what became of it. */
export interface GeneratedAlert {
  agency: string;
  createdBy: string;
  status: AlertStatus;
  createdAt: Date;
  /** Null for a DRAFT. */
  publishedAt: Date | null;
  updatedAt: Date;
  /** Names of demoRightsHolders(); written as their ids. */
  rightsHolders: string[];
  /** As createAlert would take it (distribution included). */
  input: Omit<CreateAlertInput, 'rightsHolderIds'>;
}

export interface OrdinaryOptions {
  seed?: number;
  /** As in GenerateOptions. */
  until?: Date;
  /** The agencies that write them, each with its share (GD 55, HK 30, MO 15; others left out). Default GD, HK, MO. */
  agencies?: readonly string[];
}

const GBA_COUNTRY_REGION: Readonly<Record<string, Region>> = { HK: 'HK', MO: 'MO', CN: 'CN' };
const FOREIGN_TRADE = ['Atlas', 'Crescent', 'Cedar', 'Harbor', 'Falcon', 'Summit', 'Orion', 'Delta', 'Sterling', 'Pioneer', 'Vertex', 'Horizon', 'Global', 'United', 'Royal', 'Golden'];
const FOREIGN_SUFFIX = ['LLC', 'Ltd.', 'Co. LLC', 'FZE', 'S.A.', 'B.V.', 'GmbH', 'Inc.'];

/** An air waybill of a carrier serving the Greater Bay Area, with its mod-7 check digit. */
function airWaybill(r: () => number): string {
  const serial = digits(r, 7);
  return `${pick(r, ['160', '112', '999', '784', '297', '043'])}-${serial}${Number(serial) % 7}`;
}

/**
 * Ordinary alerts, one after another, for ever (take as many as needed): the same seed gives
 * the same ones. Everything but the parties, tracking numbers and air waybills comes from one
 * stream of random numbers, in the order the generator has always used, so a seed keeps giving
 * the alerts it gave before those were added; they come from a second stream.
 */
export function* ordinaryAlerts(opts: OrdinaryOptions = {}): Generator<GeneratedAlert> {
  const seed = opts.seed ?? 20200215;
  const r = rng(seed);
  const r2 = rng((seed ^ 0x9e3779b9) >>> 0);
  const until = (opts.until ?? new Date(Date.UTC(2026, 10, 1))).getTime();
  const agencies = [...(opts.agencies ?? ['GD', 'HK', 'MO'])];
  const agencyShare = AGENCY_SHARE.filter(([c]) => agencies.includes(c));
  if (agencyShare.length === 0) return;
  const holderNames = demoRightsHolders().map((h) => h.name);
  const channels = Object.values(TransportChannel);
  const categories = Object.values(GoodsCategory);
  const modi = Object.values(ModusOperandi);
  for (let k = 0; ; k++) {
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
    const createdBy = `${agency.toLowerCase()}.analyst.${1 + Math.floor(r() * 40)}@demo`;
    const infringements: InfringementType[] = r() < 0.3 ? [InfringementType.TRADEMARK, InfringementType.PATENT] : [pick(r, [InfringementType.TRADEMARK, InfringementType.TRADEMARK, InfringementType.COPYRIGHT, InfringementType.DESIGN, InfringementType.PATENT])];
    const modusOperandi = r() < 0.3 ? [...new Set([modus, pick(r, modi)])] : [modus];
    const expectedArrival = new Date(created.getTime() + Math.floor(r() * 20 * 24 * 3600_000));
    const billOfLading = channel === TransportChannel.SEA_CONTAINER || channel === TransportChannel.AIR_CARGO ? `BL${Math.floor(r() * 1e10)}` : null;
    const conveyanceReference = channel === TransportChannel.AIR_CARGO ? `Flight CX ${100 + Math.floor(r() * 800)}` : null;
    const consignorWords = [pick(r, PLACES), pick(r, BRAND_WORDS), pick(r, FIRMS)] as const;
    const consigneeWords = [pick(r, PLACES), pick(r, FIRMS)] as const;
    const sourceKind = pick(r, SOURCES);
    const reliability = pick(r, Object.values(SourceReliability));
    const credibility = 1 + Math.floor(r() * 6);
    const operationalNotes = r() < 0.5 ? 'Inspect fully before release; photograph marks and packaging.' : null;
    const goods: GoodsLineInput[] = [{ category, description, hsCode: pick(r, g.hs), quantity, unit: g.unit }];
    if (r() < 0.35) {
      const other = pick(r, categories);
      goods.push({ category: other, description: pick(r, GOODS[other].en), hsCode: null, quantity: Math.max(1, Math.floor(quantity / 3)), unit: GOODS[other].unit });
    }
    const rightsHolders = [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(r, holderNames)))];
    let selected: string[] = [];
    if (scope === DistributionScope.SELECTED_AGENCIES) {
      const partners = agencies.filter((c) => c !== agency);
      const chosen = partners.filter(() => r() < 0.6);
      selected = chosen.length ? chosen : partners.slice(0, 1);
    }

    // The second stream: parties as the writing agency writes them, parcels' identifiers.
    const script: Script = chinese ? (agency === 'GD' ? 'zh-Hans' : 'zh-Hant') : 'en';
    const party = (country: string, place: string, firm: string, personShare: number): PartyInput => {
      const region = GBA_COUNTRY_REGION[country];
      // A firm abroad: enough names that unrelated consignees seldom share one.
      if (!region) return { name: `${place} ${pick(r2, FOREIGN_TRADE)} ${pick(r2, FOREIGN_TRADE)} ${firm} ${pick(r2, FOREIGN_SUFFIX)}`, country };
      const who = randomParty(r2, region, r2() < personShare ? 'person' : 'firm');
      const p: PartyInput = { name: spellName(r2, who, script), country };
      if (r2() < 0.7) p.address = spellAddress(r2, randomAddress(r2, region), script);
      if (r2() < 0.6) p.phone = spellPhone(r2, randomPhone(r2, region), country === (agency === 'GD' ? 'CN' : agency));
      return p;
    };
    const consignor = party(loading.slice(0, 2), consignorWords[0], `${consignorWords[1]} ${consignorWords[2]}`, 0.1);
    const consignee = party(discharge.slice(0, 2), consigneeWords[0], consigneeWords[1], 0.2);
    const parcels = channel === TransportChannel.CROSS_BORDER_ECOMMERCE || channel === TransportChannel.POSTAL_EXPRESS;
    const trackingNumbers = parcels
      ? Array.from({ length: 1 + Math.floor(r2() * 3) }, () => (r2() < 0.6 ? `SF${digits(r2, 13)}` : `YT${digits(r2, 16)}`))
      : null;

    yield {
      agency,
      createdBy,
      status,
      createdAt: created,
      publishedAt: published,
      updatedAt: updated,
      rightsHolders,
      input: {
        title,
        summary,
        riskLevel: risk,
        channel,
        direction,
        goods,
        infringements,
        modusOperandi,
        portOfLoading: loading,
        portOfDischarge: discharge,
        originCountry: loading.slice(0, 2),
        destinationCountry: discharge.slice(0, 2),
        expectedArrival,
        containerNumbers: containers,
        billOfLading,
        conveyanceReference,
        airWaybill: channel === TransportChannel.AIR_CARGO ? airWaybill(r2) : null,
        trackingNumbers,
        consignor,
        consignee,
        source: { kind: sourceKind, reliability, credibility },
        operationalNotes,
        distribution: { scope, agencies: scope === DistributionScope.SELECTED_AGENCIES ? selected : null },
      },
    };
  }
}

/** The first `n` of a sequence. */
export function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const item of items) {
    yield item;
    if (++i >= n) return;
  }
}

/** The demo rights holders, made once; their ids by name. */
async function ensureRightsHolders(em: EntityManager): Promise<Map<string, string>> {
  const knex = em.getKnex();
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
  return known;
}

function partyColumns(prefix: 'consignor' | 'consignee', p: PartyInput | null | undefined): Record<string, unknown> {
  return {
    [`${prefix}_name`]: p?.name ?? null,
    [`${prefix}_address`]: p?.address ?? null,
    [`${prefix}_country`]: p?.country ?? null,
    [`${prefix}_identifier`]: p?.identifier ?? null,
    [`${prefix}_phone`]: p?.phone ?? null,
    [`${prefix}_email`]: p?.email ?? null,
  };
}

export interface WriteOptions {
  /** Told after each batch with the number written so far. */
  onProgress?: (written: number, total: number) => void;
  /** The number to report as the total (when `alerts` is a lazy sequence). */
  total?: number;
  /** As in GenerateOptions: keys written with the alerts, in their batch's transaction. */
  matchKeys?: MatchKeyring;
}

/**
 * Writes generated alerts (and the demo rights holders, once) in batches of 500, each in a
 * transaction, as AlertService would have stored them: published ones with their history,
 * shared now (an ALL_PARTNERS alert reaches the agencies present now, however old it looks).
 * References continue each agency's yearly counter, so generated and real alerts never clash.
 * The inputs are not checked: they must be what createAlert accepts, in the form it stores
 * (tracking numbers and air waybills canonical). With `opts.matchKeys` their match keys are
 * written in the same transaction, as AlertService writes them.
 * @returns the ids given to the alerts, in order.
 */
export async function writeAlerts(em: EntityManager, alerts: Iterable<GeneratedAlert>, opts: WriteOptions = {}): Promise<string[]> {
  const knex = em.getKnex();
  const holderIds = await ensureRightsHolders(em);
  const sharedAt = new Date();
  const ids: string[] = [];
  let batch: GeneratedAlert[] = [];
  const flush = async () => {
    if (!batch.length) return;
    ids.push(...(await writeBatch(knex, batch, holderIds, sharedAt, opts.matchKeys)));
    batch = [];
    opts.onProgress?.(ids.length, opts.total ?? ids.length);
  };
  for (const a of alerts) {
    batch.push(a);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return ids;
}

async function writeBatch(knex: ReturnType<EntityManager['getKnex']>, batch: GeneratedAlert[], holderIds: Map<string, string>, sharedAt: Date, matchKeys?: MatchKeyring): Promise<string[]> {
  const alerts: Record<string, unknown>[] = [];
  const goods: Record<string, unknown>[] = [];
  const holdersOf: Record<string, unknown>[] = [];
  const selected: Record<string, unknown>[] = [];
  const history: Record<string, unknown>[] = [];
  const keys: Record<string, unknown>[] = [];
  for (const a of batch) {
    const id = uuidv7(a.createdAt.getTime());
    const i = a.input;
    if (matchKeys) {
      const derived = deriveMatchKeys(
        {
          id,
          agencyCode: a.agency,
          status: a.status,
          publishedAt: a.publishedAt,
          containerNumbers: i.containerNumbers,
          billOfLading: i.billOfLading,
          airWaybill: i.airWaybill,
          trackingNumbers: i.trackingNumbers,
          consignor: i.consignor,
          consignee: i.consignee,
        },
        matchKeys,
      );
      for (const k of derived) {
        keys.push({ alert_id: id, agency_code: k.agencyCode, kind: k.kind, field_class: k.fieldClass, role: k.role, key: k.key, secret_id: matchKeys.secretId, published_at: k.publishedAt });
      }
    }
    const scope = i.distribution?.scope ?? DistributionScope.ALL_PARTNERS;
    alerts.push({
      id,
      reference: null, // set below, per agency and year
      origin_agency_code: a.agency,
      created_by: a.createdBy,
      status: a.status,
      title: i.title,
      summary: i.summary,
      risk_level: i.riskLevel,
      channel: i.channel,
      direction: i.direction,
      infringements: i.infringements,
      modus_operandi: i.modusOperandi ?? [],
      port_of_loading: i.portOfLoading ?? null,
      port_of_discharge: i.portOfDischarge ?? null,
      origin_country: i.originCountry ?? null,
      destination_country: i.destinationCountry ?? null,
      expected_arrival: i.expectedArrival ?? null,
      distribution_scope: scope,
      container_numbers: i.containerNumbers ?? null,
      bill_of_lading: i.billOfLading ?? null,
      conveyance_reference: i.conveyanceReference ?? null,
      air_waybill: i.airWaybill ?? null,
      tracking_numbers: i.trackingNumbers ?? null,
      ...partyColumns('consignor', i.consignor),
      ...partyColumns('consignee', i.consignee),
      source_kind: i.source?.kind ?? null,
      source_reliability: i.source?.reliability ?? null,
      source_credibility: i.source?.credibility ?? null,
      source_reference: i.source?.reference ?? null,
      operational_notes: i.operationalNotes ?? null,
      version: 1,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      published_at: a.publishedAt,
      shared_at: sharedAt,
    });
    i.goods.forEach((line, position) =>
      goods.push({ id: uuidv7(a.createdAt.getTime()), alert_id: id, position, category: line.category, description: line.description, hs_code: line.hsCode ?? null, quantity: line.quantity, unit: line.unit }),
    );
    for (const name of a.rightsHolders) {
      const holder = holderIds.get(name);
      if (holder) holdersOf.push({ alert_id: id, rights_holder_id: holder });
    }
    if (scope === DistributionScope.SELECTED_AGENCIES) for (const c of i.distribution?.agencies ?? []) selected.push({ alert_id: id, agency_code: c });
    history.push({ alert_id: id, at: a.createdAt, agency_code: a.agency, subject: a.createdBy, kind: AlertChangeKind.CREATED, from_status: null, to_status: AlertStatus.DRAFT, note: null });
    if (a.publishedAt) {
      history.push({ alert_id: id, at: a.publishedAt, agency_code: a.agency, subject: a.createdBy, kind: AlertChangeKind.PUBLISHED, from_status: AlertStatus.DRAFT, to_status: AlertStatus.PUBLISHED, note: null });
      if (a.status !== AlertStatus.PUBLISHED) {
        const kind = a.status === AlertStatus.WITHDRAWN ? AlertChangeKind.WITHDRAWN : AlertChangeKind.STATUS_CHANGED;
        history.push({ alert_id: id, at: a.updatedAt, agency_code: a.agency, subject: a.createdBy, kind, from_status: AlertStatus.PUBLISHED, to_status: a.status, note: kind === AlertChangeKind.WITHDRAWN ? 'source retracted' : null });
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
      const ordered = [...rows].sort((x, y) => (x.created_at as Date).getTime() - (y.created_at as Date).getTime());
      const res = await trx.raw(
        `insert into alert_reference_counter (agency_code, year, last_number) values (?, ?, ?)
         on conflict (agency_code, year) do update set last_number = alert_reference_counter.last_number + excluded.last_number
         returning last_number`,
        [agency, Number(year), ordered.length],
      );
      const last = Number(res.rows[0].last_number);
      ordered.forEach((row, j) => {
        row.reference = `${agency}-${year}-${String(last - ordered.length + 1 + j).padStart(6, '0')}`;
      });
    }
    await trx('alert').insert(alerts);
    await trx('alert_goods_line').insert(goods);
    if (holdersOf.length) await trx('alert_rights_holder').insert(holdersOf);
    if (selected.length) await trx('alert_distribution_agency').insert(selected);
    await trx('alert_history').insert(history);
    if (keys.length) await trx('match_key').insert(keys);
  });
  return alerts.map((a) => a.id as string);
}

/**
 * Writes `alerts` generated alerts (and the rights holders they name, once) into the database,
 * from the agencies present in it.
 * @returns the number of alerts written.
 */
export async function generateAlerts(em: EntityManager, opts: GenerateOptions): Promise<number> {
  const agencies = (await em.getKnex()('agency').select('code')).map((a: { code: string }) => a.code);
  const alerts = ordinaryAlerts({ seed: opts.seed, until: opts.until, agencies });
  const ids = await writeAlerts(em, take(alerts, opts.alerts), { onProgress: opts.onProgress, total: opts.alerts, matchKeys: opts.matchKeys });
  return ids.length;
}
