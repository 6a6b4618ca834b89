import { intlLocale } from './languages';

/**
 * Every date and time the console shows is in the Greater Bay Area's time, UTC+8 (Guangdong,
 * Hong Kong and Macao share it, with no daylight saving), whatever the browser's own zone, and
 * says so: "UTC+8" follows each time. Use these, never Date's own toLocale… methods.
 */
export const HUB_TIME_ZONE = 'Asia/Hong_Kong';
export const HUB_ZONE_LABEL = 'UTC+8';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: string, kind: 'dateTime' | 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${language}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const parts: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { year: 'numeric', month: '2-digit', day: '2-digit' }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
          : { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(intlLocale(language), { ...parts, timeZone: HUB_TIME_ZONE });
    formatters.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return d;
}

/** Date and time to the minute, e.g. "05/12/2026, 14:51 UTC+8" (en) or "2026/12/05 14:51 UTC+8" (zh-Hant). */
export function formatDateTime(value: string | number | Date, language: string): string {
  return `${formatter(language, 'dateTime').format(toDate(value))} ${HUB_ZONE_LABEL}`;
}

/** Time of day to the second, with the zone: live feeds. */
export function formatTime(value: string | number | Date, language: string): string {
  return `${formatter(language, 'time').format(toDate(value))} ${HUB_ZONE_LABEL}`;
}

/** The calendar date in UTC+8 (no zone: a date has none to show, but it is UTC+8's date). */
export function formatDate(value: string | number | Date, language: string): string {
  return formatter(language, 'date').format(toDate(value));
}
