/** Small statistics shared by the benchmarks. */

/**
 * The value at percentile `p` (0–100) of an ascending array, nearest rank from below
 * (index ⌊p/100 · n⌋, capped at the last); NaN for an empty array.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
