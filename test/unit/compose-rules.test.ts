import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCreateInput } from '../../src/alerts/alert.validation';
import { canMove } from '../../src/alerts/alert-lifecycle';
import type { CreateAlertInput } from '../../src/alerts/alert.inputs';
import { containerCheckDigit } from '../../src/common/codes';
import {
  COMPARED_FIELDS,
  canWithdraw,
  containerRule,
  countryRule,
  createInputFrom,
  differingFields,
  fieldPath,
  hsCodeRule,
  locodeRule,
  quantityRule,
  rebase,
  statusMoves,
  textRule,
  valuesFromAlert,
  type Problem,
} from '../../src/console/compose/compose-rules';
import { alertInput, containerNo } from '../support/fixtures';

/** True when the hub's own input check (what createAlert runs) accepts the alert with `overrides`. */
function hubAccepts(overrides: Record<string, unknown>): boolean {
  try {
    checkCreateInput(alertInput(overrides) as unknown as CreateAlertInput);
    return true;
  } catch (e) {
    expect((e as { extensions?: { code?: string } }).extensions?.code).toBe('BAD_USER_INPUT');
    return false;
  }
}

const good = containerNo('MSK', '123456');
const badDigit = good.slice(0, 10) + ((Number(good[10]) + 1) % 10);

describe("the console's compose rules agree with the hub's checks", () => {
  const goods = (hsCode: string, quantity = 10) => [{ category: 'SHOES', description: 'trainers', hsCode, quantity, unit: 'pairs' }];

  test.each<[string, string, (v: string) => Problem | null, (v: string) => Record<string, unknown>]>([
    ['container', good, containerRule, (v) => ({ containerNumbers: [v] })],
    ['container (lower case, spaced)', `${good.slice(0, 4).toLowerCase()} ${good.slice(4, 10)}-${good[10]}`, containerRule, (v) => ({ containerNumbers: [v] })],
    ['container, bad check digit', badDigit, containerRule, (v) => ({ containerNumbers: [v] })],
    ['container, too short', 'MSKU12345', containerRule, (v) => ({ containerNumbers: [v] })],
    ['container, category X', 'MSKX1234565', containerRule, (v) => ({ containerNumbers: [v] })],
    ['LOCODE', 'CNSHK', locodeRule, (v) => ({ portOfLoading: v })],
    ['LOCODE with a space, lower case', 'hk hkg', locodeRule, (v) => ({ portOfLoading: v })],
    ['LOCODE, unknown country', 'XXSHK', locodeRule, (v) => ({ portOfLoading: v })],
    ['LOCODE, digit 1 in the place', 'CNSH1', locodeRule, (v) => ({ portOfDischarge: v })],
    ['LOCODE, too long', 'CNSHKX', locodeRule, (v) => ({ portOfDischarge: v })],
    ['HS code', '8518.22', hsCodeRule, (v) => ({ goods: goods(v) })],
    ['HS code, 10 digits', '8542310000', hsCodeRule, (v) => ({ goods: goods(v) })],
    ['HS code, 4 digits', '8518', hsCodeRule, (v) => ({ goods: goods(v) })],
    ['HS code, letters', '85AB22', hsCodeRule, (v) => ({ goods: goods(v) })],
    ['country', 'MO', countryRule, (v) => ({ originCountry: v })],
    ['country, lower case', 'hk', countryRule, (v) => ({ destinationCountry: v })],
    ['country, unknown', 'ZZ', countryRule, (v) => ({ originCountry: v })],
    ['country, alpha-3', 'CHN', countryRule, (v) => ({ originCountry: v })],
    ['consignor country, unknown', 'UK', countryRule, (v) => ({ consignor: { name: 'A', country: v } })],
    ['title at the limit', 'x'.repeat(200), (v) => textRule(v, 200, true), (v) => ({ title: v })],
    ['title over the limit', 'x'.repeat(201), (v) => textRule(v, 200, true), (v) => ({ title: v })],
    ['title of spaces', '   ', (v) => textRule(v, 200, true), (v) => ({ title: v })],
    ['quantity 0', '0', (v) => quantityRule(v), (v) => ({ goods: [{ ...goods('851822')[0], quantity: Number(v) }] })],
    ['quantity 3', '3', (v) => quantityRule(v), (v) => ({ goods: [{ ...goods('851822')[0], quantity: Number(v) }] })],
  ])('%s: %s', (_what, value, rule, overrides) => {
    expect(rule(value) === null).toBe(hubAccepts(overrides(value)));
  });

  test('the table has both outcomes for every code (a rule that accepts everything would fail it)', () => {
    expect([containerRule(good), containerRule(badDigit), locodeRule('CNSHK'), locodeRule('XXSHK'), countryRule('MO'), countryRule('ZZ')].map((p) => p === null)).toEqual([
      true, false, true, false, true, false,
    ]);
  });

  test('a bad check digit names the digit it should be', () => {
    expect(containerRule(badDigit)).toEqual({ key: 'pages.compose.rules.containerCheckDigit', params: { number: badDigit, expected: containerCheckDigit(good.slice(0, 10)) } });
    expect(containerRule('TSTU104528')).toEqual({ key: 'pages.compose.rules.containerShape', params: { number: 'TSTU104528' } });
  });

  test('every message key the rules give, and every compared field, is in the locale files', () => {
    const en = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'console', 'i18n', 'locales', 'en.json'), 'utf8'));
    const has = (key: string) => key.split('.').reduce((o, p) => (o == null ? o : o[p]), en) != null;
    const keys = [containerRule(badDigit), containerRule('x'), locodeRule('x'), hsCodeRule('x'), countryRule('x'), textRule('', 1, true), textRule('xx', 1, true), quantityRule(0)].map((p) => p!.key);
    expect(keys.filter((k) => !has(k))).toEqual([]);
    expect(COMPARED_FIELDS.map((f) => `pages.compose.fields.${f}`).filter((k) => !has(k))).toEqual([]);
  });

  test('the form offers the status moves the hub allows, and withdrawal from the states it allows', () => {
    for (const from of ['DRAFT', 'PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED', 'WITHDRAWN'] as const) {
      for (const to of statusMoves(from)) expect([from, to, canMove(from, to as never)]).toEqual([from, to, true]);
    }
    expect(statusMoves('UNDER_INSPECTION')).toEqual(['SEIZED', 'CLEARED']);
    expect(statusMoves('DRAFT')).toEqual([]); // publishing is its own action
    expect(['DRAFT', 'PUBLISHED', 'CLOSED', 'WITHDRAWN'].map(canWithdraw)).toEqual([false, true, true, false]);
  });

  test('form values made from a stored alert give back the same input, and differ only where edited', () => {
    const stored = {
      ...(alertInput() as { title: string }),
      containerNumbers: [containerNo('TST', '104528')],
      goods: [{ category: 'AUDIO_EQUIPMENT', description: 'Bluetooth speakers', hsCode: '851822', quantity: 29500, unit: 'pcs' }],
      consignor: { name: 'Shenzhen Trading Co.', address: null, country: 'CN', identifier: '9144030000000001' },
      distribution: { scope: 'SELECTED_AGENCIES', agencies: [{ code: 'HK' }] },
    };
    const values = valuesFromAlert(stored as never);
    expect(differingFields(values, valuesFromAlert(stored as never))).toEqual([]);
    expect(createInputFrom(values)).toMatchObject({ title: stored.title, containerNumbers: stored.containerNumbers, distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } });
    expect(hubAccepts(createInputFrom(values))).toBe(true);
    const edited = { ...values, title: 'Another title', portOfLoading: 'cn shk', goods: [{ ...values.goods![0], hsCode: '8518.22' }] };
    // The same LOCODE and HS code typed another way are no difference; the title is.
    expect(differingFields(values, edited)).toEqual(['title']);
  });

  test("reapplying edits on a newer version keeps the other person's change to fields the person did not touch", () => {
    const base = { title: 'A', summary: 'S', riskLevel: 'LOW', containerNumbers: [] as string[] };
    const mine = { ...base, summary: 'S mine', riskLevel: 'HIGH' };
    const newer = { ...base, title: 'A theirs', riskLevel: 'MEDIUM' };
    expect(rebase(base, mine, newer)).toEqual({ title: 'A theirs', summary: 'S mine', riskLevel: 'HIGH', containerNumbers: [] });
  });

  test("a hub error's input path points at the form's field", () => {
    expect(fieldPath('input.goods[0].hsCode')).toEqual(['goods', 0, 'hsCode']);
    expect(fieldPath('input.containerNumbers[3]')).toEqual(['containerNumbers']);
    expect(fieldPath('input.consignor.country')).toEqual(['consignor', 'country']);
    expect(fieldPath('distribution.agencies')).toEqual(['distribution', 'agencies']);
    expect(fieldPath('id')).toBeNull();
    expect(fieldPath(undefined)).toBeNull();
  });
});
