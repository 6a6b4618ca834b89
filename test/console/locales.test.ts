import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDateTime, formatTime, fromHubWallClock, hubWallClock } from '../../src/console/i18n/datetime';
import { toLanguage } from '../../src/console/i18n/languages';

const CONSOLE = join(__dirname, '..', '..', 'src', 'console');
const LOCALES = join(CONSOLE, 'i18n', 'locales');

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const locale = (code: string) => JSON.parse(readFileSync(join(LOCALES, `${code}.json`), 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'gql' ? [] : sources(join(dir, e.name))) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('console strings', () => {
  test('the four locale files have exactly the same keys, none empty', () => {
    expect(readdirSync(LOCALES).sort()).toEqual(['en.json', 'pt.json', 'zh-Hans.json', 'zh-Hant.json']);
    const en = keys(locale('en')).sort();
    expect(en.length).toBeGreaterThan(20);
    for (const code of ['zh-Hans', 'zh-Hant', 'pt']) {
      const other = keys(locale(code)).sort();
      expect({ code, missing: en.filter((k) => !other.includes(k)), extra: other.filter((k) => !en.includes(k)) }).toEqual({ code, missing: [], extra: [] });
      const values = locale(code);
      for (const k of other) expect([code, k, k.split('.').reduce((o, p) => o[p], values).trim() === '']).toEqual([code, k, false]);
    }
  });

  test('every literal key the console passes to t() or titleKey/labelKey is in the locale files', () => {
    const en = new Set(keys(locale('en')));
    const used = new Set<string>();
    for (const file of sources(CONSOLE)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/(?:titleKey|labelKey)(?:=|:\s*)["']([\w.]+)["']/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((k) => !en.has(k))).toEqual([]);
  });

  test('a browser language maps to a console language', () => {
    expect(['zh-HK', 'zh-MO', 'zh-TW', 'zh-Hant', 'zh-Hant-HK', 'zh-CN', 'zh', 'zh-Hans-CN', 'pt-BR', 'pt-PT', 'pt', 'en-US', 'fr'].map(toLanguage)).toEqual([
      'zh-Hant', 'zh-Hant', 'zh-Hant', 'zh-Hant', 'zh-Hant', 'zh-Hans', 'zh-Hans', 'zh-Hans', 'pt', 'pt', 'pt', 'en', undefined,
    ]);
  });

  test('dates and times are shown in UTC+8, with the zone, whatever the language', () => {
    // 16:30 UTC is 00:30 the next day in the Greater Bay Area.
    const at = '2026-03-01T16:30:00Z';
    // ICU versions differ in separators (a comma, a narrow space): the date, the time and the zone do not.
    expect(formatDateTime(at, 'en')).toMatch(/^02\/03\/2026,?\s00:30 UTC\+8$/u);
    expect(formatDateTime(at, 'zh-Hans')).toMatch(/^2026\/03\/02\s00:30 UTC\+8$/u);
    expect(formatDateTime(at, 'zh-Hant')).toMatch(/^02\/03\/2026\s00:30 UTC\+8$/u);
    expect(formatDateTime(at, 'pt')).toMatch(/^02\/03\/2026,?\s00:30 UTC\+8$/u);
    expect(formatTime(at, 'en')).toBe('00:30:00 UTC+8');
    expect(() => formatDateTime('not a date', 'en')).toThrow(RangeError);
  });

  test("a date-time picker's wall clock is UTC+8's, and goes back to the same instant", () => {
    // 06:30 on 3 July in the Greater Bay Area is 22:30 UTC the day before.
    expect(hubWallClock('2026-07-02T22:30:00Z')).toEqual({ year: 2026, month: 7, day: 3, hour: 6, minute: 30 });
    expect(fromHubWallClock({ year: 2026, month: 7, day: 3, hour: 6, minute: 30 }).toISOString()).toBe('2026-07-02T22:30:00.000Z');
    // Across a year's end, and at the ends of the years the hub takes.
    expect(fromHubWallClock({ year: 2027, month: 1, day: 1, hour: 0, minute: 0 }).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(fromHubWallClock({ year: 9999, month: 12, day: 31, hour: 23, minute: 59 }).toISOString()).toBe('9999-12-31T15:59:00.000Z');
    expect(hubWallClock('0050-03-01T00:00:00Z').year).toBe(50);
    for (const iso of ['2026-03-01T16:30:00.000Z', '2024-02-29T15:59:00.000Z', '1999-12-20T00:00:00.000Z']) {
      expect(fromHubWallClock(hubWallClock(iso)).toISOString()).toBe(iso);
    }
    // Hong Kong kept summer time (UTC+9) until 1979: that summer's wall clock maps back all the same.
    expect(hubWallClock('1979-07-01T03:00:00.000Z').hour).toBe(12);
    expect(fromHubWallClock({ year: 1979, month: 7, day: 1, hour: 12, minute: 0 }).toISOString()).toBe('1979-07-01T03:00:00.000Z');
  });
});
