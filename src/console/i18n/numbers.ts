import { intlLocale } from './languages';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * A whole number as the console's language writes it: 153,000 (en), 153 000 (pt), 153,000 (中文).
 * Counts of pieces and cases go through this, never Number's own toLocaleString (the browser's
 * language, not the console's).
 */
export function formatCount(value: number, language: string): string {
  let f = formatters.get(language);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 0 });
    formatters.set(language, f);
  }
  return f.format(value);
}
