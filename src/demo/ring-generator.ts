import {
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
import type { PartyInput } from '../alerts/alert.inputs';
import { demoRightsHolders, ordinaryAlerts, take, type GeneratedAlert } from './generator';
import { between, digits, pick, rng, weighted, type Weighted } from './random';
import {
  e164,
  phoneOneDigitOff,
  randomAddress,
  randomParty,
  randomPhone,
  scriptOf,
  spellAddress,
  spellEmail,
  spellName,
  spellPhone,
  TRADE_LINES,
  type Address,
  type Party,
  type Phone,
  type Region,
  type Script,
} from './spelling';

/*
 * Split-shipment rings planted among ordinary alerts, with the answer: which alert belongs to
 * which ring. One consignment broken into many small parcels ("turning the whole into parts")
 * or carried in many small trips ("ant moving"), each parcel seen by one of the three
 * administrations and each too small to stop, all addressed to one consignee, one address, one
 * phone number, written as each administration writes them (spelling.ts). Some rings use a
 * different receiving name on every parcel (mules) and are tied only by address and phone.
 * Beside each ring, look-alikes that are not part of it: the same building but another flat,
 * a phone number one digit off, a firm with the same trade name in another line of business.
 * The benchmark (bench/) measures shipmentClusters against this answer; the unit tests check
 * that the spellings are what normalization folds. Pure and deterministic: the same options
 * give the same alerts.
 */

export interface GenerateRingsOptions {
  /** Rings to plant. */
  rings: number;
  /** Ordinary alerts among them (ordinaryAlerts of generator.ts, over two years). */
  ordinary: number;
  /** Default 20260315. */
  seed?: number;
  /** The end of the window, as for ordinaryAlerts (default 2026-11-01). Rings lie in its last 90 days. */
  until?: Date;
  /** Parcels per ring, least and most. Default [12, 30]. */
  members?: readonly [number, number];
  /** The largest quantity of one parcel. Default 3,000. */
  maxMemberQuantity?: number;
  /** The least a ring carries in all. Default 20,000. */
  minRingQuantity?: number;
  /** Look-alikes per ring. Default 3. */
  decoysPerRing?: number;
  /** The agencies that see parcels. Default GD, HK, MO. */
  agencies?: readonly string[];
}

/** How one parcel of a ring wrote its consignee. */
export interface RingMemberSpelling {
  /** The alert (index into RingDataset.alerts). */
  alert: number;
  /** The script of its name and address. */
  script: Script;
  /** 'same': a spelling normalization folds into the ring's; 'other': one it does not (a region added or left off); null: no address. */
  address: 'same' | 'other' | null;
  /** Which of the ring's phones it gives (index into PlantedRing.phones), or null. */
  phone: number | null;
  /** Whether it gives the ring's e-mail address. */
  email: boolean;
}

export interface PlantedRing {
  index: number;
  category: GoodsCategory;
  channel: TransportChannel;
  /** 'firm' or 'person': one consignee name on every parcel; 'mules': a different name on each. */
  consignee: 'firm' | 'person' | 'mules';
  region: Region;
  /** Its parcels, as indexes into RingDataset.alerts, oldest first. */
  members: number[];
  spellings: RingMemberSpelling[];
  /** Parcels per originating agency. */
  agencies: Record<string, number>;
  totalQuantity: number;
  firstSeen: Date;
  lastSeen: Date;
  /** The ring's phone numbers in E.164 (what each spelling normalizes to). */
  phones: string[];
  /** The ring's e-mail address (lower case), when it gives one. */
  email: string | null;
}

export type DecoyKind = 'ADDRESS' | 'PHONE' | 'PARTY_NAME';

export interface Decoy {
  /** The look-alike (index into RingDataset.alerts). */
  alert: number;
  /** The ring it looks like. */
  ring: number;
  /** What it imitates: the ring's building (another flat), phone (one digit off) or name (same trade name, other line or given name). */
  kind: DecoyKind;
}

export interface RingDataset {
  /** Every alert, oldest first: ordinary ones, ring parcels and look-alikes. */
  alerts: GeneratedAlert[];
  rings: PlantedRing[];
  /** For each alert, the index of its ring, or -1. */
  ringOf: Int32Array;
  decoys: Decoy[];
}

interface Profile {
  category: GoodsCategory;
  channel: TransportChannel;
  modus: ModusOperandi[];
  /** Where consignees of such rings are. */
  regions: Region[];
  en: string[];
  zh: [string, string][];
  hs: string;
  unit: string;
  /** Lines of business (TRADE_LINES' English words) a consignee firm of such a ring is in. */
  lines: string[];
  /** Ports (loading, discharge) each agency sees the parcels at. */
  ports: Record<string, [string, string]>;
}

const PROFILES: readonly Profile[] = [
  {
    category: GoodsCategory.INTEGRATED_CIRCUITS, lines: ['Electronic Components', 'Semiconductor', 'Digital Products'], channel: TransportChannel.CROSS_BORDER_ECOMMERCE, modus: [ModusOperandi.SMALL_PARCEL_SPLITTING],
    regions: ['HK', 'MO'], en: ['power management integrated circuits', 'microcontrollers', 'memory chips'], zh: [['電源管理集成電路', '电源管理集成电路'], ['微控制器', '微控制器']],
    hs: '854231', unit: 'pcs', ports: { GD: ['CNHUA', 'HKHKG'], HK: ['CNHUA', 'HKHKG'], MO: ['CNHUA', 'MOMFM'] },
  },
  {
    category: GoodsCategory.BAGS, lines: ['Leather Goods', 'Handbags', 'Import Export'], channel: TransportChannel.LAND_BORDER, modus: [ModusOperandi.ANT_MOVING, ModusOperandi.FAST_TRACK_ABUSE],
    regions: ['MO', 'CN'], en: ['handbags bearing a monogram mark', 'leather wallets'], zh: [['印有品牌標識的手袋', '印有品牌标识的手提包'], ['皮革錢包', '皮革钱包']],
    hs: '420221', unit: 'pcs', ports: { GD: ['CNZUH', 'MOMFM'], HK: ['HKHKG', 'CNZUH'], MO: ['CNZUH', 'MOMFM'] },
  },
  {
    category: GoodsCategory.ELECTRONICS, lines: ['Telecom Accessories', 'Mobile Accessories', 'Digital Products'], channel: TransportChannel.PASSENGER, modus: [ModusOperandi.ANT_MOVING],
    regions: ['CN'], en: ['mobile phone chargers', 'phone cases with brand logos', 'wireless earphones'], zh: [['手機充電器', '手机充电器'], ['無線耳機', '无线耳机']],
    hs: '850440', unit: 'pcs', ports: { GD: ['HKHKG', 'CNSZX'], HK: ['HKHKG', 'CNSZX'], MO: ['MOMFM', 'CNSZX'] },
  },
  {
    category: GoodsCategory.COSMETICS, lines: ['Cosmetics', 'Import Export', 'Logistics'], channel: TransportChannel.POSTAL_EXPRESS, modus: [ModusOperandi.SMALL_PARCEL_SPLITTING],
    regions: ['HK', 'MO', 'CN'], en: ['lipsticks', 'face creams'], zh: [['口紅', '口红'], ['面霜', '面霜']],
    hs: '330410', unit: 'pcs', ports: { GD: ['CNCAN', 'HKHKG'], HK: ['CNCAN', 'HKHKG'], MO: ['HKHKG', 'MOMFM'] },
  },
  {
    category: GoodsCategory.WATCHES_JEWELLERY, lines: ['Watches', 'Import Export'], channel: TransportChannel.POSTAL_EXPRESS, modus: [ModusOperandi.SMALL_PARCEL_SPLITTING, ModusOperandi.MISDECLARATION],
    regions: ['HK', 'CN'], en: ['wrist watches with a crown logo', 'watch movements'], zh: [['手錶', '手表'], ['機芯', '机芯']],
    hs: '910211', unit: 'pcs', ports: { GD: ['CNSZX', 'HKHKG'], HK: ['CNSZX', 'HKHKG'], MO: ['HKHKG', 'MOMFM'] },
  },
  {
    category: GoodsCategory.SHOES, lines: ['Footwear', 'Garments', 'Logistics'], channel: TransportChannel.CROSS_BORDER_ECOMMERCE, modus: [ModusOperandi.SMALL_PARCEL_SPLITTING, ModusOperandi.ANT_MOVING],
    regions: ['HK', 'CN'], en: ['sports shoes', 'running shoes with a sole design'], zh: [['運動鞋', '运动鞋'], ['跑鞋', '跑鞋']],
    hs: '640411', unit: 'pairs', ports: { GD: ['CNHUA', 'HKHKG'], HK: ['CNYTN', 'HKHKG'], MO: ['HKHKG', 'MOMFM'] },
  },
];

const CHANNEL_WORDS: Record<string, { en: string; hant: string; hans: string }> = {
  CROSS_BORDER_ECOMMERCE: { en: 'cross-border e-commerce parcel', hant: '跨境電商包裹', hans: '跨境电商包裹' },
  LAND_BORDER: { en: 'goods vehicle over the bridge', hant: '經大橋貨車', hans: '经大桥货车' },
  PASSENGER: { en: 'passenger carry at the land crossing', hant: '旅客攜帶', hans: '旅客携带' },
  POSTAL_EXPRESS: { en: 'express item', hant: '快件', hans: '快件' },
};

const REGION_COUNTRY: Readonly<Record<Region, 'HK' | 'MO' | 'CN'>> = { HK: 'HK', MO: 'MO', CN: 'CN' };
/** The country of each agency's own ports. */
const HOME: Readonly<Record<string, string>> = { GD: 'CN', HK: 'HK', MO: 'MO' };
const AGENCY_PLAN: Readonly<Record<string, string>> = { GD: '86', HK: '852', MO: '853' };
const REGION_PLAN: Readonly<Record<Region, string>> = { HK: '852', MO: '853', CN: '86' };
const MEMBER_STATUS: Weighted<AlertStatus> = [[AlertStatus.PUBLISHED, 45], [AlertStatus.UNDER_INSPECTION, 20], [AlertStatus.SEIZED, 20], [AlertStatus.CLEARED, 15]];
const MEMBER_SCOPE: Weighted<DistributionScope> = [[DistributionScope.ALL_PARTNERS, 60], [DistributionScope.SELECTED_AGENCIES, 25], [DistributionScope.ORIGINATOR_ONLY, 15]];
const DAY = 24 * 3600_000;

/** A ring's consignee as it really is. */
interface RingIdentity {
  party: Party;
  address: Address;
  phones: Phone[];
  email: string | null;
}

/** What one parcel will carry, before it is spelled. */
interface Plan {
  agency: string;
  script: Script;
  address: 'same' | 'other' | null;
  phone: number | null;
  email: boolean;
}

function emailOf(party: Party): string {
  const base = party.kind === 'firm' ? party.trade![0] : `${party.surname![0]}${party.given![0]}`;
  return `${base.toLowerCase().replace(/[^a-z]/g, '')}${party.kind === 'firm' ? `.${party.line![0].split(' ')[0].toLowerCase()}` : ''}@example.com`;
}

/**
 * Whether an officer of `agency` may write the number without its country code: when it is a
 * number of the agency's own plan and of the party's country's (which normalization reads such
 * a number in). A Macao number written bare for a mainland consignee would be read as a
 * mainland one, rightly.
 */
function local(phone: Phone, agency: string, region: Region): boolean {
  return AGENCY_PLAN[agency] === phone.cc && REGION_PLAN[region] === phone.cc;
}

/** Tags of what a parcel shares with others of its ring, for the connectivity check. */
function tags(p: Plan, mules: boolean): string[] {
  const t: string[] = [];
  if (!mules) t.push(`name:${p.script}`);
  if (p.address === 'same') t.push(`address:${p.script}`);
  if (p.phone !== null) t.push(`phone:${p.phone}`);
  if (p.email) t.push('email');
  return t;
}

/**
 * Plans the parcels so that every one of them is tied to the others by exact identifiers:
 * those that share nothing with the ring's first phone number's holders are given it. (A
 * parcel tied by nothing would be a parcel no one could find, and no benchmark's fault.)
 */
function connect(plans: Plan[], mules: boolean): void {
  if (!plans.some((p) => p.phone === 0)) plans[0].phone = 0;
  for (;;) {
    const parent = plans.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const seen = new Map<string, number>();
    plans.forEach((p, i) => {
      for (const t of tags(p, mules)) {
        const j = seen.get(t);
        if (j === undefined) seen.set(t, i);
        else parent[find(i)] = find(j);
      }
    });
    const anchor = plans.findIndex((p) => p.phone === 0);
    const loose = plans.findIndex((_, i) => find(i) !== find(anchor));
    if (loose < 0) return;
    plans[loose].phone = 0;
  }
}

function party(name: string, identity: { address?: string; phone?: string; email?: string }, country: string): PartyInput {
  return { name, country, ...(identity.address ? { address: identity.address } : {}), ...(identity.phone ? { phone: identity.phone } : {}), ...(identity.email ? { email: identity.email } : {}) };
}

function trackingNumber(r: () => number): string {
  return r() < 0.6 ? `SF${digits(r, 13)}` : `YT${digits(r, 16)}`;
}

/**
 * N rings among M ordinary alerts, with the answer.
 * @returns every alert oldest first, the rings with their members' indexes, and the look-alikes.
 */
export function generateRings(opts: GenerateRingsOptions): RingDataset {
  const seed = opts.seed ?? 20260315;
  const r = rng(seed);
  const until = (opts.until ?? new Date(Date.UTC(2026, 10, 1))).getTime();
  const [minMembers, maxMembers] = opts.members ?? [12, 30];
  const maxQ = opts.maxMemberQuantity ?? 3000;
  const minTotal = opts.minRingQuantity ?? 20_000;
  const decoysPerRing = opts.decoysPerRing ?? 3;
  const agencies = [...(opts.agencies ?? ['GD', 'HK', 'MO'])];
  const holders = demoRightsHolders().map((h) => h.name);

  type Tagged = { alert: GeneratedAlert; ring: number; decoy: DecoyKind | null; spelling: Omit<RingMemberSpelling, 'alert'> | null };
  const planted: Tagged[] = [];
  const rings: Omit<PlantedRing, 'members' | 'spellings'>[] = [];

  for (let ringIndex = 0; ringIndex < opts.rings; ringIndex++) {
    const profile = PROFILES[ringIndex % PROFILES.length];
    const region = pick(r, profile.regions);
    const consignee: PlantedRing['consignee'] = weighted(r, [['firm', 55], ['person', 25], ['mules', 20]] as const);
    const identity: RingIdentity = {
      party: randomParty(r, region, consignee === 'firm' ? 'firm' : 'person'),
      address: randomAddress(r, region),
      phones: [randomPhone(r, region), randomPhone(r, pick(r, ['HK', 'MO', 'CN'] as const))],
      email: null,
    };
    if (identity.party.kind === 'firm') {
      const line = pick(r, profile.lines);
      identity.party.line = TRADE_LINES.find((l) => l[0] === line)!;
    }
    if (consignee === 'firm' && r() < 0.4) identity.email = emailOf(identity.party);
    const senders = Array.from({ length: 3 }, () => randomParty(r, pick(r, ['HK', 'CN'] as const), 'firm'));
    const brand = pick(r, holders);
    let count = between(r, minMembers, maxMembers);
    while (count * maxQ < minTotal * 1.05) count++;
    const low = Math.min(maxQ, Math.ceil((minTotal * 1.05) / count));
    const startDaysAgo = between(r, 30, 88);
    const span = between(r, 14, Math.min(42, startDaysAgo - 2)) * DAY;
    const start = until - startDaysAgo * DAY;

    // Every agency sees at least two parcels; the rest as the route has it.
    const plans: Plan[] = Array.from({ length: count }, (_, i) => {
      const agency = i < agencies.length * 2 ? agencies[i % agencies.length] : pick(r, agencies);
      const script = scriptOf(r, agency);
      const x = r();
      return {
        agency,
        script,
        address: x < 0.65 ? 'same' : x < 0.75 ? 'other' : null,
        phone: r() < 0.65 ? (r() < 0.8 ? 0 : 1) : null,
        email: identity.email !== null && r() < 0.3,
      } satisfies Plan;
    });
    connect(plans, consignee === 'mules');

    const times = plans.map(() => start + Math.floor(r() * span)).sort((a, b) => a - b);
    let total = 0;
    const counts: Record<string, number> = {};
    plans.forEach((p, i) => {
      const quantity = between(r, low, maxQ);
      total += quantity;
      counts[p.agency] = (counts[p.agency] ?? 0) + 1;
      const who = consignee === 'mules' ? randomParty(r, region, 'person') : identity.party;
      const fields = {
        address: p.address ? spellAddress(r, identity.address, p.script, p.address === 'other') : undefined,
        phone: p.phone !== null ? spellPhone(r, identity.phones[p.phone], local(identity.phones[p.phone], p.agency, region)) : undefined,
        email: p.email ? spellEmail(r, identity.email!) : undefined,
      };
      const alert = parcel(r, {
        profile, agency: p.agency, script: p.script, at: times[i], until, quantity, brand,
        consignee: party(spellName(r, who, p.script), fields, REGION_COUNTRY[region]),
        consignor: pick(r, senders),
      });
      planted.push({ alert, ring: ringIndex, decoy: null, spelling: { script: p.script, address: p.address, phone: p.phone, email: p.email } });
    });
    rings.push({
      index: ringIndex, category: profile.category, channel: profile.channel, consignee, region,
      agencies: counts, totalQuantity: total, firstSeen: new Date(times[0]), lastSeen: new Date(times[times.length - 1]),
      phones: identity.phones.map(e164), email: identity.email,
    });

    // Look-alikes: small parcels of the same goods in the same weeks, to someone else.
    for (let d = 0; d < decoysPerRing; d++) {
      const kinds: DecoyKind[] = consignee === 'mules' ? ['ADDRESS', 'PHONE'] : ['ADDRESS', 'PHONE', 'PARTY_NAME'];
      const kind = kinds[d % kinds.length];
      const agency = pick(r, agencies);
      const script = scriptOf(r, agency);
      let who = randomParty(r, region, r() < 0.5 ? 'firm' : 'person');
      let address: string | undefined;
      let phone: string | undefined;
      if (kind === 'ADDRESS') {
        const flat = identity.address.flat;
        const other = /^\d+$/.test(flat) ? String(Number(flat) + between(r, 1, 6)) : String.fromCharCode(((flat.charCodeAt(0) - 65 + between(r, 1, 5)) % 8) + 65);
        address = spellAddress(r, { ...identity.address, flat: other }, script);
      } else if (kind === 'PHONE') {
        const off = phoneOneDigitOff(r, identity.phones[0]);
        phone = spellPhone(r, off, local(off, agency, region));
      } else if (identity.party.kind === 'firm') {
        const line = pick(r, TRADE_LINES.filter((l) => l[0] !== identity.party.line![0]));
        who = { ...identity.party, line };
      } else {
        // The same surname, another given name.
        do who = { ...identity.party, given: randomParty(r, region, 'person').given };
        while (who.given![0] === identity.party.given![0]);
      }
      if (kind !== 'ADDRESS' && r() < 0.5) address = spellAddress(r, randomAddress(r, region), script);
      if (kind !== 'PHONE' && r() < 0.5) phone = spellPhone(r, randomPhone(r, region), false);
      const alert = parcel(r, {
        profile, agency, script, at: start + Math.floor(r() * span), until, quantity: between(r, 200, maxQ), brand,
        consignee: party(spellName(r, who, script), { address, phone }, REGION_COUNTRY[region]),
        consignor: randomParty(r, pick(r, ['HK', 'CN'] as const), 'firm'),
      });
      planted.push({ alert, ring: ringIndex, decoy: kind, spelling: null });
    }
  }

  const ordinary: Tagged[] = [...take(ordinaryAlerts({ seed: seed + 1, until: new Date(until), agencies }), opts.ordinary)].map((alert) => ({ alert, ring: -1, decoy: null, spelling: null }));
  // Oldest first; ties keep ordinary alerts first, then the planted ones in the order made.
  const all = [...ordinary, ...planted].map((t, order) => ({ ...t, order })).sort((a, b) => a.alert.createdAt.getTime() - b.alert.createdAt.getTime() || a.order - b.order);

  const ringOf = new Int32Array(all.length).fill(-1);
  const members: number[][] = rings.map(() => []);
  const spellings: RingMemberSpelling[][] = rings.map(() => []);
  const decoys: Decoy[] = [];
  all.forEach((t, i) => {
    if (t.ring < 0) return;
    if (t.decoy) {
      decoys.push({ alert: i, ring: t.ring, kind: t.decoy });
      return;
    }
    ringOf[i] = t.ring;
    members[t.ring].push(i);
    spellings[t.ring].push({ alert: i, ...t.spelling! });
  });
  return {
    alerts: all.map((t) => t.alert),
    rings: rings.map((ring, i) => ({ ...ring, members: members[i], spellings: spellings[i] })),
    ringOf,
    decoys,
  };
}

interface ParcelSpec {
  profile: Profile;
  agency: string;
  script: Script;
  at: number;
  until: number;
  quantity: number;
  brand: string;
  consignee: PartyInput;
  consignor: Party;
}

/** One small parcel as its agency's officer records it: harmless-looking on its own. */
function parcel(r: () => number, s: ParcelSpec): GeneratedAlert {
  const { profile } = s;
  const zh = s.script !== 'en';
  const hans = s.script === 'zh-Hans';
  const descZh = pick(r, profile.zh)[hans ? 1 : 0];
  const description = zh ? descZh : pick(r, profile.en);
  const channel = CHANNEL_WORDS[profile.channel];
  const status = weighted(r, MEMBER_STATUS);
  const scope = weighted(r, MEMBER_SCOPE);
  const partners = ['GD', 'HK', 'MO'].filter((c) => c !== s.agency);
  const published = Math.min(s.until, s.at + Math.floor(r() * 6 * 3600_000));
  const updated = status === AlertStatus.PUBLISHED ? published : Math.min(s.until, published + Math.floor(r() * 3 * DAY));
  const [loading, discharge] = profile.ports[s.agency] ?? profile.ports.GD;
  const parcels = profile.channel === TransportChannel.CROSS_BORDER_ECOMMERCE || profile.channel === TransportChannel.POSTAL_EXPRESS;
  return {
    agency: s.agency,
    createdBy: `${s.agency.toLowerCase()}.analyst.${between(r, 1, 40)}@demo`,
    status,
    createdAt: new Date(s.at),
    publishedAt: new Date(published),
    updatedAt: new Date(updated),
    rightsHolders: [s.brand],
    input: {
      title: zh ? `${hans ? channel.hans : channel.hant}：${s.quantity}件${descZh}` : `${channel.en[0].toUpperCase()}${channel.en.slice(1)}: ${s.quantity} ${profile.unit} of ${description}`,
      summary: zh
        ? `${hans ? '单件数量不大，申报为普通货物；' : '單件數量不大，申報為普通貨物；'}${s.quantity}件${descZh}。`
        : `A small consignment declared as general goods: ${s.quantity} ${profile.unit} of ${description}.`,
      riskLevel: pick(r, [RiskLevel.LOW, RiskLevel.LOW, RiskLevel.MEDIUM]),
      channel: profile.channel,
      direction: loading.startsWith(HOME[s.agency]) ? TradeDirection.EXPORT : discharge.startsWith(HOME[s.agency]) ? TradeDirection.IMPORT : TradeDirection.TRANSIT,
      goods: [{ category: profile.category, description, hsCode: profile.hs, quantity: s.quantity, unit: profile.unit }],
      infringements: [InfringementType.TRADEMARK],
      modusOperandi: profile.modus,
      portOfLoading: loading,
      portOfDischarge: discharge,
      originCountry: loading.slice(0, 2),
      destinationCountry: discharge.slice(0, 2),
      trackingNumbers: parcels ? [trackingNumber(r)] : null,
      conveyanceReference: parcels ? null : profile.channel === TransportChannel.LAND_BORDER ? `Cross-boundary vehicle ${pick(r, ['YUE-C', 'MA', 'HK'])} ${digits(r, 4)}` : null,
      consignor: { name: spellName(r, s.consignor, s.script), country: s.consignor.country },
      consignee: s.consignee,
      source: { kind: pick(r, ['risk profiling', 'e-commerce platform data', 'officer observation', 'manifest analysis']), reliability: pick(r, [SourceReliability.B, SourceReliability.C]), credibility: between(r, 2, 4) },
      distribution: {
        scope,
        agencies: scope === DistributionScope.SELECTED_AGENCIES ? partners.filter((_, i) => i === 0 || r() < 0.5) : null,
      },
    },
  };
}
