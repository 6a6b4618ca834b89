/*
 * Seeded randomness for demo and benchmark data: the same seed gives the same data, on every
 * machine, so a benchmark's figures and a test's expectations can be reproduced.
 */

/** mulberry32: small, fast, good enough to spread demo data. Returns numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Weighted<T> = readonly (readonly [T, number])[];

export function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

/** A whole number from `min` to `max`, both included. */
export function between(r: () => number, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

export function weighted<T>(r: () => number, table: Weighted<T>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of table) {
    if ((x -= w) < 0) return v;
  }
  return table[table.length - 1][0];
}

/** `n` random decimal digits. */
export function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
  return s;
}
