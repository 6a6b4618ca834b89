import type { Locale } from 'antd/es/locale';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import zhHK from 'antd/locale/zh_HK';
import ptPT from 'antd/locale/pt_PT';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/zh-hk';
import 'dayjs/locale/pt';
import type { Language } from './languages';

/** Ant Design's own strings (pagination, date pickers, empty states) and dayjs's, per console language. */
const ANTD: Record<Language, { antd: Locale; dayjs: string }> = {
  en: { antd: enUS, dayjs: 'en' },
  'zh-Hans': { antd: zhCN, dayjs: 'zh-cn' },
  'zh-Hant': { antd: zhHK, dayjs: 'zh-hk' },
  pt: { antd: ptPT, dayjs: 'pt' },
};

export function antdLocale(language: string): Locale {
  const entry = ANTD[language as Language] ?? ANTD.en;
  dayjs.locale(entry.dayjs);
  return entry.antd;
}
