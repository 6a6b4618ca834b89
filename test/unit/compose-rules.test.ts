import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCreateInput } from '../../src/alerts/alert.validation';
import { canMove } from '../../src/alerts/alert-lifecycle';
import type { CreateAlertInput } from '../../src/alerts/alert.inputs';
import { containerCheckDigit } from '../../src/common/codes';
import { TAKES_ALERTS } from '../../src/common/operation-rules';
import { DateTime } from '../../src/common/scalars';
import {
  COMPARED_FIELDS,
  canWithdraw,
  containerRule,
  countryRule,
  createInputFrom,
  dateTimeRule,
  describeField,
  differingFields,
  distributionInput,
  fieldPath,
  hsCodeRule,
  locodeRule,
  operationRule,
  quantityRule,
  rebase,
  rightsHoldersRule,
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

  test('rights holders: the form allows as many as the hub takes, and no more', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `01234567-89ab-7def-8123-${String(i).padStart(12, '0')}`);
    for (const n of [0, 1, 50, 51]) {
      expect([n, rightsHoldersRule(ids(n)) === null]).toEqual([n, hubAccepts({ rightsHolderIds: ids(n) })]);
    }
  });

  test("expected arrival: the form takes the instants the hub's DateTime takes", () => {
    const scalarAccepts = (iso: string) => {
      try {
        DateTime.parseValue(iso);
        return true;
      } catch {
        return false;
      }
    };
    for (const iso of ['2026-07-02T22:30:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '0000-12-31T23:59:59.000Z']) {
      expect([iso, dateTimeRule(iso) === null]).toEqual([iso, scalarAccepts(iso)]);
    }
    expect(dateTimeRule('0000-12-31T23:59:59.000Z')).toEqual({ key: 'pages.compose.rules.dateTime' });
    expect(dateTimeRule(null)).toBeNull();
  });

  test('an OPERATION distribution: an operation is required, one whose state takes alerts, or the one the alert is shared with already', () => {
    expect(operationRule(null, null)).toEqual({ key: 'pages.compose.rules.required' });
    for (const status of ['PLANNED', 'ACTIVE', 'CONCLUDED', 'CANCELLED']) {
      expect([status, operationRule({ id: 'a', status }, null) === null]).toEqual([status, TAKES_ALERTS.includes(status as never)]);
      expect(operationRule({ id: 'a', status }, 'a')).toBeNull();
    }
    expect(distributionInput({ distribution: { scope: 'OPERATION', agencies: ['HK'], operationId: { value: 'op-1', label: 'Bridge Sound' } } })).toEqual({ scope: 'OPERATION', operationId: 'op-1' });
    expect(distributionInput({ distribution: { scope: 'ALL_PARTNERS', operationId: { value: 'op-1', label: 'Bridge Sound' } } })).toEqual({ scope: 'ALL_PARTNERS' });
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
    const keys = [
      containerRule(badDigit), containerRule('x'), locodeRule('x'), hsCodeRule('x'), countryRule('x'), textRule('', 1, true), textRule('xx', 1, true), quantityRule(0),
      rightsHoldersRule(new Array(51).fill('x')), dateTimeRule('0000-01-01T00:00:00Z'), operationRule(null, null), operationRule({ id: 'a', status: 'CONCLUDED' }, null),
    ].map((p) => p!.key);
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
      rightsHolders: [{ id: '01234567-89ab-7def-8123-456789abcdef', name: 'Harmonia Audio GmbH' }],
      expectedArrival: '2026-07-02T22:30:00.000Z',
      distribution: { scope: 'SELECTED_AGENCIES', agencies: [{ code: 'HK' }] },
    };
    const values = valuesFromAlert(stored as never);
    expect(differingFields(values, valuesFromAlert(stored as never))).toEqual([]);
    expect(createInputFrom(values)).toMatchObject({
      title: stored.title,
      containerNumbers: stored.containerNumbers,
      rightsHolderIds: ['01234567-89ab-7def-8123-456789abcdef'],
      expectedArrival: '2026-07-02T22:30:00.000Z',
      distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] },
    });
    expect(hubAccepts(createInputFrom(values))).toBe(true);
    const edited = { ...values, title: 'Another title', portOfLoading: 'cn shk', goods: [{ ...values.goods![0], hsCode: '8518.22' }] };
    // The same LOCODE and HS code typed another way are no difference; the title is.
    expect(differingFields(values, edited)).toEqual(['title']);
    // The same instant written another way is no difference; another instant, rights holder or operation is.
    expect(differingFields(values, { ...values, expectedArrival: '2026-07-03T06:30:00+08:00' })).toEqual([]);
    const moved = { ...values, expectedArrival: '2026-07-02T23:30:00.000Z', rightsHolderIds: [], distribution: { scope: 'OPERATION', operationId: { value: 'op-1', label: 'Bridge Sound 2026' } } };
    expect(differingFields(values, moved)).toEqual(['rightsHolderIds', 'expectedArrival', 'distribution']);
    // The compare view names them.
    expect(describeField(values, 'rightsHolderIds')).toBe('Harmonia Audio GmbH');
    expect(describeField(moved, 'rightsHolderIds')).toBe('—');
    expect(describeField(moved, 'distribution')).toBe('OPERATION · Bridge Sound 2026');
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
    expect(fieldPath('distribution.operationId')).toEqual(['distribution', 'operationId']);
    expect(fieldPath('input.distribution.operationId')).toEqual(['distribution', 'operationId']);
    expect(fieldPath('input.rightsHolderIds')).toEqual(['rightsHolderIds']);
    expect(fieldPath('input.expectedArrival')).toEqual(['expectedArrival']);
    expect(fieldPath('id')).toBeNull();
    expect(fieldPath(undefined)).toBeNull();
  });
});
