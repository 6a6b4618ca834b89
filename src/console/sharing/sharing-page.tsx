import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { AgencyAccessLog } from './agency-access-log';
import { AgreementMatrix } from './agreement-matrix';

/**
 * Sharing administration (ADMIN): the agency's agreements at /sharing, the log of partners'
 * reads of its alerts at /sharing/access-log. The menu offers it to ADMINs only, and
 * app/role-gate.tsx answers anyone else; the hub refuses both to other roles regardless.
 */
export function SharingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const active = location.pathname.replace(/\/+$/, '').endsWith('/access-log') ? 'access-log' : 'agreements';
  return (
    <>
      <Typography.Title level={1}>{t('pages.sharing.title')}</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(k === 'access-log' ? '/sharing/access-log' : '/sharing')}
        items={[
          { key: 'agreements', label: t('pages.sharing.agreementsTab') },
          { key: 'access-log', label: t('pages.sharing.logTab') },
        ]}
      />
      <Routes>
        <Route index element={<AgreementMatrix />} />
        <Route path="access-log" element={<AgencyAccessLog />} />
      </Routes>
    </>
  );
}
