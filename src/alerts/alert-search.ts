/*
 * Turns what an officer types into a PostgreSQL tsquery that matches the search vector kept by
 * the database (migrations/Migration20261128200249.ts): `simple` words, lower-cased, the last
 * one matched as a prefix; runs of Chinese (CJK) characters as their adjacent pairs, all
 * required. The query is built from letters and digits only, each quoted, so nothing typed
 * can inject tsquery operators.
 */

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
/** Words as the `simple` parser sees them: letters and digits (CJK handled apart). */
const WORD = /[\p{L}\p{N}]+/gu;

/** Longest search text accepted, in characters. */
export const MAX_SEARCH_TEXT = 200;

function quote(lexeme: string): string {
  // Lexemes are letters and digits only: no quote or backslash can occur.
  return `'${lexeme}'`;
}

/**
 * @returns a tsquery text, or null when the search holds no letter or digit at all.
 */
export function toTsQuery(search: string): string | null {
  const terms: string[] = [];
  const cjkRuns = search.match(CJK) ?? [];
  const latin = search.replace(CJK, ' ');
  const words = (latin.match(WORD) ?? []).map((w) => w.toLowerCase());
  words.forEach((w, i) => {
    // The last word may be still being typed: match it as a prefix.
    terms.push(i === words.length - 1 ? `${quote(w)}:*` : quote(w));
  });
  for (const run of cjkRuns) {
    const chars = [...run];
    if (chars.length === 1) terms.push(quote(chars[0]));
    for (let i = 0; i + 1 < chars.length; i++) terms.push(quote(chars[i] + chars[i + 1]));
  }
  return terms.length ? [...new Set(terms)].join(' & ') : null;
}
