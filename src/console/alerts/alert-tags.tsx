import { Tag, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AlertStatus, DisclosureStatus, RiskLevel } from '../gql/graphql';

// Solid tags with white text on dark colours: Ant Design's light preset tags (gold, orange, green)
// fall short of WCAG AA contrast. `undefined` is the plain grey tag.
const RED = '#a8071a';
const BROWN = '#ad4e00';
const OLIVE = '#614700';
const BLUE = '#0958d9';
const PURPLE = '#531dab';
const GREEN = '#237804';
const RISK_COLOURS: Record<RiskLevel, string | undefined> = { LOW: undefined, MEDIUM: OLIVE, HIGH: BROWN, CRITICAL: RED };
const STATUS_COLOURS: Record<AlertStatus, string | undefined> = {
  DRAFT: undefined, PUBLISHED: BLUE, UNDER_INSPECTION: PURPLE, SEIZED: RED, CLEARED: GREEN, CLOSED: undefined, WITHDRAWN: undefined,
};
const DISCLOSURE_COLOURS: Record<DisclosureStatus, string | undefined> = { PENDING: OLIVE, APPROVED: GREEN, DENIED: RED, EXPIRED: undefined };

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

/**
 * A link within the console in its primary colour: Ant Design's App styles bare links with
 * colorLink (#1677ff, from colorInfo), short of WCAG AA contrast on white.
 */
export function PageLink({ to, children }: { to: string; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <Link to={to} style={{ color: token.colorPrimary }}>
      {children}
    </Link>
  );
}

/** An empty table's text in the (AA-contrast) secondary colour, not Ant Design's faint placeholder grey. */
export function EmptyText({ children }: { children: ReactNode }) {
  return <Typography.Text type="secondary">{children}</Typography.Text>;
}
