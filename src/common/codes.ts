/**
 * Checks for the trade codes that alerts carry. Pure functions: no I/O, no imports, so that the
 * web console's form (src/console/compose/) checks with the very same code as the hub.
 */

/** The 249 officially assigned ISO 3166-1 alpha-2 codes. */
const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
    'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
    'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
    'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
    'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
    'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

export function isIsoCountry(code: string): boolean {
  return ISO_COUNTRIES.has(code);
}

/** Number of assigned codes; a unit test keeps the table honest. */
export const ISO_COUNTRY_COUNT = ISO_COUNTRIES.size;

/**
 * UN/LOCODE: the ISO country code and three letters or digits 2–9 for the place
 * (e.g. CNSHK Shekou, HKHKG Hong Kong, CNZUH Zhuhai). An optional space after the
 * country is accepted on input; the stored form has none.
 */
export function normalizeLocode(raw: string): string | null {
  const v = raw.trim().toUpperCase().replace(/^([A-Z]{2}) /, '$1');
  if (!/^[A-Z]{2}[A-Z2-9]{3}$/.test(v)) return null;
  return isIsoCountry(v.slice(0, 2)) ? v : null;
}

/** Letter values of ISO 6346: A=10 upwards, skipping multiples of 11. */
function letterValue(ch: string): number {
  let value = 10;
  for (let c = 'A'.charCodeAt(0); c <= 'Z'.charCodeAt(0); c++) {
    if (value % 11 === 0) value++;
    if (String.fromCharCode(c) === ch) return value;
    value++;
  }
  return -1;
}

/** The ISO 6346 check digit of the first ten characters (owner, category, serial). */
export function containerCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = first10[i];
    const v = /[0-9]/.test(ch) ? Number(ch) : letterValue(ch);
    sum += v * 2 ** i;
  }
  return (sum % 11) % 10;
}

/**
 * ISO 6346 container number: three-letter owner code, category U, J or Z, six-digit
 * serial and the check digit. Spaces and dashes on input are dropped.
 * @returns the normalised number, or null when the shape or the check digit is wrong.
 */
export function normalizeContainerNumber(raw: string): string | null {
  return containerNumberProblem(raw) ? null : raw.toUpperCase().replace(/[\s-]/g, '');
}

/** Why a container number is refused: its shape, or its check digit (with the one it should have). */
export type ContainerNumberProblem = { kind: 'shape' } | { kind: 'checkDigit'; expected: number };

/**
 * The reason `normalizeContainerNumber` refuses `raw`, or null when it accepts it: what a form
 * shows while the number is typed ("check digit should be 3").
 */
export function containerNumberProblem(raw: string): ContainerNumberProblem | null {
  const v = raw.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(v)) return { kind: 'shape' };
  const expected = containerCheckDigit(v.slice(0, 10));
  return expected === Number(v[10]) ? null : { kind: 'checkDigit', expected };
}

/** HS code: 6 to 10 digits; dots and spaces between groups are dropped. */
export function normalizeHsCode(raw: string): string | null {
  const v = raw.replace(/[.\s]/g, '');
  return /^\d{6,10}$/.test(v) ? v : null;
}

/**
 * IATA air waybill number: a three-digit airline prefix and an eight-digit serial whose last
 * digit is the first seven modulo 7 (`160-12345675`). Spaces and dashes on input are dropped.
 * @returns the number as `PPP-SSSSSSSC`, or null when the shape or the check digit is wrong.
 */
export function normalizeAirWaybill(raw: string): string | null {
  const v = raw.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(v)) return null;
  return Number(v.slice(3, 10)) % 7 === Number(v[10]) ? `${v.slice(0, 3)}-${v.slice(3)}` : null;
}

/** The 31 characters of a unified social credit code (GB 32100-2015): digits and capitals but I, O, Z, S and V. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weight of each of the first 17 characters: 3^i modulo 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The check character of a unified social credit code from its first 17 characters
 * (GB 32100-2015: 31 minus the weighted sum modulo 31, 31 written as 0).
 * @returns null when a character is outside the code's alphabet.
 */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARS.indexOf(first17[i]);
    if (value < 0) return null;
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/**
 * Whether `code` is a unified social credit code of mainland China with a correct check
 * character: 18 characters of the code's alphabet (upper case, no separators).
 */
export function isUscc(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUW-Y]{18}$/.test(code) && usccCheckCharacter(code.slice(0, 17)) === code[17];
}
