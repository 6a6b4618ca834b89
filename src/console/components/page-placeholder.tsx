import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** A page's title and "not built yet": what a page folder starts from until its helper fills it in. */
export function PagePlaceholder({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={1}>{t(titleKey)}</Typography.Title>
      <Empty description={t('pages.placeholder')} />
    </>
  );
}
