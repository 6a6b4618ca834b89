/*
 * The instants a DateTime may hold. No imports: the DateTime scalar (common/scalars.ts) refuses
 * the rest, and the web console's date pickers check against the same bounds.
 */

/** Epoch milliseconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (Date.UTC reads year 1 as 1901). */
export const DATE_TIME_RANGE = { earliest: -62_135_596_800_000, latest: 253_402_300_799_999 } as const;

/**
 * True for an instant within years 1 to 9999 (UTC): PostgreSQL has no year 0, and years past
 * 9999 do not round-trip through ISO 8601's four digits.
 */
export function isDateTimeInRange(ms: number): boolean {
  return !Number.isNaN(ms) && ms >= DATE_TIME_RANGE.earliest && ms <= DATE_TIME_RANGE.latest;
}
