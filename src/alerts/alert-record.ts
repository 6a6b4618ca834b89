import type {
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
import type { SqlFragment } from '../access/alert-access';
import { pgArray } from '../db/sql';
import type { Query } from '../events/event-log';

/**
 * An alert as the projection reads it (src/access/alert-projection.ts): its row, its
 * originating agency and its collections, as plain data. Read-only: changes go through the
 * Alert entity in a transaction; this is what every read (queries, the answers of mutations,
 * the events of subscriptions) shows.
 */
export interface AlertRecord {
  id: string;
  /** The register reference, `<agency>-<year>-<6 digits>`, gap-free: for the originator's eyes only. */
  reference: string;
  /** `<agency>-<12 random characters>`: what every other agency sees as the reference. */
  partnerReference: string;
  originAgency: AgencyRecord;
  status: AlertStatus;
  title: string;
  summary: string;
  riskLevel: RiskLevel;
  channel: TransportChannel;
  direction: TradeDirection;
  /** In the order the originator gave them. */
  goods: GoodsRecord[];
  infringements: InfringementType[];
  modusOperandi: ModusOperandi[];
  /** By name. */
  rightsHolders: RightsHolderRecord[];
  portOfLoading: string | null;
  portOfDischarge: string | null;
  originCountry: string | null;
  destinationCountry: string | null;
  expectedArrival: Date | null;
  distributionScope: DistributionScope;
  /** By code. */
  distributionAgencies: AgencyRecord[];
  distributionOperationId: string | null;
  containerNumbers: string[] | null;
  billOfLading: string | null;
  conveyanceReference: string | null;
  airWaybill: string | null;
  trackingNumbers: string[] | null;
  consignor: PartyRecord | null;
  consignee: PartyRecord | null;
  source: SourceRecord | null;
  operationalNotes: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface AgencyRecord {
  code: string;
  name: string;
  jurisdiction: string;
}

export interface GoodsRecord {
  category: GoodsCategory;
  description: string;
  hsCode: string | null;
  quantity: number;
  unit: string;
}

export interface RightsHolderRecord {
  id: string;
  name: string;
  /** By recordation number. */
  recordations: { type: InfringementType; recordationNumber: string; mark: string; validUntil: Date | null }[];
}

export interface PartyRecord {
  name: string;
  address: string | null;
  country: string | null;
  identifier: string | null;
  phone: string | null;
  email: string | null;
}

export interface SourceRecord {
  kind: string;
  reliability: SourceReliability;
  credibility: number;
  reference: string | null;
}

/** Loads the records of `ids`, in no particular order; unknown ids are absent. Checks no access. */
export type AlertRecordLoader = (ids: readonly string[]) => Promise<AlertRecord[]>;

/**
 * A timestamp as whole milliseconds since the epoch: the same instant whatever the session's
 * TimeZone (as text, a server set to Asia/Hong_Kong writes dates before 1904 with offsets such
 * as +07:36:42, which no Date parses).
 */
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * Which collections a read builds as JSON: what GraphQL selected (see selectedCollections in
 * alert.resolver.ts). A collection left out is read as empty, and must not be shown: only
 * reads whose selection is known ask for less than FULL_SELECTION.
 */
export interface AlertSelection {
  goods: boolean;
  rightsHolders: boolean;
  /** Within rightsHolders. */
  recordations: boolean;
  distributionAgencies: boolean;
  /**
   * The fields of the alert selected (names of AlertType's fields): only their columns are
   * read (see FIELD_COLUMNS); the others come back undefined. Undefined: every column.
   */
  fields?: ReadonlySet<string>;
}

export const FULL_SELECTION: Readonly<AlertSelection> = Object.freeze({ goods: true, rightsHolders: true, recordations: true, distributionAgencies: true });

/**
 * The columns each field of an alert reads beyond those every read takes (id, origin, status,
 * version, times, distribution scope: cheap, and what the rules and cursors use).
 */
const FIELD_COLUMNS: Record<string, string> = {
  title: 'a.title',
  summary: 'a.summary',
  riskLevel: 'a.risk_level',
  channel: 'a.channel',
  direction: 'a.direction',
  infringements: 'a.infringements',
  modusOperandi: 'a.modus_operandi',
  portOfLoading: 'a.port_of_loading',
  portOfDischarge: 'a.port_of_discharge',
  originCountry: 'a.origin_country',
  destinationCountry: 'a.destination_country',
  expectedArrival: `${ms('a.expected_arrival')} as expected_arrival`,
  containerNumbers: 'a.container_numbers',
  billOfLading: 'a.bill_of_lading',
  conveyanceReference: 'a.conveyance_reference',
  airWaybill: 'a.air_waybill',
  trackingNumbers: 'a.tracking_numbers',
  consignor: 'a.consignor_name, a.consignor_address, a.consignor_country, a.consignor_identifier, a.consignor_phone, a.consignor_email',
  consignee: 'a.consignee_name, a.consignee_address, a.consignee_country, a.consignee_identifier, a.consignee_phone, a.consignee_email',
  source: 'a.source_kind, a.source_reliability, a.source_credibility, a.source_reference',
  operationalNotes: 'a.operational_notes',
  originAgency: 'o.name as origin_name, o.jurisdiction as origin_jurisdiction',
};

const fieldColumns = (fields: ReadonlySet<string> | undefined) =>
  Object.entries(FIELD_COLUMNS)
    .filter(([field]) => !fields || fields.has(field))
    .map(([, sql]) => `, ${sql}`)
    .join('');

/**
 * The columns of one statement for any number of alerts: the row's selected columns with its
 * originating agency, and each selected collection as a JSON array built by PostgreSQL. The entity path (four
 * statements and the ORM's hydration per page) cost the hub's one thread more than everything
 * else in a read. `granted`, when given, puts the viewer's classes in the same statement as
 * the visibility in its `where`, so that what is read and whether it may be read are one
 * moment's answer. The text depends on the selection alone: values are bound parameters.
 */
const columns = (granted: string, sel: AlertSelection, extra = '') => `
select ${granted} as granted, a.id, a.reference, o.code || '-' || a.partner_token as partner_reference, a.status,
       a.distribution_scope, a.distribution_operation_id, a.version, ${ms('a.created_at')} as created_at, ${ms('a.updated_at')} as updated_at,
       ${ms('a.published_at')} as published_at, o.code as origin_code${fieldColumns(sel.fields)}${
         sel.goods
           ? `,
       coalesce((select json_agg(json_build_object('category', g.category, 'description', g.description,
                                                   'hsCode', g.hs_code, 'quantity', g.quantity, 'unit', g.unit)
                                 order by g.position)
                   from alert_goods_line g where g.alert_id = a.id), '[]'::json) as goods`
           : ''
       }${
         sel.rightsHolders
           ? `,
       coalesce((select json_agg(json_build_object('id', rh.id, 'name', rh.name${
         sel.recordations
           ? `, 'recordations',
                   coalesce((select json_agg(json_build_object('type', r.type, 'recordationNumber', r.recordation_number,
                                                               'mark', r.mark, 'validUntil', ${ms('r.valid_until')})
                                             order by r.recordation_number)
                               from ipr_recordation r where r.rights_holder_id = rh.id), '[]'::json)`
           : ''
       })
                                 order by rh.name, rh.id)
                   from alert_rights_holder p join rights_holder rh on rh.id = p.rights_holder_id
                  where p.alert_id = a.id), '[]'::json) as rights_holders`
           : ''
       }${
         sel.distributionAgencies
           ? `,
       coalesce((select json_agg(json_build_object('code', ag.code, 'name', ag.name, 'jurisdiction', ag.jurisdiction)
                                 order by ag.code)
                   from alert_distribution_agency d join agency ag on ag.code = d.agency_code
                  where d.alert_id = a.id), '[]'::json) as distribution_agencies`
           : ''
       }${extra}
  from alert a join agency o on o.code = a.origin_agency_code`;

const select = (granted: string, where: string, sel: AlertSelection) => `${columns(granted, sel)}
 where a.id = any(?::uuid[]) and ${where}`;

export async function loadAlertRecords(query: Query, ids: readonly string[]): Promise<AlertRecord[]> {
  if (ids.length === 0) return [];
  const rows = await query(select('null', 'true', FULL_SELECTION), [pgArray([...ids])]);
  return rows.map(toRecord);
}

/**
 * The records of those of `ids` that match `where` (a condition on the alert row `a`: the
 * viewer's visibility, a filter), each with the viewer's classes on it (`granted`, raw as the
 * SQL gives it), read in one statement.
 */
export async function loadVisibleAlertRecords(
  query: Query,
  ids: readonly string[],
  where: SqlFragment,
  granted: SqlFragment,
  sel: AlertSelection = FULL_SELECTION,
): Promise<{ record: AlertRecord; granted: unknown }[]> {
  if (ids.length === 0) return [];
  const rows = await query(select(granted.sql, where.sql, sel), [...granted.params, pgArray([...ids]), ...where.params]);
  return rows.map((r) => ({ record: toRecord(r), granted: r.granted }));
}

/**
 * One page in keyset order, in one statement: the rows matching `where` (visibility, filter,
 * the cursor's position), ordered by `orderBy` then id, at most `limit`, each with its record,
 * the viewer's classes and its sort key as text (`k`, for the cursor). PostgreSQL computes the
 * JSON and the classes only for the rows the limit keeps.
 */
export async function loadVisibleAlertPage(
  query: Query,
  where: SqlFragment,
  granted: SqlFragment,
  order: { key: string; desc: boolean },
  limit: number,
  sel: AlertSelection = FULL_SELECTION,
): Promise<{ record: AlertRecord; granted: unknown; key: string }[]> {
  const dir = order.desc ? 'desc' : 'asc';
  // The limit is part of the text, not a parameter: a plan made once for every limit cannot
  // know it walks the order for a page, and reads a tenth of the table instead (60 ms for a
  // page of 10 at 100,000 alerts, against 0.4 ms). It is a checked integer (at most 101 texts).
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`loadVisibleAlertPage: limit ${limit} is not a count`);
  const sql = `${columns(granted.sql, sel, `, (${order.key})::text as k`)}
 where ${where.sql}
 order by ${order.key} ${dir}, a.id ${dir} limit ${limit}`;
  // The select list's parameters come first (the classes'; the key has none), then the condition's.
  const rows = await query(sql, [...granted.params, ...where.params]);
  return rows.map((r) => ({ record: toRecord(r), granted: r.granted, key: r.k as string }));
}

type Json<T> = { [K in keyof T]: T[K] extends Date | null ? number | null : T[K] };

/** A collection that was not selected (or is empty): one shared, frozen array. */
const NONE: readonly never[] = Object.freeze([]);

const text = (v: unknown) => (v ?? null) as string | null;

/** An embedded value with every column null is absent, as the entity reads it. */
function partyOf(name: unknown, address: unknown, country: unknown, identifier: unknown, phone: unknown, email: unknown): PartyRecord | null {
  if (name == null && address == null && country == null && identifier == null && phone == null && email == null) return null;
  return { name: name as string, address: text(address), country: text(country), identifier: text(identifier), phone: text(phone), email: text(email) };
}

/**
 * A row of `columns` as a record. Called for every alert of every page: it makes the record and
 * nothing else (no closure or column name per row).
 */
function toRecord(r: Record<string, unknown>): AlertRecord {
  const holders = r.rights_holders as Json<RightsHolderRecord & { recordations: Json<RightsHolderRecord['recordations'][number]>[] }>[] | null | undefined;
  return {
    id: r.id as string,
    reference: r.reference as string,
    partnerReference: r.partner_reference as string,
    originAgency: { code: r.origin_code as string, name: r.origin_name as string, jurisdiction: r.origin_jurisdiction as string },
    status: r.status as AlertStatus,
    title: r.title as string,
    summary: r.summary as string,
    riskLevel: r.risk_level as RiskLevel,
    channel: r.channel as TransportChannel,
    direction: r.direction as TradeDirection,
    goods: (r.goods ?? NONE) as GoodsRecord[],
    infringements: r.infringements as InfringementType[],
    modusOperandi: r.modus_operandi as ModusOperandi[],
    rightsHolders: holders?.length
      ? holders.map((h) => ({
          id: h.id,
          name: h.name,
          recordations: (h.recordations ?? NONE).map((rec) => ({ ...rec, validUntil: rec.validUntil == null ? null : toDate(rec.validUntil) })),
        }))
      : (NONE as unknown as RightsHolderRecord[]),
    portOfLoading: text(r.port_of_loading),
    portOfDischarge: text(r.port_of_discharge),
    originCountry: text(r.origin_country),
    destinationCountry: text(r.destination_country),
    expectedArrival: r.expected_arrival == null ? null : toDate(r.expected_arrival),
    distributionScope: r.distribution_scope as DistributionScope,
    distributionAgencies: (r.distribution_agencies ?? NONE) as AgencyRecord[],
    distributionOperationId: text(r.distribution_operation_id),
    containerNumbers: (r.container_numbers ?? null) as string[] | null,
    billOfLading: text(r.bill_of_lading),
    conveyanceReference: text(r.conveyance_reference),
    airWaybill: text(r.air_waybill),
    trackingNumbers: (r.tracking_numbers ?? null) as string[] | null,
    consignor: partyOf(r.consignor_name, r.consignor_address, r.consignor_country, r.consignor_identifier, r.consignor_phone, r.consignor_email),
    consignee: partyOf(r.consignee_name, r.consignee_address, r.consignee_country, r.consignee_identifier, r.consignee_phone, r.consignee_email),
    source:
      r.source_kind == null && r.source_reliability == null && r.source_credibility == null && r.source_reference == null
        ? null
        : {
            kind: r.source_kind as string,
            reliability: r.source_reliability as SourceReliability,
            credibility: Number(r.source_credibility),
            reference: text(r.source_reference),
          },
    operationalNotes: text(r.operational_notes),
    version: Number(r.version),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    publishedAt: r.published_at == null ? null : toDate(r.published_at),
  };
}

/** A timestamp as milliseconds since the epoch (see `ms`). */
function toDate(v: unknown): Date {
  return new Date(Number(v));
}
