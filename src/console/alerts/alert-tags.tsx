import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertStatus, DisclosureStatus, RiskLevel } from '../gql/graphql';

const RISK_COLOURS: Record<RiskLevel, string> = { LOW: 'default', MEDIUM: 'gold', HIGH: 'orange', CRITICAL: 'red' };
const STATUS_COLOURS: Record<AlertStatus, string> = {
  DRAFT: 'default', PUBLISHED: 'blue', UNDER_INSPECTION: 'purple', SEIZED: 'red', CLEARED: 'green', CLOSED: 'default', WITHDRAWN: 'default',
};
const DISCLOSURE_COLOURS: Record<DisclosureStatus, string> = { PENDING: 'gold', APPROVED: 'green', DENIED: 'red', EXPIRED: 'default' };

export function RiskTag({ risk }: { risk: RiskLevel }) {
  const { t } = useTranslation();
  return <Tag color={RISK_COLOURS[risk]}>{t(`pages.alerts.risk.${risk}`)}</Tag>;
}

export function StatusTag({ status }: { status: AlertStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`pages.alerts.status.${status}`)}</Tag>;
}

export function DisclosureStatusTag({ status }: { status: DisclosureStatus }) {
  const { t } = useTranslation();
  return <Tag color={DISCLOSURE_COLOURS[status]}>{t(`pages.alerts.disclosure.status.${status}`)}</Tag>;
}
