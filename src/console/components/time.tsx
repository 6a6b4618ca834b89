import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n/datetime';

/** A date and time in UTC+8 with the zone shown, in the console's language, as a <time> element. */
export function DateTime({ value }: { value: string | Date }) {
  const { i18n } = useTranslation();
  const iso = value instanceof Date ? value.toISOString() : value;
  return <time dateTime={iso}>{formatDateTime(iso, i18n.resolvedLanguage ?? 'en')}</time>;
}
