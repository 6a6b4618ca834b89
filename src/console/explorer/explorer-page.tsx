import { Flex, Spin, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

/** GraphiQL with Monaco is large: loaded only when someone opens the explorer. */
const HubGraphiQL = lazy(() => import('./hub-graphiql'));

/**
 * `/explorer`: GraphiQL, bundled (no CDN), on the signed-in token, with the schema the build
 * embedded, so that it works on a hub with introspection off (production).
 */
export function ExplorerPage() {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8} style={{ height: 'calc(100vh - 64px - 48px)' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('pages.explorer.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('pages.explorer.intro')}</Typography.Text>
      <div style={{ flex: 1, minHeight: 480 }} aria-label={t('pages.explorer.title')} role="region">
        <Suspense fallback={<Spin description={t('pages.explorer.loading')}><div style={{ minHeight: 80 }} /></Spin>}>
          <HubGraphiQL />
        </Suspense>
      </div>
    </Flex>
  );
}
