import type { EntityManager } from '@mikro-orm/postgresql';
import { GoodsCategory, InfringementType, OperationStatus, TransportChannel } from '../common/enums';
import { uuidv7 } from '../common/ids';

/*
 * Joint operations from the field facts: the three joint enforcement actions of the last year,
 * whose reported seizures add up to 153,000 suspected infringing goods, and the special action
 * "Dragon Action 2020" (from 15 February 2020; 1.38 million infringing goods detained in
 * Guangdong by late April). Code names, dates within the year and the split between agencies,
 * categories and channels are invented; the totals are the reported ones.
 */

type SeizureRow = [GoodsCategory, InfringementType, TransportChannel, number, string];

interface DemoOperation {
  codeName: string;
  objective: string;
  lead: string;
  participants: string[];
  startsOn: string;
  endsOn: string;
  channels: TransportChannel[];
  categories: GoodsCategory[];
  ports: string[];
  /** `reportedOn` (a UTC+8 date): when it was reported; by default the day before the operation closed. */
  results: { agency: string; cases: number; seizures: SeizureRow[]; notes: string; reportedOn?: string }[];
}

const { BAGS, SHOES, CLOTHING, ELECTRONICS, INTEGRATED_CIRCUITS, AUDIO_EQUIPMENT, COSMETICS, TOYS, WATCHES_JEWELLERY } = GoodsCategory;
const { TRADEMARK, PATENT, COPYRIGHT } = InfringementType;
const { SEA_CONTAINER, CROSS_BORDER_ECOMMERCE, LAND_BORDER, POSTAL_EXPRESS, AIR_CARGO, PASSENGER } = TransportChannel;

const OPERATIONS: DemoOperation[] = [
  {
    codeName: 'GBA Joint Action 2026-1: Pearl Gate',
    objective: 'Key commodities in the sea and land channels: bags, shoes and clothing bound for export.',
    lead: 'GD',
    participants: ['GD', 'HK', 'MO'],
    startsOn: '2026-01-10',
    endsOn: '2026-03-31',
    channels: [SEA_CONTAINER, LAND_BORDER],
    categories: [BAGS, SHOES, CLOTHING],
    ports: ['CNSHK', 'CNYTN', 'HKHKG'],
    results: [
      { agency: 'GD', cases: 14, notes: 'Shekou and Yantian container checks.', seizures: [[BAGS, TRADEMARK, SEA_CONTAINER, 21_400, 'CNSHK'], [SHOES, TRADEMARK, SEA_CONTAINER, 12_600, 'CNYTN']] },
      { agency: 'HK', cases: 9, notes: 'Kwai Chung terminal inspections.', seizures: [[CLOTHING, TRADEMARK, SEA_CONTAINER, 15_800, 'HKHKG'], [BAGS, TRADEMARK, LAND_BORDER, 4_200, 'HKHKG']] },
      { agency: 'MO', cases: 3, notes: 'Border gate checks.', seizures: [[SHOES, TRADEMARK, LAND_BORDER, 7_200, 'MOMFM']] },
    ],
  },
  {
    codeName: 'GBA Joint Action 2026-2: Silicon Net',
    objective: 'Integrated circuits and electronics in cross-border e-commerce and postal channels: the source of supply and the transit routes.',
    lead: 'HK',
    participants: ['GD', 'HK', 'MO'],
    startsOn: '2026-04-15',
    endsOn: '2026-06-30',
    channels: [CROSS_BORDER_ECOMMERCE, POSTAL_EXPRESS, AIR_CARGO],
    categories: [INTEGRATED_CIRCUITS, ELECTRONICS, AUDIO_EQUIPMENT],
    ports: ['CNHUA', 'HKHKG'],
    results: [
      { agency: 'GD', cases: 11, notes: 'Huangpu e-commerce supervision centre.', seizures: [[INTEGRATED_CIRCUITS, TRADEMARK, CROSS_BORDER_ECOMMERCE, 24_300, 'CNHUA'], [ELECTRONICS, PATENT, POSTAL_EXPRESS, 6_100, 'CNCAN']] },
      { agency: 'HK', cases: 8, notes: 'Airport express centre.', seizures: [[AUDIO_EQUIPMENT, TRADEMARK, AIR_CARGO, 9_700, 'HKHKG'], [ELECTRONICS, TRADEMARK, POSTAL_EXPRESS, 5_200, 'HKHKG']] },
      { agency: 'MO', cases: 2, notes: 'Postal checks.', seizures: [[ELECTRONICS, TRADEMARK, POSTAL_EXPRESS, 2_000, 'MOMFM']] },
    ],
  },
  {
    codeName: 'GBA Joint Action 2026-3: Bridge Watch',
    objective: 'Passenger and fast-lane traffic over the Hong Kong-Zhuhai-Macao Bridge: ant moving and fast-track abuse.',
    lead: 'MO',
    participants: ['GD', 'HK', 'MO'],
    startsOn: '2026-07-15',
    endsOn: '2026-09-30',
    channels: [LAND_BORDER, PASSENGER],
    categories: [COSMETICS, WATCHES_JEWELLERY, TOYS],
    ports: ['CNZUH', 'MOMFM', 'HKHKG'],
    results: [
      { agency: 'GD', cases: 12, notes: 'Gongbei and HZMB Zhuhai port.', seizures: [[COSMETICS, TRADEMARK, LAND_BORDER, 17_500, 'CNZUH'], [TOYS, COPYRIGHT, PASSENGER, 6_000, 'CNZUH']] },
      { agency: 'HK', cases: 6, notes: 'HZMB Hong Kong port.', seizures: [[WATCHES_JEWELLERY, TRADEMARK, PASSENGER, 5_800, 'HKHKG']] },
      { agency: 'MO', cases: 5, notes: 'HZMB Macao port.', seizures: [[COSMETICS, TRADEMARK, PASSENGER, 9_200, 'MOMFM'], [TOYS, COPYRIGHT, LAND_BORDER, 6_000, 'MOMFM']] },
    ],
  },
  {
    codeName: 'Dragon Action 2020',
    objective: 'National special action on IPR infringement: Guangdong customs, every channel.',
    lead: 'GD',
    participants: ['GD'],
    startsOn: '2020-02-15',
    endsOn: '2020-11-30',
    channels: [SEA_CONTAINER, CROSS_BORDER_ECOMMERCE, POSTAL_EXPRESS, LAND_BORDER],
    categories: [BAGS, SHOES, CLOTHING, ELECTRONICS],
    ports: ['CNSHK', 'CNHUA', 'CNZUH'],
    // 1.38 million pieces detained in Guangdong by late April 2020, reported month by month.
    results: [
      { agency: 'GD', cases: 24, notes: '15 to 29 February 2020.', reportedOn: '2020-02-29', seizures: [[BAGS, TRADEMARK, SEA_CONTAINER, 160_000, 'CNSHK'], [SHOES, TRADEMARK, SEA_CONTAINER, 90_000, 'CNYTN']] },
      { agency: 'GD', cases: 31, notes: 'March 2020.', reportedOn: '2020-03-31', seizures: [[BAGS, TRADEMARK, SEA_CONTAINER, 150_000, 'CNSHK'], [SHOES, TRADEMARK, SEA_CONTAINER, 150_000, 'CNYTN'], [CLOTHING, TRADEMARK, POSTAL_EXPRESS, 140_000, 'CNCAN'], [ELECTRONICS, PATENT, CROSS_BORDER_ECOMMERCE, 110_000, 'CNHUA']] },
      { agency: 'GD', cases: 31, notes: '1 to 28 April 2020.', reportedOn: '2020-04-28', seizures: [[BAGS, TRADEMARK, SEA_CONTAINER, 100_000, 'CNSHK'], [SHOES, TRADEMARK, SEA_CONTAINER, 120_000, 'CNYTN'], [CLOTHING, TRADEMARK, POSTAL_EXPRESS, 150_000, 'CNCAN'], [ELECTRONICS, PATENT, CROSS_BORDER_ECOMMERCE, 210_000, 'CNHUA']] },
    ],
  },
];

/** Loads the demo operations; agencies missing from this deployment are left out of them. */
export async function loadDemoOperations(em: EntityManager): Promise<number> {
  const knex = em.getKnex();
  const agencies = new Set((await knex('agency').select('code')).map((a: { code: string }) => a.code));
  const holders: string[] = (await knex('rights_holder').select('id').orderBy('name').limit(40)).map((r: { id: string }) => r.id);
  let loaded = 0;
  await knex.transaction(async (trx) => {
    for (const op of OPERATIONS) {
      if (!agencies.has(op.lead)) continue;
      const id = uuidv7(Date.parse(op.startsOn));
      const closed = new Date(`${op.endsOn}T16:00:00Z`);
      await trx('joint_operation').insert({
        id,
        code_name: op.codeName,
        objective: op.objective,
        lead_agency_code: op.lead,
        status: OperationStatus.CONCLUDED,
        starts_on: new Date(`${op.startsOn}T00:00:00+08:00`),
        ends_on: new Date(`${op.endsOn}T23:59:59+08:00`),
        closed_at: closed,
        target_channels: `{${op.channels.join(',')}}`,
        target_categories: `{${op.categories.join(',')}}`,
        target_ports: `{${op.ports.join(',')}}`,
        created_by: `${op.lead.toLowerCase()}.coordinator@demo`,
        version: 3,
        created_at: new Date(`${op.startsOn}T00:00:00+08:00`),
        updated_at: closed,
      });
      await trx('joint_operation_participant').insert(op.participants.filter((p) => agencies.has(p)).map((p) => ({ operation_id: id, agency_code: p })));
      for (const [i, r] of op.results.entries()) {
        if (!agencies.has(r.agency)) continue;
        const reportedAt = r.reportedOn ? new Date(`${r.reportedOn}T18:00:00+08:00`) : new Date(closed.getTime() - 86_400_000 + i * 60_000);
        const resultId = uuidv7(reportedAt.getTime());
        await trx('operation_result').insert({
          id: resultId,
          operation_id: id,
          reporting_agency_code: r.agency,
          reported_by: `${r.agency.toLowerCase()}.coordinator@demo`,
          reported_at: reportedAt,
          cases_opened: r.cases,
          notes: r.notes,
        });
        for (const [position, [category, infringement, channel, pieces, place]] of r.seizures.entries()) {
          const seizureId = uuidv7();
          await trx('seizure').insert({ id: seizureId, result_id: resultId, position, category, infringement, channel, pieces, place });
          const named = holders.length ? [holders[(loaded * 7 + i * 3 + position) % holders.length], holders[(loaded * 5 + position * 11 + 1) % holders.length]] : [];
          if (named.length) await trx('seizure_rights_holder').insert([...new Set(named)].map((h) => ({ seizure_id: seizureId, rights_holder_id: h })));
        }
      }
      loaded++;
    }
  });
  return loaded;
}
