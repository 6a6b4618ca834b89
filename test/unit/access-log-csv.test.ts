import { accessLogCsv, CSV_COLUMNS, csvCell, parseCsv, type CsvColumn, type CsvEntry } from '../../src/console/sharing/access-log-csv';

const HEADERS = Object.fromEntries(CSV_COLUMNS.map((c) => [c, c.toUpperCase()])) as Record<CsvColumn, string>;
const entry = (over: Partial<CsvEntry> = {}): CsvEntry => ({
  at: '2026-05-01T02:03:04.005Z',
  partner: 'HK',
  subject: 'hk-officer',
  alertReference: 'GD-2026-000123',
  alertTitle: '深圳 speakers, "logo" plates',
  alertId: '0196a5c4-0000-7000-8000-000000000001',
  disclosed: ['CORE', 'SHIPMENT_IDENTIFIERS'],
  via: 'query',
  ...over,
});

describe('the access log as CSV', () => {
  test('every cell is quoted, inner quotes doubled, and the file reads back cell for cell', () => {
    const hostile = ['a,b', 'line\nbreak', 'cr\r\nlf', 'say "hi"', '"', '', ' padded ', '海关 officer 🛃'];
    const entries = hostile.map((subject) => entry({ subject }));
    const text = accessLogCsv(HEADERS, entries);
    expect(text.startsWith('\uFEFF"AT","PARTNER"')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(CSV_COLUMNS.map((c) => c.toUpperCase()));
    expect(rows.slice(1).map((r) => r[2])).toEqual(hostile);
    for (const r of rows.slice(1)) {
      expect(r).toHaveLength(CSV_COLUMNS.length);
      expect(r[4]).toBe('深圳 speakers, "logo" plates');
      expect(r[6]).toBe('CORE SHIPMENT_IDENTIFIERS');
    }
  });

  test('a cell a spreadsheet would run as a formula gets a leading quote; others are untouched', () => {
    for (const v of ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(v)).toBe(`"'${v.replace(/"/g, '""')}"`);
    for (const v of ['GD-2026-000123', '2026-05-01T02:03:04.005Z', 'a=b', 'x-y', '']) expect(csvCell(v)).toBe(`"${v}"`);
    const rows = parseCsv(accessLogCsv(HEADERS, [entry({ subject: '=cmd|"/c calc"!A1' })]));
    expect(rows[1][2]).toBe(`'=cmd|"/c calc"!A1`);
  });

  test('no entries: the header alone', () => {
    expect(parseCsv(accessLogCsv(HEADERS, []))).toEqual([CSV_COLUMNS.map((c) => c.toUpperCase())]);
  });
});
