import { addressWords, partyNameWords } from './identifier-normalize';

/*
 * Near matches of consignee names and addresses, for shipment clusters. Match keys
 * (match-keys.ts) join spellings that normalization folds into one; a record that adds or
 * leaves off a region ("…, Kowloon, Hong Kong"), or writes a name's words in another order,
 * gets another key. Such values are compared here, in the hub's process and only among alerts
 * whose consignee the viewer may read itself: a near match never looks at a withheld value.
 *
 * What must never be joined: another flat, floor or block of the same building ("Flat 3,
 * 12/F" and "Flat 4, 12/F", "Flat A" and "Flat C"). Two addresses are compared only when
 * their designators (every run of digits, every single letter standing as a word: flat,
 * floor, block, street number) are the same, whatever the rest says.
 */

/** A consignee the viewer may read, as written on one alert. */
export interface NearCandidate {
  id: string;
  name: string | null;
  address: string | null;
}

/** Two alerts whose consignee's name or address nearly match. */
export interface NearLink {
  a: string;
  b: string;
  kind: 'PARTY_NAME' | 'ADDRESS';
}

/** Buckets larger than this are too common to tell anything (a forwarder's warehouse, a mall): not compared. */
export const NEAR_BUCKET_LIMIT = 50;
/** The shorter of two addresses, one the other's start or end, must be at least this share of the longer. */
const CONTAINED_SHARE = 0.6;
/** …and this long (normalized characters): "rm3" is no address. */
const CONTAINED_MIN = 12;
/** Character-bigram Dice coefficient at or above which two addresses of the same designators are one. */
const DICE_MIN = 0.88;

interface ReadAddress {
  id: string;
  compact: string;
  designators: string;
}

/** The designators of an address: its digit runs and single-letter words, sorted. Empty when it has none. */
export function addressDesignators(words: readonly string[]): string {
  const out: string[] = [];
  for (const w of words) {
    if (/^[a-z]$/.test(w)) out.push(w);
    for (const d of w.match(/\d+/g) ?? []) out.push(String(Number(d)));
  }
  return out.sort().join(' ');
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const chars = [...s];
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Sørensen–Dice over character bigrams (with multiplicity), 0 to 1. */
export function bigramDice(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  let total = 0;
  for (const [g, n] of x) {
    common += Math.min(n, y.get(g) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

/**
 * Whether two addresses (raw, as written) are near: the same designators, and one the other's
 * start or end (a region added or left off) or nearly the same characters. Equal normalized
 * addresses are near too (their keys are equal anyway).
 */
export function addressesNear(x: string, y: string): boolean {
  const a = readAddress('', x);
  const b = readAddress('', y);
  return a !== null && b !== null && a.designators === b.designators && compactNear(a.compact, b.compact);
}

function compactNear(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= CONTAINED_MIN && short.length >= CONTAINED_SHARE * long.length && (long.startsWith(short) || long.endsWith(short))) return true;
  return bigramDice(a, b) >= DICE_MIN;
}

function readAddress(id: string, raw: string): ReadAddress | null {
  const words = addressWords(raw);
  const designators = addressDesignators(words);
  // Without a number there is nothing to keep two flats apart: such an address is not near-matched.
  if (!/\d/.test(designators)) return null;
  return { id, compact: words.join(''), designators };
}

/** A name as a set of words, in order of their spelling: "Chan Tai Man" and "Tai Man, CHAN" are one. */
export function nameSetKey(raw: string): string | null {
  const words = partyNameWords(raw);
  return words.length >= 2 ? [...words].sort().join(' ') : null;
}

/**
 * The near links among `candidates`: addresses with the same designators that nearly match,
 * and names of the same words in another order. Links whose normalized values are equal are
 * left out (their match keys link them already). Compares within buckets only (same
 * designators; same word set), so the cost grows with the candidates, not their square.
 */
export function nearLinks(candidates: readonly NearCandidate[]): NearLink[] {
  const links: NearLink[] = [];
  const byDesignators = new Map<string, ReadAddress[]>();
  const byNameSet = new Map<string, { id: string; compact: string }[]>();
  for (const c of candidates) {
    if (c.address) {
      const a = readAddress(c.id, c.address);
      if (a) {
        let bucket = byDesignators.get(a.designators);
        if (!bucket) byDesignators.set(a.designators, (bucket = []));
        bucket.push(a);
      }
    }
    if (c.name) {
      const key = nameSetKey(c.name);
      if (key) {
        let bucket = byNameSet.get(key);
        if (!bucket) byNameSet.set(key, (bucket = []));
        bucket.push({ id: c.id, compact: partyNameWords(c.name).join('') });
      }
    }
  }
  for (const bucket of byDesignators.values()) {
    if (bucket.length < 2 || bucket.length > NEAR_BUCKET_LIMIT) continue;
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        const [p, q] = [bucket[i], bucket[j]];
        if (p.id !== q.id && p.compact !== q.compact && compactNear(p.compact, q.compact)) links.push({ a: p.id, b: q.id, kind: 'ADDRESS' });
      }
    }
  }
  for (const bucket of byNameSet.values()) {
    if (bucket.length < 2 || bucket.length > NEAR_BUCKET_LIMIT) continue;
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        const [p, q] = [bucket[i], bucket[j]];
        if (p.id !== q.id && p.compact !== q.compact) links.push({ a: p.id, b: q.id, kind: 'PARTY_NAME' });
      }
    }
  }
  return links;
}
