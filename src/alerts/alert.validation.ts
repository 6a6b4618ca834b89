import { ALERT_LIMITS, MAX_GOODS_QUANTITY } from '../common/alert-limits';
import { BadUserInputError } from '../common/errors';
import { isIsoCountry, normalizeAirWaybill, normalizeContainerNumber, normalizeHsCode, normalizeLocode } from '../common/codes';
import { normalizeEmail, normalizePhone } from '../correlation/identifier-normalize';
import { DistributionScope, type InfringementType, type ModusOperandi } from '../common/enums';
import { isUuid } from '../common/ids';
import { isWellFormedText } from '../common/input-paths';
import type {
  CreateAlertInput,
  DistributionInput,
  GoodsLineInput,
  IntelligenceSourceInput,
  PartyInput,
  UpdateAlertInput,
} from './alert.inputs';

/*
 * Input checks for alerts. Each failure is a BadUserInputError naming the input path, so a
 * client can point at the wrong field; nothing is written before every check has passed.
 */

export const LIMITS = ALERT_LIMITS;
const MAX_QUANTITY = MAX_GOODS_QUANTITY;

/**
 * Characters that show nothing: whitespace, controls, format characters (zero-width spaces and
 * joiners, U+2060, U+FEFF, bidirectional marks) and the other default-ignorable code points
 * (fillers, variation selectors), and the blank Braille pattern.
 */
const INVISIBLE = /^[\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/**
 * A trimmed string within bounds; NUL and other C0 controls but tab and newlines are refused,
 * and so are a lone surrogate (stored, it would become U+FFFD) and a text that shows nothing.
 */
export function text(value: string, field: string, max: number): string {
  if (!isWellFormedText(value)) throw new BadUserInputError(`${field} is not well-formed Unicode text (a lone surrogate)`, field);
  const v = value.trim();
  if (INVISIBLE.test(v)) throw new BadUserInputError(`${field} must not be empty`, field);
  if (v.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v)) {
    throw new BadUserInputError(`${field} contains control characters`, field);
  }
  return v;
}

function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  return value == null ? value : text(value, field, max);
}

function country(value: string | null | undefined, field: string): string | null | undefined {
  if (value == null) return value;
  const v = value.trim().toUpperCase();
  if (!isIsoCountry(v)) throw new BadUserInputError(`${field} must be an ISO 3166-1 alpha-2 country code`, field);
  return v;
}

function locode(value: string | null | undefined, field: string): string | null | undefined {
  if (value == null) return value;
  const v = normalizeLocode(value);
  if (!v) throw new BadUserInputError(`${field} must be a UN/LOCODE such as CNSHK`, field);
  return v;
}

export interface GoodsLineData {
  category: GoodsLineInput['category'];
  description: string;
  hsCode: string | null;
  quantity: number;
  unit: string;
}

function goods(lines: GoodsLineInput[], field: string): GoodsLineData[] {
  if (lines.length === 0) throw new BadUserInputError(`${field} must have at least one line`, field);
  if (lines.length > LIMITS.goodsLines) throw new BadUserInputError(`${field} must have at most ${LIMITS.goodsLines} lines`, field);
  return lines.map((g, i) => {
    const at = `${field}[${i}]`;
    let hsCode: string | null = null;
    if (g.hsCode != null) {
      hsCode = normalizeHsCode(g.hsCode);
      if (!hsCode) throw new BadUserInputError(`${at}.hsCode must be 6 to 10 digits`, `${at}.hsCode`);
    }
    if (!Number.isInteger(g.quantity) || g.quantity <= 0 || g.quantity > MAX_QUANTITY) {
      throw new BadUserInputError(`${at}.quantity must be a whole number above zero`, `${at}.quantity`);
    }
    return {
      category: g.category,
      description: text(g.description, `${at}.description`, LIMITS.goodsDescription),
      hsCode,
      quantity: g.quantity,
      unit: text(g.unit, `${at}.unit`, LIMITS.unit),
    };
  });
}

export interface PartyData {
  name: string;
  address: string | null;
  country: string | null;
  identifier: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * A party; its phone number must be one (as normalizePhone reads it: without a country code,
 * of the party's country, else of the writing agency's), its e-mail address user@domain.
 * Both are kept as written.
 */
function party(p: PartyInput | null | undefined, field: string, agency: string | undefined): PartyData | null | undefined {
  if (p == null) return p;
  const checked = {
    name: text(p.name, `${field}.name`, LIMITS.partyName),
    address: optionalText(p.address, `${field}.address`, LIMITS.partyAddress) ?? null,
    country: country(p.country, `${field}.country`) ?? null,
    identifier: optionalText(p.identifier, `${field}.identifier`, LIMITS.partyIdentifier) ?? null,
    phone: optionalText(p.phone, `${field}.phone`, LIMITS.partyPhone) ?? null,
    email: optionalText(p.email, `${field}.email`, LIMITS.partyEmail) ?? null,
  };
  if (checked.phone !== null && normalizePhone(checked.phone, { country: checked.country, agency }) === null) {
    throw new BadUserInputError(
      `${field}.phone must be a phone number, e.g. +852 9123 4567 (without a country code, a number of the party's country or of your agency's)`,
      `${field}.phone`,
    );
  }
  if (checked.email !== null && normalizeEmail(checked.email) === null) {
    throw new BadUserInputError(`${field}.email must be an e-mail address such as name@example.com`, `${field}.email`);
  }
  return checked;
}

export interface SourceData {
  kind: string;
  reliability: IntelligenceSourceInput['reliability'];
  credibility: number;
  reference: string | null;
}

function source(s: IntelligenceSourceInput | null | undefined, field: string): SourceData | null | undefined {
  if (s == null) return s;
  if (!Number.isInteger(s.credibility) || s.credibility < 1 || s.credibility > 6) {
    throw new BadUserInputError(`${field}.credibility must be from 1 to 6`, `${field}.credibility`);
  }
  return {
    kind: text(s.kind, `${field}.kind`, LIMITS.sourceKind),
    reliability: s.reliability,
    credibility: s.credibility,
    reference: optionalText(s.reference, `${field}.reference`, LIMITS.sourceReference) ?? null,
  };
}

function containers(list: string[] | null | undefined, field: string): string[] | null | undefined {
  if (list == null) return list;
  if (list.length > LIMITS.containers) throw new BadUserInputError(`${field} must have at most ${LIMITS.containers} entries`, field);
  const out = list.map((c, i) => {
    const v = normalizeContainerNumber(c);
    if (!v) {
      throw new BadUserInputError(`${field}[${i}] must be an ISO 6346 container number with a valid check digit`, `${field}[${i}]`);
    }
    return v;
  });
  return [...new Set(out)];
}

function airWaybill(value: string | null | undefined, field: string): string | null | undefined {
  if (value == null) return value;
  const v = value.length <= 40 ? normalizeAirWaybill(value.normalize('NFKC')) : null;
  if (!v) throw new BadUserInputError(`${field} must be an IATA air waybill number: a 3-digit prefix and 8 digits, the last the check digit (e.g. 160-12345675)`, field);
  return v;
}

/** Tracking numbers: letters and digits (spaces and dashes dropped, upper case), each 6 to 40 long; repeats dropped. */
function trackingNumbers(list: string[] | null | undefined, field: string): string[] | null | undefined {
  if (list == null) return list;
  if (list.length > LIMITS.trackingNumbers) throw new BadUserInputError(`${field} must have at most ${LIMITS.trackingNumbers} entries`, field);
  const out = list.map((t, i) => {
    const v = t.length <= 100 ? t.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '') : '';
    if (!/^[A-Z0-9]+$/.test(v) || v.length < 6 || v.length > LIMITS.trackingNumber) {
      throw new BadUserInputError(`${field}[${i}] must be a tracking number: 6 to ${LIMITS.trackingNumber} letters and digits`, `${field}[${i}]`);
    }
    return v;
  });
  return [...new Set(out)];
}

function ids(list: string[] | null | undefined, field: string, max: number): string[] | null | undefined {
  if (list == null) return list;
  if (list.length > max) throw new BadUserInputError(`${field} must have at most ${max} entries`, field);
  return [...new Set(list)];
}

/** Alert fields after checking; undefined means "not given" (unchanged on update). */
export interface AlertData {
  title?: string;
  summary?: string;
  riskLevel?: CreateAlertInput['riskLevel'];
  channel?: CreateAlertInput['channel'];
  direction?: CreateAlertInput['direction'];
  goods?: GoodsLineData[];
  infringements?: InfringementType[];
  modusOperandi?: ModusOperandi[];
  rightsHolderIds?: string[];
  portOfLoading?: string | null;
  portOfDischarge?: string | null;
  originCountry?: string | null;
  destinationCountry?: string | null;
  expectedArrival?: Date | null;
  containerNumbers?: string[] | null;
  billOfLading?: string | null;
  conveyanceReference?: string | null;
  airWaybill?: string | null;
  trackingNumbers?: string[] | null;
  consignor?: PartyData | null;
  consignee?: PartyData | null;
  source?: SourceData | null;
  operationalNotes?: string | null;
}

function shared(input: UpdateAlertInput | CreateAlertInput, at: string, agency: string | undefined): AlertData {
  return {
    modusOperandi: input.modusOperandi == null ? (input.modusOperandi === null ? [] : undefined) : [...new Set(input.modusOperandi)],
    rightsHolderIds: input.rightsHolderIds === null ? [] : (ids(input.rightsHolderIds, `${at}.rightsHolderIds`, LIMITS.rightsHolders) ?? undefined),
    portOfLoading: locode(input.portOfLoading, `${at}.portOfLoading`),
    portOfDischarge: locode(input.portOfDischarge, `${at}.portOfDischarge`),
    originCountry: country(input.originCountry, `${at}.originCountry`),
    destinationCountry: country(input.destinationCountry, `${at}.destinationCountry`),
    // Years 1 to 9999 only: the DateTime scalar refuses the rest, on its field (common/scalars.ts).
    expectedArrival: input.expectedArrival,
    containerNumbers: containers(input.containerNumbers, `${at}.containerNumbers`),
    billOfLading: optionalText(input.billOfLading, `${at}.billOfLading`, LIMITS.billOfLading),
    conveyanceReference: optionalText(input.conveyanceReference, `${at}.conveyanceReference`, LIMITS.conveyanceReference),
    airWaybill: airWaybill(input.airWaybill, `${at}.airWaybill`),
    trackingNumbers: trackingNumbers(input.trackingNumbers, `${at}.trackingNumbers`),
    consignor: party(input.consignor, `${at}.consignor`, agency),
    consignee: party(input.consignee, `${at}.consignee`, agency),
    source: source(input.source, `${at}.source`),
    operationalNotes: optionalText(input.operationalNotes, `${at}.operationalNotes`, LIMITS.operationalNotes),
  };
}

/**
 * @param agency the writing agency: its numbering plan reads phone numbers written without a country code.
 * @throws BadUserInputError naming the first field that is wrong.
 */
export function checkCreateInput(input: CreateAlertInput, agency?: string): AlertData {
  const at = 'input';
  return {
    title: text(input.title, `${at}.title`, LIMITS.title),
    summary: text(input.summary, `${at}.summary`, LIMITS.summary),
    riskLevel: input.riskLevel,
    channel: input.channel,
    direction: input.direction,
    goods: goods(input.goods, `${at}.goods`),
    infringements: [...new Set(input.infringements)],
    ...shared(input, at, agency),
  };
}

/**
 * @param agency the writing agency, as for checkCreateInput.
 * @throws BadUserInputError naming the first field that is wrong, or a required field set to null.
 */
export function checkUpdateInput(input: UpdateAlertInput, agency?: string): AlertData {
  const at = 'input';
  for (const required of ['title', 'summary', 'riskLevel', 'goods', 'infringements'] as const) {
    if (input[required] === null) throw new BadUserInputError(`${at}.${required} cannot be null`, `${at}.${required}`);
  }
  return {
    title: input.title == null ? undefined : text(input.title, `${at}.title`, LIMITS.title),
    summary: input.summary == null ? undefined : text(input.summary, `${at}.summary`, LIMITS.summary),
    riskLevel: input.riskLevel ?? undefined,
    goods: input.goods == null ? undefined : goods(input.goods, `${at}.goods`),
    infringements: input.infringements == null ? undefined : [...new Set(input.infringements)],
    ...shared(input, at, agency),
  };
}

export interface DistributionData {
  scope: DistributionScope;
  agencyCodes: string[];
  /** Set for OPERATION only. */
  operationId?: string;
}

/**
 * Checks the shape of a distribution; the service checks that named agencies exist.
 * @throws BadUserInputError for agencies outside SELECTED_AGENCIES, or none with it.
 */
export function checkDistribution(d: DistributionInput, field: string, ownAgency: string): DistributionData {
  const agencies = (ids(d.agencies, `${field}.agencies`, LIMITS.distributionAgencies) ?? []).map((c) => c.trim().toUpperCase());
  if (d.scope === DistributionScope.SELECTED_AGENCIES) {
    const partners = agencies.filter((c) => c !== ownAgency);
    if (partners.length === 0) {
      throw new BadUserInputError(`${field}.agencies must name at least one partner agency for SELECTED_AGENCIES`, `${field}.agencies`);
    }
    if (d.operationId != null) throw new BadUserInputError(`${field}.operationId is only for OPERATION`, `${field}.operationId`);
    return { scope: d.scope, agencyCodes: partners };
  }
  if (agencies.length > 0) throw new BadUserInputError(`${field}.agencies is only for SELECTED_AGENCIES`, `${field}.agencies`);
  if (d.scope === DistributionScope.OPERATION) {
    if (d.operationId == null || !isUuid(d.operationId)) {
      throw new BadUserInputError(`${field}.operationId must name a joint operation for OPERATION`, `${field}.operationId`);
    }
    return { scope: d.scope, agencyCodes: [], operationId: d.operationId };
  }
  if (d.operationId != null) throw new BadUserInputError(`${field}.operationId is only for OPERATION`, `${field}.operationId`);
  return { scope: d.scope, agencyCodes: [] };
}
