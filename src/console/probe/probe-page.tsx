import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { HandleRequests } from './handle-requests';
import { IdentifierCheck } from './identifier-check';

/** The tabs of the page; `?tab=requests` opens the second, so a reload or a link keeps it. */
const TABS = ['check', 'requests'] as const;
type Tab = (typeof TABS)[number];

/**
 * The identifier check at /probe (ANALYSTs: the hub refuses others): does any agency hold these
 * identifiers (matchIdentifiers), with the day's allowance; and the requests the agency made
 * through the hits it could not see (handleDisclosureRequests), with the alert once approved.
 */
export function ProbePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'requests' ? 'requests' : 'check';
  const show = (key: string) => setParams(key === 'requests' ? { tab: 'requests' } : {});
  return (
    <>
      <Typography.Title level={1}>{t('pages.probe.title')}</Typography.Title>
      <Typography.Paragraph>{t('pages.probe.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={show}
        items={[
          { key: 'check', label: t('pages.probe.tabs.check'), children: <IdentifierCheck onShowRequests={() => show('requests')} /> },
          { key: 'requests', label: t('pages.probe.tabs.requests'), children: <HandleRequests /> },
        ]}
      />
    </>
  );
}
