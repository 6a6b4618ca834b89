import { containerNumberProblem, isIsoCountry, normalizeHsCode, normalizeLocode } from '../../common/codes';
import { ALERT_LIMITS, MAX_GOODS_QUANTITY } from '../../common/alert-limits';
import { WITHDRAWABLE, nextStatuses, type LifecycleStatus } from '../../alerts/alert-lifecycle';
import { isDateTimeInRange } from '../../common/date-range';
import { TAKES_ALERTS, takesAlerts } from '../../common/operation-rules';

/*
 * The compose form's rules, as pure functions (no React, no antd): the hub's own checks
 * (src/common/codes.ts, src/common/alert-limits.ts, src/common/date-range.ts, src/common/operation-rules.ts,
 * src/alerts/alert-lifecycle.ts) imported as they
 * are, so the form refuses what the hub refuses, while the person types. test/unit/compose-rules.test.ts
 * runs a table of values through these rules and through the hub's checkCreateInput.
 */

/** Why a value is refused: a locale key (under pages.compose.rules) and its parameters. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

const blank = (v: string | null | undefined): boolean => v == null || v.trim() === '';

/** ISO 6346 container number: the shape, or the check digit it should have. */
export function containerRule(raw: string): Problem | null {
  const p = containerNumberProblem(raw);
  if (!p) return null;
  return p.kind === 'checkDigit'
    ? { key: 'pages.compose.rules.containerCheckDigit', params: { number: raw.trim(), expected: p.expected } }
    : { key: 'pages.compose.rules.containerShape', params: { number: raw.trim() } };
}

/** UN/LOCODE, optional: empty passes. */
export function locodeRule(raw: string | null | undefined): Problem | null {
  if (blank(raw)) return null;
  return normalizeLocode(raw!) ? null : { key: 'pages.compose.rules.locode' };
}

/** HS code, optional: empty passes. */
export function hsCodeRule(raw: string | null | undefined): Problem | null {
  if (blank(raw)) return null;
  return normalizeHsCode(raw!) ? null : { key: 'pages.compose.rules.hsCode' };
}

/** ISO 3166-1 alpha-2, optional: empty passes; case and spaces around it do not matter (as on the hub). */
export function countryRule(raw: string | null | undefined): Problem | null {
  if (blank(raw)) return null;
  return isIsoCountry(raw!.trim().toUpperCase()) ? null : { key: 'pages.compose.rules.country' };
}

/** A text field: required or not, at most `max` characters once trimmed (as the hub counts). */
export function textRule(raw: string | null | undefined, max: number, required: boolean): Problem | null {
  if (blank(raw)) return required ? { key: 'pages.compose.rules.required' } : null;
  return raw!.trim().length > max ? { key: 'pages.compose.rules.tooLong', params: { max } } : null;
}

/** A goods line's quantity: a whole number above zero. */
export function quantityRule(raw: number | string | null | undefined): Problem | null {
  if (raw == null || raw === '') return { key: 'pages.compose.rules.required' };
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n <= MAX_GOODS_QUANTITY ? null : { key: 'pages.compose.rules.quantity' };
}

export const LIMITS = ALERT_LIMITS;

/** Rights holders named on an alert: at most LIMITS.rightsHolders. */
export function rightsHoldersRule(picked: readonly unknown[] | null | undefined): Problem | null {
  return (picked?.length ?? 0) > LIMITS.rightsHolders ? { key: 'pages.compose.rules.tooMany', params: { max: LIMITS.rightsHolders } } : null;
}

/** A date and time, optional: an ISO instant within the years the hub's DateTime takes (1 to 9999). */
export function dateTimeRule(iso: string | null | undefined): Problem | null {
  if (blank(iso)) return null;
  return isDateTimeInRange(new Date(iso!).getTime()) ? null : { key: 'pages.compose.rules.dateTime' };
}

/** The joint operations an OPERATION distribution may name: those whose state takes new alerts (the hub's rule). */
export const OPERATION_STATES_TAKING_ALERTS = TAKES_ALERTS;

/**
 * The operation of an OPERATION distribution: required; one whose state takes new alerts, or the
 * one the alert is shared with already (the hub keeps that one named once it has closed).
 */
export function operationRule(picked: { id: string; status: string } | null | undefined, sharedWith: string | null | undefined): Problem | null {
  if (!picked) return { key: 'pages.compose.rules.required' };
  return takesAlerts(picked.status) || picked.id === sharedWith ? null : { key: 'pages.compose.rules.operationClosed' };
}

/** The statuses setAlertStatus may move an alert to from `status` (the hub's lifecycle). */
export function statusMoves(status: string): readonly string[] {
  return status in STATUS_SET ? nextStatuses(status as LifecycleStatus).filter((s) => s !== 'PUBLISHED') : [];
}

/** True when withdrawAlert accepts an alert in `status`. */
export function canWithdraw(status: string): boolean {
  return (WITHDRAWABLE as readonly string[]).includes(status);
}

const STATUS_SET: Record<LifecycleStatus, true> = {
  DRAFT: true,
  PUBLISHED: true,
  UNDER_INSPECTION: true,
  SEIZED: true,
  CLEARED: true,
  CLOSED: true,
  WITHDRAWN: true,
};

// ---------------------------------------------------------------------------------------------
// The form's values, and what the hub takes and returns.

export interface GoodsLineValues {
  category?: string;
  description?: string;
  hsCode?: string | null;
  quantity?: number | null;
  unit?: string;
}

export interface PartyValues {
  name?: string | null;
  address?: string | null;
  country?: string | null;
  identifier?: string | null;
  /** Not on the form yet: kept as the hub gave them, so that saving the party keeps them. */
  phone?: string | null;
  email?: string | null;
}

export interface SourceValues {
  kind?: string | null;
  reliability?: string | null;
  credibility?: number | null;
  reference?: string | null;
}

/** A choice from a list the hub gave, with the name shown for it (antd's labelInValue). */
export interface Picked {
  value: string;
  label: string;
}

/** Everything the compose form holds. */
export interface ComposeValues {
  title?: string;
  summary?: string;
  riskLevel?: string;
  channel?: string;
  direction?: string;
  goods?: GoodsLineValues[];
  infringements?: string[];
  modusOperandi?: string[];
  /** The rights holders concerned, with their names. */
  rightsHolderIds?: Picked[];
  portOfLoading?: string | null;
  portOfDischarge?: string | null;
  originCountry?: string | null;
  destinationCountry?: string | null;
  /** An ISO instant (the picker shows it in UTC+8). */
  expectedArrival?: string | null;
  containerNumbers?: string[];
  billOfLading?: string | null;
  conveyanceReference?: string | null;
  consignor?: PartyValues | null;
  consignee?: PartyValues | null;
  source?: SourceValues | null;
  operationalNotes?: string | null;
  distribution?: { scope?: string; agencies?: string[]; operationId?: Picked | null };
}

/** An alert as the hub returns it (the fields the form shows). */
export interface AlertFields {
  title: string;
  summary: string;
  riskLevel: string;
  channel: string;
  direction: string;
  goods: { category: string; description: string; hsCode?: string | null; quantity: number; unit: string }[];
  infringements: string[];
  modusOperandi: string[];
  rightsHolders: { id: string; name: string }[];
  portOfLoading?: string | null;
  portOfDischarge?: string | null;
  originCountry?: string | null;
  destinationCountry?: string | null;
  expectedArrival?: string | null;
  containerNumbers?: string[] | null;
  billOfLading?: string | null;
  conveyanceReference?: string | null;
  consignor?: { name: string; address?: string | null; country?: string | null; identifier?: string | null; phone?: string | null; email?: string | null } | null;
  consignee?: { name: string; address?: string | null; country?: string | null; identifier?: string | null; phone?: string | null; email?: string | null } | null;
  source?: { kind: string; reliability: string; credibility: number; reference?: string | null } | null;
  operationalNotes?: string | null;
  /** `operation` is null when the viewer's agency no longer takes part in it. */
  distribution: { scope: string; agencies: { code: string }[]; operation?: { id: string; codeName: string } | null };
}

/** A new alert's starting values. */
export const EMPTY_VALUES: ComposeValues = {
  riskLevel: 'MEDIUM',
  goods: [{ quantity: 1, unit: 'pcs' }],
  infringements: [],
  modusOperandi: [],
  rightsHolderIds: [],
  expectedArrival: null,
  containerNumbers: [],
  distribution: { scope: 'ORIGINATOR_ONLY', agencies: [], operationId: null },
};

/** The form's values for an alert the hub returned. */
export function valuesFromAlert(a: AlertFields): ComposeValues {
  const party = (p: AlertFields['consignor']): PartyValues | null =>
    p
      ? { name: p.name, address: p.address ?? null, country: p.country ?? null, identifier: p.identifier ?? null, phone: p.phone ?? null, email: p.email ?? null }
      : { name: null, address: null, country: null, identifier: null, phone: null, email: null };
  return {
    title: a.title,
    summary: a.summary,
    riskLevel: a.riskLevel,
    channel: a.channel,
    direction: a.direction,
    goods: a.goods.map((g) => ({ category: g.category, description: g.description, hsCode: g.hsCode ?? null, quantity: g.quantity, unit: g.unit })),
    infringements: [...a.infringements],
    modusOperandi: [...a.modusOperandi],
    rightsHolderIds: (a.rightsHolders ?? []).map((h) => ({ value: h.id, label: h.name })),
    portOfLoading: a.portOfLoading ?? null,
    portOfDischarge: a.portOfDischarge ?? null,
    originCountry: a.originCountry ?? null,
    destinationCountry: a.destinationCountry ?? null,
    expectedArrival: a.expectedArrival ? new Date(a.expectedArrival).toISOString() : null,
    containerNumbers: [...(a.containerNumbers ?? [])],
    billOfLading: a.billOfLading ?? null,
    conveyanceReference: a.conveyanceReference ?? null,
    consignor: party(a.consignor),
    consignee: party(a.consignee),
    source: a.source
      ? { kind: a.source.kind, reliability: a.source.reliability, credibility: a.source.credibility, reference: a.source.reference ?? null }
      : { kind: null, reliability: null, credibility: null, reference: null },
    operationalNotes: a.operationalNotes ?? null,
    distribution: {
      scope: a.distribution.scope,
      agencies: a.distribution.agencies.map((x) => x.code).sort(),
      operationId: a.distribution.operation ? { value: a.distribution.operation.id, label: a.distribution.operation.codeName } : null,
    },
  };
}

const orNull = (v: string | null | undefined): string | null => (blank(v) ? null : v!.trim());

function partyInput(p: PartyValues | null | undefined) {
  if (!p || blank(p.name)) return null;
  return {
    name: p.name!.trim(),
    address: orNull(p.address),
    country: orNull(p.country)?.toUpperCase() ?? null,
    identifier: orNull(p.identifier),
    phone: orNull(p.phone),
    email: orNull(p.email),
  };
}

function sourceInput(s: SourceValues | null | undefined) {
  if (!s || blank(s.kind)) return null;
  return { kind: s.kind!.trim(), reliability: s.reliability ?? 'F', credibility: Number(s.credibility ?? 6), reference: orNull(s.reference) };
}

/** The fields both CreateAlertInput and UpdateAlertInput take (channel and direction are set once, at creation). */
function sharedInput(v: ComposeValues) {
  return {
    title: (v.title ?? '').trim(),
    summary: (v.summary ?? '').trim(),
    riskLevel: v.riskLevel!,
    goods: (v.goods ?? []).map((g) => ({
      category: g.category!,
      description: (g.description ?? '').trim(),
      hsCode: orNull(g.hsCode),
      quantity: Number(g.quantity),
      unit: (g.unit ?? '').trim(),
    })),
    infringements: v.infringements ?? [],
    modusOperandi: v.modusOperandi ?? [],
    rightsHolderIds: (v.rightsHolderIds ?? []).map((h) => h.value),
    portOfLoading: orNull(v.portOfLoading),
    portOfDischarge: orNull(v.portOfDischarge),
    originCountry: orNull(v.originCountry)?.toUpperCase() ?? null,
    destinationCountry: orNull(v.destinationCountry)?.toUpperCase() ?? null,
    expectedArrival: orNull(v.expectedArrival),
    containerNumbers: v.containerNumbers ?? [],
    billOfLading: orNull(v.billOfLading),
    conveyanceReference: orNull(v.conveyanceReference),
    consignor: partyInput(v.consignor),
    consignee: partyInput(v.consignee),
    source: sourceInput(v.source),
    operationalNotes: orNull(v.operationalNotes),
  };
}

/** The distribution as DistributionInput: agencies only for SELECTED_AGENCIES, the operation only for OPERATION. */
export function distributionInput(v: ComposeValues): { scope: string; agencies?: string[]; operationId?: string | null } {
  const scope = v.distribution?.scope ?? 'ORIGINATOR_ONLY';
  if (scope === 'SELECTED_AGENCIES') return { scope, agencies: v.distribution?.agencies ?? [] };
  if (scope === 'OPERATION') return { scope, operationId: v.distribution?.operationId?.value ?? null };
  return { scope };
}

/** createAlert's input. */
export function createInputFrom(v: ComposeValues) {
  return { ...sharedInput(v), channel: v.channel!, direction: v.direction!, distribution: distributionInput(v) };
}

/** updateAlert's input: every field the form edits (the distribution changes through shareAlert). */
export function updateInputFrom(v: ComposeValues) {
  return sharedInput(v);
}

/** The fields the compare view lists, in the form's order. */
export const COMPARED_FIELDS = [
  'title',
  'summary',
  'riskLevel',
  'channel',
  'direction',
  'goods',
  'infringements',
  'modusOperandi',
  'rightsHolderIds',
  'portOfLoading',
  'portOfDischarge',
  'originCountry',
  'destinationCountry',
  'expectedArrival',
  'containerNumbers',
  'billOfLading',
  'conveyanceReference',
  'consignor',
  'consignee',
  'source',
  'operationalNotes',
  'distribution',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** One field's value as comparable plain data (trimmed, empty as null, codes upper case). */
function comparable(v: ComposeValues, field: ComparedField): unknown {
  const input = { ...sharedInput(v), channel: v.channel ?? null, direction: v.direction ?? null, distribution: distributionInput(v) };
  const value = (input as Record<string, unknown>)[field];
  if (field === 'containerNumbers') return (value as string[]).map((c) => c.toUpperCase().replace(/[\s-]/g, ''));
  if (field === 'portOfLoading' || field === 'portOfDischarge') return value == null ? null : (normalizeLocode(value as string) ?? value);
  if (field === 'goods') return (value as { hsCode: string | null }[]).map((g) => ({ ...g, hsCode: g.hsCode == null ? null : (normalizeHsCode(g.hsCode) ?? g.hsCode) }));
  if (field === 'infringements' || field === 'modusOperandi' || field === 'rightsHolderIds') return [...(value as string[])].sort();
  if (field === 'expectedArrival') return value == null ? null : new Date(value as string).getTime();
  if (field === 'distribution') {
    const d = value as { scope: string; agencies?: string[]; operationId?: string | null };
    return { scope: d.scope, agencies: [...(d.agencies ?? [])].sort(), operationId: d.operationId ?? null };
  }
  return value ?? null;
}

/** The fields whose values differ between two sets of form values. */
export function differingFields(a: ComposeValues, b: ComposeValues): ComparedField[] {
  return COMPARED_FIELDS.filter((f) => JSON.stringify(comparable(a, f)) !== JSON.stringify(comparable(b, f)));
}

/**
 * A field's value as one line of text for the compare view (enum values as they are; the page
 * translates none of the data). Rights holders and operations by their names; the expected
 * arrival as its ISO instant (the view shows it in UTC+8).
 */
export function describeField(v: ComposeValues, field: ComparedField): string {
  if (field === 'rightsHolderIds') {
    const names = (v.rightsHolderIds ?? []).map((h) => h.label).sort();
    return names.length ? names.join('; ') : '—';
  }
  if (field === 'expectedArrival') return orNull(v.expectedArrival) ?? '—';
  if (field === 'distribution' && v.distribution?.scope === 'OPERATION') {
    return [v.distribution.scope, v.distribution.operationId?.label].filter(Boolean).join(' · ');
  }
  const value = comparable(v, field);
  if (value == null) return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return value
      .map((x) => (typeof x === 'object' && x ? Object.values(x as Record<string, unknown>).filter((y) => y != null && y !== '').join(' · ') : String(x)))
      .join('; ');
  }
  if (typeof value === 'object') {
    const parts = Object.values(value as Record<string, unknown>).flatMap((y) => (Array.isArray(y) ? y : [y])).filter((y) => y != null && y !== '');
    return parts.length ? parts.join(' · ') : '—';
  }
  return String(value);
}

/**
 * A hub error's input path (`extensions.field`, e.g. `input.goods[0].hsCode`,
 * `distribution.agencies`) as the form's field name (`['goods', 0, 'hsCode']`); null for paths
 * the form has no field for.
 */
export function fieldPath(path: string | null | undefined): (string | number)[] | null {
  if (!path) return null;
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (parts[0] === 'input') parts.shift();
  if (parts.length === 0 || typeof parts[0] !== 'string') return null;
  // A container's index is the list's: the form shows one message for the whole list.
  if (parts[0] === 'containerNumbers') return ['containerNumbers'];
  return (COMPARED_FIELDS as readonly string[]).includes(parts[0]) ? parts : null;
}

/**
 * The person's edits reapplied on a newer version: each field the person changed (from `base`,
 * the version the edits started from) takes the person's value; every other field takes the
 * newer version's, so that someone else's change to a field the person did not touch is kept.
 * Nothing is sent: the person saves (or shares) again, explicitly.
 */
export function rebase(base: ComposeValues, mine: ComposeValues, newer: ComposeValues): ComposeValues {
  const mineChanged = new Set(differingFields(base, mine));
  const out: Record<string, unknown> = { ...newer };
  for (const f of mineChanged) out[f] = (mine as Record<string, unknown>)[f];
  return out as ComposeValues;
}
