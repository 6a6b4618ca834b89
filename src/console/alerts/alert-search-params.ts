import type { AlertFilter, AlertOrder, AlertOrderField, AlertStatus, GoodsCategory, OrderDirection, RiskLevel, TransportChannel } from '../gql/graphql';

/** The hub's enums, in the order the console offers them (schema/schema.graphql). */
export const ALERT_STATUSES: AlertStatus[] = ['DRAFT', 'PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED', 'WITHDRAWN'];
export const RISK_LEVELS: RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const CHANNELS: TransportChannel[] = ['SEA_CONTAINER', 'AIR_CARGO', 'LAND_BORDER', 'POSTAL_EXPRESS', 'CROSS_BORDER_ECOMMERCE', 'PASSENGER'];
export const GOODS_CATEGORIES: GoodsCategory[] = [
  'AUDIO_EQUIPMENT', 'BAGS', 'CLOTHING', 'COSMETICS', 'ELECTRONICS', 'INTEGRATED_CIRCUITS', 'PHARMACEUTICALS', 'SHOES', 'TOBACCO', 'TOYS', 'WATCHES_JEWELLERY', 'OTHER',
];
export const ORDER_FIELDS: AlertOrderField[] = ['PUBLISHED_AT', 'UPDATED_AT', 'RISK_LEVEL'];
export const PAGE_SIZES = [5, 10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Everything a search is, as the URL carries it: a copied link reproduces the search (and the
 * page it was on). Dates are calendar dates in UTC+8 (YYYY-MM-DD); `after` is the hub's cursor.
 */
export interface AlertSearch {
  text: string;
  status: AlertStatus[];
  riskLevelAtLeast?: RiskLevel;
  channel: TransportChannel[];
  goodsCategory: GoodsCategory[];
  originAgency: string[];
  port: string;
  containerNumber: string;
  reference: string;
  operationId: string;
  publishedFrom: string;
  publishedTo: string;
  orderField: AlertOrderField;
  orderDirection: OrderDirection;
  first: number;
  after: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return allowed.find((a) => a === value);
}
function manyOf<T extends string>(allowed: readonly T[], values: string[]): T[] {
  return allowed.filter((a) => values.includes(a));
}

/** Reads a search from the URL; anything it does not know is dropped (a hand-edited link still opens). */
export function readSearch(params: URLSearchParams): AlertSearch {
  const list = (key: string) => params.getAll(key).flatMap((v) => v.split(',')).filter(Boolean);
  const str = (key: string) => (params.get(key) ?? '').trim();
  const date = (key: string) => (DATE.test(str(key)) ? str(key) : '');
  const size = Number(params.get('first'));
  return {
    text: str('q'),
    status: manyOf(ALERT_STATUSES, list('status')),
    riskLevelAtLeast: oneOf(RISK_LEVELS, params.get('risk')),
    channel: manyOf(CHANNELS, list('channel')),
    goodsCategory: manyOf(GOODS_CATEGORIES, list('goods')),
    originAgency: list('agency').map((a) => a.toUpperCase()),
    port: str('port'),
    containerNumber: str('container'),
    reference: str('ref'),
    operationId: str('operation'),
    publishedFrom: date('from'),
    publishedTo: date('to'),
    orderField: oneOf(ORDER_FIELDS, params.get('sort')) ?? 'PUBLISHED_AT',
    orderDirection: params.get('dir') === 'ASC' ? 'ASC' : 'DESC',
    first: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    after: str('after'),
  };
}

/** The URL query of a search: only what differs from the defaults. */
export function writeSearch(s: AlertSearch): URLSearchParams {
  const p = new URLSearchParams();
  const set = (key: string, value: string | undefined) => {
    if (value) p.set(key, value);
  };
  set('q', s.text.trim());
  set('status', s.status.join(','));
  set('risk', s.riskLevelAtLeast);
  set('channel', s.channel.join(','));
  set('goods', s.goodsCategory.join(','));
  set('agency', s.originAgency.join(','));
  set('port', s.port.trim());
  set('container', s.containerNumber.trim());
  set('ref', s.reference.trim());
  set('operation', s.operationId.trim());
  set('from', s.publishedFrom);
  set('to', s.publishedTo);
  if (s.orderField !== 'PUBLISHED_AT') set('sort', s.orderField);
  if (s.orderDirection !== 'DESC') set('dir', s.orderDirection);
  if (s.first !== DEFAULT_PAGE_SIZE) set('first', String(s.first));
  set('after', s.after);
  return p;
}

/** The start of a UTC+8 calendar date as an instant. */
function startOfDay(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}
/** The start of the UTC+8 day after `date`: "published up to and including that day". */
function startOfNextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + 24 * 3600_000).toISOString();
}

/** The hub's AlertFilter for a search; fields left empty are not sent. */
export function toFilter(s: AlertSearch): AlertFilter {
  const f: AlertFilter = {};
  if (s.text.trim()) f.text = s.text.trim();
  if (s.status.length) f.status = s.status;
  if (s.riskLevelAtLeast) f.riskLevelAtLeast = s.riskLevelAtLeast;
  if (s.channel.length) f.channel = s.channel;
  if (s.goodsCategory.length) f.goodsCategory = s.goodsCategory;
  if (s.originAgency.length) f.originAgency = s.originAgency;
  if (s.port.trim()) f.port = s.port.trim().toUpperCase();
  if (s.containerNumber.trim()) f.containerNumber = s.containerNumber.trim().toUpperCase();
  if (s.reference.trim()) f.reference = s.reference.trim();
  if (s.operationId.trim()) f.operationId = s.operationId.trim();
  if (s.publishedFrom) f.publishedAfter = startOfDay(s.publishedFrom);
  if (s.publishedTo) f.publishedBefore = startOfNextDay(s.publishedTo);
  return f;
}

export function toOrder(s: AlertSearch): AlertOrder {
  return { field: s.orderField, direction: s.orderDirection };
}
