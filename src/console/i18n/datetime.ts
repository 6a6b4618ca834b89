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

/** A wall-clock time: what a clock in the Greater Bay Area shows (month 1–12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

let wallFormatter: Intl.DateTimeFormat | undefined;

/** The wall-clock time in UTC+8 of an instant, whatever the browser's own zone: what a date-time picker shows. */
export function hubWallClock(value: string | number | Date): WallClock {
  wallFormatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: HUB_TIME_ZONE,
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(wallFormatter.formatToParts(toDate(value)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  return { year: parts.era === 'BC' ? 1 - year : year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** Epoch milliseconds of a wall clock read as UTC (years below 100 as they are, not as 19xx). */
function asUtc(w: WallClock): number {
  const d = new Date(Date.UTC(2000, w.month - 1, w.day, w.hour, w.minute));
  d.setUTCFullYear(w.year);
  return d.getTime();
}

/**
 * The instant at which a Greater Bay Area clock shows `w`: the inverse of hubWallClock, for a
 * date-time picker's value. UTC+8 today; the zone's own offset for the rare historical dates
 * when it was not (Hong Kong kept summer time until 1979).
 */
export function fromHubWallClock(w: WallClock): Date {
  const wanted = asUtc(w);
  let at = wanted - 8 * 3_600_000;
  // At most two corrections: the offset found at the first guess, then at the corrected one.
  for (let i = 0; i < 2; i++) {
    const off = asUtc(hubWallClock(at)) - wanted;
    if (off === 0) break;
    at -= off;
  }
  return new Date(at);
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/** A month and its year in UTC+8, e.g. "March 2026", "2026年3月", "março de 2026": statistics by month. */
export function formatMonth(value: string | number | Date, language: string): string {
  let f = monthFormatters.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(language), { year: 'numeric', month: 'long', timeZone: HUB_TIME_ZONE });
    monthFormatters.set(language, f);
  }
  return f.format(toDate(value));
}
