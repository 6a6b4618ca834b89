/**
 * The console's languages. A browser's language tag maps to one of them (zh-HK → 繁體中文,
 * zh-CN → 简体中文, pt-BR → Português …); anything else falls back to English.
 */
export const LANGUAGES = [
  { code: 'en', label: 'English', intl: 'en-GB' },
  { code: 'zh-Hans', label: '简体中文', intl: 'zh-Hans-CN' },
  { code: 'zh-Hant', label: '繁體中文', intl: 'zh-Hant-HK' },
  { code: 'pt', label: 'Português', intl: 'pt-PT' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const DEFAULT_LANGUAGE: Language = 'en';

/** The console language for a BCP 47 tag, or undefined when none fits. */
export function toLanguage(tag: string | undefined | null): Language | undefined {
  if (!tag) return undefined;
  const t = tag.toLowerCase();
  if (t === 'zh' || t.startsWith('zh-')) {
    // Traditional script: named, or implied by Hong Kong, Macao and Taiwan.
    return /^zh-(hant|hk|mo|tw)\b/.test(t) ? 'zh-Hant' : 'zh-Hans';
  }
  if (t === 'pt' || t.startsWith('pt-')) return 'pt';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return undefined;
}

/** The tag Intl formats with, for a console language. */
export function intlLocale(language: string): string {
  return LANGUAGES.find((l) => l.code === language)?.intl ?? 'en-GB';
}
