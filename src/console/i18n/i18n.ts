import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhHans from './locales/zh-Hans.json';
import zhHant from './locales/zh-Hant.json';
import pt from './locales/pt.json';
import { DEFAULT_LANGUAGE, LANGUAGES, toLanguage } from './languages';

/** Where the language a person picked is kept (a preference, not a secret: localStorage). */
export const LANGUAGE_STORAGE_KEY = 'gba-hub.language';

/**
 * i18next with the four locale files bundled (nothing is fetched). The language is the one
 * picked in the header's switch, else the browser's first language that maps to one of ours
 * (languages.ts), else English. Keys are nested by page: `signIn.title`, `shell.menu.alerts`.
 */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, 'zh-Hans': { translation: zhHans }, 'zh-Hant': { translation: zhHant }, pt: { translation: pt } },
    supportedLngs: LANGUAGES.map((l) => l.code),
    fallbackLng: DEFAULT_LANGUAGE,
    // 'zh-Hant' is a language of its own here, not zh plus a region.
    load: 'currentOnly',
    interpolation: { escapeValue: false },
    returnNull: false,
    // A key found in no language shows as the key itself: say so where the browser tests (and a
    // developer) look, the console's errors. The four files having the same keys is a unit test.
    saveMissing: true,
    missingKeyHandler: (languages, _namespace, key) => console.error(`i18n: no text for "${key}" (${[languages].flat().join(', ')})`),
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: (tag: string) => toLanguage(tag) ?? tag,
    },
  });

/** The html element's lang follows the language (screen readers, fonts). */
i18n.on('languageChanged', (lng) => document.documentElement.setAttribute('lang', lng));
document.documentElement.setAttribute('lang', i18n.resolvedLanguage ?? DEFAULT_LANGUAGE);

export default i18n;
