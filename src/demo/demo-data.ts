import type { EntityManager } from '@mikro-orm/postgresql';
import { SharingAgreement } from '../access/access.entities';
import { Agency } from '../agencies/agency.entity';
import { Alert } from '../alerts/alert.entity';
import type { CreateAlertInput } from '../alerts/alert.inputs';
import { AlertService } from '../alerts/alert.service';
import { containerCheckDigit } from '../common/codes';
import {
  DistributionScope,
  FieldClass,
  GoodsCategory,
  InfringementType,
  ModusOperandi,
  RiskLevel,
  Role,
  SourceReliability,
  TradeDirection,
  TransportChannel,
} from '../common/enums';
import { IprRecordation, RightsHolder } from '../rights-holders/rights-holder.entity';
import type { MatchKeyring } from '../correlation/match-keys';
import { generateAlerts } from './generator';
import { loadDemoOperations } from './demo-operations';
import { DEMO_RINGS, loadDemoRings } from './demo-rings';
import { correlateAll } from '../correlation/correlate';
import { preparedQuery } from '../db/sql';

/** Generated alerts added to the field-fact ones, so lists, filters and search have a realistic load. */
export const DEMO_GENERATED_ALERTS = 2000;

/*
 * A small demo set drawn from the field facts in shared/domain.md: the Shekou speakers with
 * their separately shipped logo plates, the Huangpu integrated circuits in the cross-border
 * e-commerce channel, the first IPR seizure at the Hong Kong-Zhuhai-Macao Bridge port, and
 * the rights holders they concern. Brands and parties are invented; the figures are the
 * reported ones. It goes through AlertService, so it is checked like any partner's input.
 * Beside it: generated alerts (generator.ts), the split-shipment rings and their look-alikes
 * (demo-rings.ts), the joint operations (demo-operations.ts) and the sharing agreements below.
 */

/** A container number with its correct ISO 6346 check digit. */
function container(owner: string, serial: string): string {
  const first10 = `${owner}U${serial}`;
  return first10 + containerCheckDigit(first10);
}

const RIGHTS_HOLDERS = [
  {
    key: 'aurora',
    name: 'Aurora Acoustics Ltd.',
    recordations: [
      { type: InfringementType.TRADEMARK, recordationNumber: 'T2018-204511', mark: 'AURORA SOUND' },
      { type: InfringementType.DESIGN, recordationNumber: 'D2020-017733', mark: 'Aurora wave grille' },
    ],
  },
  {
    key: 'lumen',
    name: 'Lumen Semiconductor Corporation',
    recordations: [
      { type: InfringementType.TRADEMARK, recordationNumber: 'T2016-118902', mark: 'LUMENSEMI' },
      { type: InfringementType.PATENT, recordationNumber: 'P2019-330271', mark: 'LS-7 power management IC' },
    ],
  },
  {
    key: 'meridian',
    name: 'Meridian Leather Goods S.A.',
    recordations: [{ type: InfringementType.TRADEMARK, recordationNumber: 'T2015-077310', mark: 'MERIDIAN monogram' }],
  },
  {
    key: 'stride',
    name: 'Stride Athletic Inc.',
    recordations: [
      { type: InfringementType.TRADEMARK, recordationNumber: 'T2017-150044', mark: 'STRIDE swoosh-arc' },
      { type: InfringementType.PATENT, recordationNumber: 'P2021-402918', mark: 'cushioned sole unit' },
    ],
  },
  {
    key: 'chronos',
    name: 'Chronos Horlogerie SA',
    recordations: [{ type: InfringementType.TRADEMARK, recordationNumber: 'T2014-009981', mark: 'CHRONOS crown' }],
  },
] as const;

type Key = (typeof RIGHTS_HOLDERS)[number]['key'];

/**
 * What each demo agency lets flow to each partner beyond CORE, as their administrators might
 * set it: Hong Kong and Macao give each other parties and shipment identifiers; Guangdong
 * keeps parties to itself (PIPL) and gives shipment identifiers; Macao gives Guangdong CORE
 * only. So a partner sees some parcels of a demo ring with their consignee and, in the other
 * pairs, the alert without it: there, only a match says the consignee is the same.
 */
export const DEMO_AGREEMENTS: readonly (readonly [string, string, readonly FieldClass[]])[] = [
  ['HK', 'MO', [FieldClass.SHIPMENT_IDENTIFIERS, FieldClass.PARTY_IDENTITY]],
  ['MO', 'HK', [FieldClass.SHIPMENT_IDENTIFIERS, FieldClass.PARTY_IDENTITY]],
  ['GD', 'HK', [FieldClass.SHIPMENT_IDENTIFIERS]],
  ['GD', 'MO', [FieldClass.SHIPMENT_IDENTIFIERS]],
  ['HK', 'GD', [FieldClass.SHIPMENT_IDENTIFIERS]],
];

interface DemoAlert {
  agency: string;
  publish: boolean;
  input: Omit<CreateAlertInput, 'rightsHolderIds'> & { rightsHolders: Key[] };
}

const DEMO_ALERTS: DemoAlert[] = [
  {
    agency: 'GD',
    publish: true,
    input: {
      title: 'Unlicensed speakers with logo plates shipped apart, Shekou export',
      summary:
        'Two export containers declared as generic speakers: 29,500 unlicensed speakers, with the same number of ' +
        'infringing logo plates hidden elsewhere in the containers and shaped to fit them, to be joined after clearance.',
      riskLevel: RiskLevel.HIGH,
      channel: TransportChannel.SEA_CONTAINER,
      direction: TradeDirection.EXPORT,
      goods: [
        { category: GoodsCategory.AUDIO_EQUIPMENT, description: 'Bluetooth speakers without marks', hsCode: '851822', quantity: 29500, unit: 'pcs' },
        { category: GoodsCategory.OTHER, description: 'Logo plates shaped to fit the speakers', hsCode: '830990', quantity: 29500, unit: 'pcs' },
      ],
      infringements: [InfringementType.TRADEMARK, InfringementType.DESIGN],
      modusOperandi: [ModusOperandi.SEPARATED_MARKS, ModusOperandi.CONCEALMENT],
      rightsHolders: ['aurora'],
      portOfLoading: 'CNSHK',
      portOfDischarge: 'AEJEA',
      originCountry: 'CN',
      destinationCountry: 'AE',
      containerNumbers: [container('GBX', '104528'), container('GBX', '104529')],
      billOfLading: 'SHK2026EX0045821',
      conveyanceReference: 'MV Pearl Meridian 026W',
      consignor: { name: 'Shenzhen Huasheng Audio Trading Co.', address: 'Nanshan District, Shenzhen', country: 'CN', identifier: '91440300MA5F00001X' },
      consignee: { name: 'Gulf Sound General Trading LLC', address: 'Deira, Dubai', country: 'AE' },
      source: { kind: 'risk profiling', reliability: SourceReliability.B, credibility: 2, reference: 'SK-RP-2026-118' },
      operationalNotes: 'Open both containers fully; the plates sit behind the last pallet row.',
      distribution: { scope: DistributionScope.ALL_PARTNERS },
    },
  },
  {
    agency: 'GD',
    publish: true,
    input: {
      title: 'Infringing integrated circuits split into small e-commerce parcels, Huangpu',
      summary:
        'Cross-border e-commerce consignments of integrated circuits bearing a recorded mark, broken into many ' +
        'low-value parcels and carried in repeated small trips; 1.8 million pieces seized in the channel.',
      riskLevel: RiskLevel.CRITICAL,
      channel: TransportChannel.CROSS_BORDER_ECOMMERCE,
      direction: TradeDirection.EXPORT,
      goods: [{ category: GoodsCategory.INTEGRATED_CIRCUITS, description: 'Power management integrated circuits', hsCode: '854231', quantity: 1_800_000, unit: 'pcs' }],
      infringements: [InfringementType.TRADEMARK, InfringementType.PATENT],
      modusOperandi: [ModusOperandi.SMALL_PARCEL_SPLITTING, ModusOperandi.ANT_MOVING],
      rightsHolders: ['lumen'],
      portOfLoading: 'CNHUA',
      originCountry: 'CN',
      consignor: { name: 'Guangzhou Xinlian E-commerce Co.', country: 'CN' },
      source: { kind: 'e-commerce platform data', reliability: SourceReliability.C, credibility: 3 },
      operationalNotes: 'Match parcel senders against the platform seller list before release.',
      distribution: { scope: DistributionScope.ALL_PARTNERS },
    },
  },
  {
    agency: 'GD',
    publish: true,
    input: {
      title: 'Fast export lane abused for branded bags and shoes, HZMB Zhuhai port',
      summary:
        'Vehicles using the fast export lane of the Hong Kong-Zhuhai-Macao Bridge port carried bags and shoes with ' +
        'recorded marks under a general declaration; the first IPR seizure at the bridge port.',
      riskLevel: RiskLevel.MEDIUM,
      channel: TransportChannel.LAND_BORDER,
      direction: TradeDirection.EXPORT,
      goods: [
        { category: GoodsCategory.BAGS, description: 'Handbags bearing a monogram mark', hsCode: '420221', quantity: 1200, unit: 'pcs' },
        { category: GoodsCategory.SHOES, description: 'Sports shoes', hsCode: '640411', quantity: 860, unit: 'pairs' },
      ],
      infringements: [InfringementType.TRADEMARK],
      modusOperandi: [ModusOperandi.FAST_TRACK_ABUSE, ModusOperandi.MISDECLARATION],
      rightsHolders: ['meridian', 'stride'],
      portOfLoading: 'CNZUH',
      portOfDischarge: 'HKHKG',
      originCountry: 'CN',
      destinationCountry: 'HK',
      conveyanceReference: 'Cross-boundary goods vehicle YUE-C 8K12X',
      consignee: { name: 'Harbour Link Logistics Ltd.', country: 'HK' },
      source: { kind: 'officer observation', reliability: SourceReliability.A, credibility: 2 },
      distribution: { scope: DistributionScope.SELECTED_AGENCIES, agencies: ['HK', 'MO'] },
    },
  },
  {
    agency: 'HK',
    publish: true,
    input: {
      title: 'Counterfeit watches in air cargo transhipment',
      summary: 'Air cargo declared as watch straps, found to contain complete watches bearing a recorded crown mark.',
      riskLevel: RiskLevel.HIGH,
      channel: TransportChannel.AIR_CARGO,
      direction: TradeDirection.TRANSIT,
      goods: [{ category: GoodsCategory.WATCHES_JEWELLERY, description: 'Wrist watches with crown logo', hsCode: '910211', quantity: 3400, unit: 'pcs' }],
      infringements: [InfringementType.TRADEMARK],
      modusOperandi: [ModusOperandi.MISDECLARATION],
      rightsHolders: ['chronos'],
      portOfLoading: 'HKHKG',
      portOfDischarge: 'MOMFM',
      originCountry: 'HK',
      destinationCountry: 'MO',
      billOfLading: '160-55218734',
      conveyanceReference: 'Flight NX 031',
      source: { kind: 'airline manifest analysis', reliability: SourceReliability.B, credibility: 3 },
      distribution: { scope: DistributionScope.ALL_PARTNERS },
    },
  },
  {
    agency: 'MO',
    publish: true,
    input: {
      title: 'Repeated small carries of branded cosmetics by passengers',
      summary: 'Passengers crossing several times a day each carry small quantities of cosmetics bearing recorded marks.',
      riskLevel: RiskLevel.LOW,
      channel: TransportChannel.PASSENGER,
      direction: TradeDirection.IMPORT,
      goods: [{ category: GoodsCategory.COSMETICS, description: 'Lipsticks and face creams', quantity: 640, unit: 'pcs' }],
      infringements: [InfringementType.TRADEMARK],
      modusOperandi: [ModusOperandi.ANT_MOVING],
      rightsHolders: [],
      portOfDischarge: 'MOMFM',
      originCountry: 'CN',
      destinationCountry: 'MO',
      distribution: { scope: DistributionScope.SELECTED_AGENCIES, agencies: ['GD'] },
    },
  },
  {
    agency: 'HK',
    publish: false,
    input: {
      title: 'Draft: suspected infringing toys in postal express',
      summary: 'Being assessed before publication.',
      riskLevel: RiskLevel.MEDIUM,
      channel: TransportChannel.POSTAL_EXPRESS,
      direction: TradeDirection.IMPORT,
      goods: [{ category: GoodsCategory.TOYS, description: 'Plush toys of a licensed character', quantity: 900, unit: 'pcs' }],
      infringements: [InfringementType.COPYRIGHT],
      rightsHolders: [],
    },
  },
];

/**
 * Loads the demo set into an empty database (no alerts and no rights holders yet); does
 * nothing otherwise, so a restart never loads it twice.
 * @param matchKeys keys every alert's identifiers, as the hub does on each change.
 * @returns a one-line summary of what was loaded, or null when nothing was.
 */
export async function loadDemoData(em: EntityManager, progress: (line: string) => void, matchKeys: MatchKeyring): Promise<string | null> {
  if ((await em.count(Alert, {})) > 0 || (await em.count(RightsHolder, {})) > 0) return null;
  // Demo alerts of agencies this deployment does not trust are left out.
  const present = new Set((await em.find(Agency, {})).map((a) => a.code));
  const alerts = DEMO_ALERTS.filter(
    (d) => present.has(d.agency) && (d.input.distribution?.agencies ?? []).every((c) => present.has(c)),
  );
  progress('loading demo data …');
  const ids = new Map<Key, string>();
  await em.transactional(async (tx) => {
    for (const rh of RIGHTS_HOLDERS) {
      const holder = tx.create(RightsHolder, { name: rh.name, createdAt: new Date() });
      for (const r of rh.recordations) tx.create(IprRecordation, { ...r, rightsHolder: holder });
      ids.set(rh.key, holder.id);
    }
    for (const [from, to, fieldClasses] of DEMO_AGREEMENTS) {
      if (!present.has(from) || !present.has(to)) continue;
      tx.create(SharingAgreement, {
        fromAgency: tx.getReference(Agency, from),
        toAgency: tx.getReference(Agency, to),
        fieldClasses: [...fieldClasses],
        updatedAt: new Date(),
        updatedBy: 'demo-loader',
      });
    }
  });
  let published = 0;
  for (const demo of alerts) {
    const service = new AlertService(
      em.fork(),
      { subject: 'demo-loader', agencyCode: demo.agency, roles: [Role.ANALYST], expiresAt: new Date(8.64e15) },
      { operationWindowDays: 30, matchKeys },
    );
    const { rightsHolders, ...input } = demo.input;
    const alert = await service.create({ ...input, rightsHolderIds: rightsHolders.map((k) => ids.get(k)!) } as CreateAlertInput);
    if (demo.publish) {
      await service.publish(alert.id, alert.version);
      published++;
    }
  }
  const generated = await generateAlerts(em.fork(), {
    alerts: DEMO_GENERATED_ALERTS,
    matchKeys,
    onProgress: (n, total) => {
      if (n === total || n % 1000 === 0) progress(`demo data: ${n} of ${total} generated alerts written`);
    },
  });
  // Written in bulk beside AlertService: correlated here, as publishing them would have.
  await correlateAll(preparedQuery(em.fork()));
  const rings = await loadDemoRings(em.fork(), ids, present, matchKeys);
  const operations = await loadDemoOperations(em.fork());
  return (
    `${RIGHTS_HOLDERS.length} field-fact rights holders, ${alerts.length} field-fact alerts (${published} published), ${generated} generated alerts over two years, ` +
    `${rings.parcels} parcels of ${DEMO_RINGS.length} split-shipment rings and ${rings.decoys} look-alikes over the last weeks, ${operations} joint operations`
  );
}
