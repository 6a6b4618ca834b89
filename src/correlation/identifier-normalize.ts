import { Converter } from 'opencc-js/t2cn';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { isIsoCountry, isUscc } from '../common/codes';
import { FieldClass, IdentifierKind } from '../common/enums';

/*
 * One spelling per identifier, whichever of the three administrations wrote it. The same
 * consignee reaches the hub as 「深圳市華強北電子貿易有限公司」 from Hong Kong and 深圳市华强北电子贸易有限公司
 * from Guangdong, the same phone as (852) 9123-4567, 00852 91234567 and ＋８５２ ９１２３ ４５６７,
 * the same flat as "Flat B, 12/F" and "Rm B 12th Floor". Match keys (match-keys.ts) are made from
 * what these functions return, so two spellings match exactly when they normalize equal. Pure:
 * no I/O, no state but the converters' tables, built on first use.
 *
 * Limits, on purpose: no romanisation across scripts (陈大文 and Chan Tai Man stay apart), no
 * Chinese numerals (十二楼 is not 12楼), word order kept (Flat 3, 12/F is not Flat 12, 3/F).
 */

/** Where a value came from: the party's country, else the originating agency, sets a phone number's default country. */
export interface NormalizeContext {
  /** ISO 3166-1 alpha-2 code of the party's country, when the alert names one. */
  country?: string | null;
  /** Code of the agency that wrote the value (GD, HK, MO …). */
  agency?: string | null;
}

/** The field class an identifier of each kind belongs to. */
export const IDENTIFIER_CLASS: Readonly<Record<IdentifierKind, FieldClass.SHIPMENT_IDENTIFIERS | FieldClass.PARTY_IDENTITY>> = {
  [IdentifierKind.CONTAINER]: FieldClass.SHIPMENT_IDENTIFIERS,
  [IdentifierKind.BILL_OF_LADING]: FieldClass.SHIPMENT_IDENTIFIERS,
  [IdentifierKind.AIR_WAYBILL]: FieldClass.SHIPMENT_IDENTIFIERS,
  [IdentifierKind.TRACKING_NUMBER]: FieldClass.SHIPMENT_IDENTIFIERS,
  [IdentifierKind.PARTY_NAME]: FieldClass.PARTY_IDENTITY,
  [IdentifierKind.ADDRESS]: FieldClass.PARTY_IDENTITY,
  [IdentifierKind.PHONE]: FieldClass.PARTY_IDENTITY,
  [IdentifierKind.COMPANY_REGISTRATION]: FieldClass.PARTY_IDENTITY,
  [IdentifierKind.EMAIL]: FieldClass.PARTY_IDENTITY,
};

/**
 * The country whose numbering plan an agency's officers write phone numbers in, without a
 * country code. An agency not listed whose code is itself a country code (a future partner
 * such as SG) uses it; any other gets no default, and its numbers need their country code.
 */
const AGENCY_COUNTRY: Readonly<Record<string, CountryCode>> = { GD: 'CN', HK: 'HK', MO: 'MO' };

/** The Greater Bay Area's numbering plans, tried in turn for a number that fits none of its context. */
const GBA_COUNTRIES: readonly CountryCode[] = ['CN', 'HK', 'MO'];

/** Han characters (and the compatibility ideographs NFKC leaves): only text with some goes through the converter. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
/** Punctuation, symbols, separators, controls and format characters: none of them tell two identifiers apart. */
const NOISE = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]+/gu;

let toSimplified: ((text: string) => string) | undefined;

/**
 * Traditional to Simplified Chinese with OpenCC's tables: Hong Kong's forms first, then
 * Taiwan's for the variants Hong Kong's leave (衞 → 卫), so text from either side meets.
 */
function simplified(text: string): string {
  if (!HAN.test(text)) return text;
  if (!toSimplified) {
    const hk = Converter({ from: 'hk', to: 'cn' });
    const tw = Converter({ from: 'tw', to: 'cn' });
    toSimplified = (t) => tw(hk(t));
  }
  return toSimplified(text);
}

/**
 * The common text step: NFKC (full-width letters, digits and punctuation to half-width,
 * compatibility ideographs to their unified forms), Traditional to Simplified, lower case.
 * Punctuation and spaces are left for the caller, which may need the word boundaries.
 */
export function foldText(raw: string): string {
  return simplified(raw.normalize('NFKC')).toLowerCase();
}

/** Folded, then without punctuation, symbols or spaces. */
export function compactText(raw: string): string {
  return foldText(raw).replace(NOISE, '');
}

/** Upper-case letters and digits only, after NFKC (full-width forms count). */
function alphanumeric(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** The words of company names, each with one spelling. */
const NAME_WORDS: Readonly<Record<string, string>> = {
  company: 'co',
  co: 'co',
  cos: 'co',
  limited: 'ltd',
  ltd: 'ltd',
  corporation: 'corp',
  corp: 'corp',
  incorporated: 'inc',
  inc: 'inc',
  international: 'intl',
  intl: 'intl',
  trading: 'trading',
  trdg: 'trading',
  enterprises: 'ent',
  enterprise: 'ent',
  ent: 'ent',
  industrial: 'ind',
  industries: 'ind',
  ind: 'ind',
  electronics: 'electronics',
  elec: 'electronics',
  technology: 'tech',
  technologies: 'tech',
  tech: 'tech',
  development: 'dev',
  dev: 'dev',
  manufacturing: 'mfg',
  mfg: 'mfg',
  and: 'and',
};

/** The words of addresses, each with one spelling. */
const ADDRESS_WORDS: Readonly<Record<string, string>> = {
  room: 'rm',
  rm: 'rm',
  flat: 'rm',
  flt: 'rm',
  unit: 'rm',
  suite: 'rm',
  floor: 'f',
  flr: 'f',
  fl: 'f',
  f: 'f',
  block: 'blk',
  blk: 'blk',
  tower: 'blk',
  twr: 'blk',
  building: 'bldg',
  bldg: 'bldg',
  bld: 'bldg',
  road: 'rd',
  rd: 'rd',
  street: 'st',
  st: 'st',
  str: 'st',
  avenue: 'ave',
  ave: 'ave',
  av: 'ave',
  centre: 'ctr',
  center: 'ctr',
  ctr: 'ctr',
  industrial: 'ind',
  ind: 'ind',
  district: 'dist',
  dist: 'dist',
  no: '',
  number: '',
};

/**
 * Chinese address words (after the Simplified step), longest first: 大厦 and 大楼 are buildings,
 * though 楼 alone is a floor. 号 (number) says nothing a digit does not.
 */
const CHINESE_ADDRESS_WORDS: readonly [RegExp, string][] = [
  [/大厦|大楼|商厦/g, ' bldg '],
  [/室|单位/g, ' rm '],
  [/楼|层/g, ' f '],
  [/座|栋|幢/g, ' blk '],
  [/路/g, ' rd '],
  [/街/g, ' st '],
  [/号/g, ' '],
];

/** Chinese forms of company names that say the same (after the Simplified step). */
const CHINESE_NAME_WORDS: readonly [RegExp, string][] = [[/有限责任公司/g, '有限公司']];

/**
 * Splits folded text into words at punctuation and spaces, after joining what dots and
 * apostrophes split (H.K. → hk, Int'l → intl, Co. → co) and naming what symbols say (& → and).
 */
function words(folded: string): string[] {
  return folded
    .replace(/[.'’`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\bhong\s*kong\b/g, ' hk ')
    .replace(/\bmacau\b/g, ' macao ')
    .split(NOISE)
    .filter(Boolean);
}

/**
 * The words of a party's name in their one spelling: the PARTY_NAME value is their
 * concatenation. Near matching (shipment-clusters.ts) compares them as a set.
 */
export function partyNameWords(raw: string): string[] {
  return words(foldText(raw))
    .map((w) => NAME_WORDS[w] ?? w)
    .map((w) => CHINESE_NAME_WORDS.reduce((s, [from, to]) => s.replace(from, to), w))
    .filter(Boolean);
}

function partyName(raw: string): string {
  let s = words(foldText(raw))
    .map((w) => NAME_WORDS[w] ?? w)
    .join('');
  for (const [from, to] of CHINESE_NAME_WORDS) s = s.replace(from, to);
  return s;
}

/**
 * The words of an address in their one spelling (Room/Flat/室 → rm, 12th → 12, …): the
 * ADDRESS value is their concatenation. Near matching (near-match.ts) reads the flat, floor
 * and block designators from them.
 */
export function addressWords(raw: string): string[] {
  let s = foldText(raw);
  for (const [from, to] of CHINESE_ADDRESS_WORDS) s = s.replace(from, to);
  return words(s)
    // 12th, 3rd: the number alone; then 12F, RM1203, B1: letters and digits written together are words of their own.
    .map((w) => w.replace(/^(\d+)(?:st|nd|rd|th)$/, '$1'))
    .flatMap((w) => w.replace(/(\d)(?=[a-z])|([a-z])(?=\d)/g, '$1$2 ').split(' '))
    .map((w) => ADDRESS_WORDS[w] ?? w)
    .filter(Boolean);
}

function address(raw: string): string {
  return addressWords(raw).join('');
}

/**
 * A phone number as E.164 (+85291234567), or null when it is no number of any plan.
 * Accepted as officers write them: +852, 00852, (852) and (+852), 852 or 853 or 86 before a
 * number of the right length, a trunk 0 after +86 ("+86 (0)755"), spaces, dashes, dots,
 * brackets 「」, full-width digits, an extension (dropped). Without a country code, the
 * context's plan: the party's country, else the agency's (GD → CN, HK → HK, MO → MO); a
 * number valid in none of those but in exactly one of the Greater Bay Area's three is taken as
 * that one's.
 */
export function normalizePhone(raw: string, context: NormalizeContext = {}): string | null {
  let s = raw.normalize('NFKC').trim();
  // An extension is not part of the line's number.
  s = s.replace(/\s*(?:ext\.?|extn\.?|x|转|轉|分机|分機)\s*\d{1,6}\s*$/i, '');
  s = s.replace(/^\D*\(\s*\+?\s*(\d{1,3})\s*\)/, '+$1');
  s = s.replace(/\(\s*0\s*\)/g, '');
  const plus = /^\D*\+/.test(s);
  let digits = s.replace(/\D/g, '');
  if (!digits) return null;
  let international = plus;
  if (!plus && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (!international && (/^(852|853)\d{8}$/.test(digits) || /^86(1\d{10}|[2-9]\d{9,10})$/.test(digits))) international = true;
  // +86 0755 …: the trunk prefix has no place after the country code.
  if (international && /^860\d{9,11}$/.test(digits)) digits = `86${digits.slice(3)}`;
  if (digits.length > 17) return null;
  if (international) {
    const p = parsePhoneNumberFromString(`+${digits}`);
    return p?.isPossible() ? p.number : null;
  }
  const defaults = [contextCountry(context)].filter((c): c is CountryCode => c !== undefined);
  let possible: PhoneNumber | undefined;
  for (const country of defaults) {
    const p = parsePhoneNumberFromString(digits, country);
    if (p?.isValid()) return p.number;
    if (p?.isPossible()) possible ??= p;
  }
  const valid = GBA_COUNTRIES.filter((c) => !defaults.includes(c))
    .map((c) => parsePhoneNumberFromString(digits, c))
    .filter((p): p is PhoneNumber => !!p?.isValid());
  if (valid.length === 1) return valid[0].number;
  return possible?.number ?? null;
}

function contextCountry(context: NormalizeContext): CountryCode | undefined {
  const country = context.country?.trim().toUpperCase();
  if (country && isIsoCountry(country)) return country as CountryCode;
  const agency = context.agency?.trim().toUpperCase();
  if (!agency) return undefined;
  return AGENCY_COUNTRY[agency] ?? (isIsoCountry(agency) ? (agency as CountryCode) : undefined);
}

/** The check character's alphabet leaves out I, O, Z, S and V: an officer who typed O for 0 or I for 1 wrote this code. */
function usccTypos(code: string): string {
  return code.replace(/O/g, '0').replace(/I/g, '1');
}

/**
 * A company registration number: upper-case letters and digits. A mainland unified social
 * credit code (18 characters, GB 32100-2015) with a wrong check character is kept as written,
 * unless reading O as 0 and I as 1 makes it right; a Hong Kong business registration number
 * with its branch and check suffix (12345678-000-07-22-0) is its first eight digits.
 */
export function normalizeCompanyRegistration(raw: string): string | null {
  const folded = raw.normalize('NFKC').toUpperCase();
  const br = /^\D*(\d{8})\s*-\s*\d{3}\b/.exec(folded);
  if (br) return br[1];
  const v = folded.replace(/[^0-9A-Z]/g, '');
  if (!v) return null;
  if (v.length === 18 && !isUscc(v) && isUscc(usccTypos(v))) return usccTypos(v);
  return v;
}

/** An e-mail address, trimmed and in lower case (full-width forms folded), or null when it has no user@domain shape. */
export function normalizeEmail(raw: string): string | null {
  const v = raw.normalize('NFKC').trim().toLowerCase().replace(/^mailto:/, '');
  return /^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(v) ? v : null;
}

/**
 * The one spelling of an identifier of `kind`, or null when nothing usable is left.
 *   CONTAINER, BILL_OF_LADING, TRACKING_NUMBER: upper-case letters and digits;
 *   AIR_WAYBILL: its 11 digits (the check digit is checked where it is written, not here);
 *   PARTY_NAME, ADDRESS: the common text step (foldText), one spelling for company and
 *     address words in English and Chinese, no punctuation or spaces;
 *   PHONE: E.164 (normalizePhone); COMPANY_REGISTRATION: normalizeCompanyRegistration;
 *   EMAIL: normalizeEmail.
 * @param context the party's country and the writing agency (phone numbers only).
 */
export function normalizeIdentifier(kind: IdentifierKind, raw: string, context: NormalizeContext = {}): string | null {
  let v: string | null;
  switch (kind) {
    case IdentifierKind.CONTAINER:
    case IdentifierKind.BILL_OF_LADING:
    case IdentifierKind.TRACKING_NUMBER:
      v = alphanumeric(raw);
      break;
    case IdentifierKind.AIR_WAYBILL:
      v = raw.normalize('NFKC').replace(/[\s-]/g, '');
      v = /^\d{11}$/.test(v) ? v : null;
      break;
    case IdentifierKind.PARTY_NAME:
      v = partyName(raw);
      break;
    case IdentifierKind.ADDRESS:
      v = address(raw);
      break;
    case IdentifierKind.PHONE:
      v = normalizePhone(raw, context);
      break;
    case IdentifierKind.COMPANY_REGISTRATION:
      v = normalizeCompanyRegistration(raw);
      break;
    case IdentifierKind.EMAIL:
      v = normalizeEmail(raw);
      break;
    default:
      v = null;
  }
  return v ? v : null;
}
