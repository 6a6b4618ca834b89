import { Result, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsolePage } from './pages';
import { useViewer } from './viewer';

/**
 * A page for some roles only, opened by someone without them (a typed or kept URL: the menu
 * does not offer it): the page's title and a plain "not allowed", naming the roles it is for,
 * and nothing of the page itself (none of its queries run). The hub refuses the page's
 * operations to these roles anyway; this only saves the person a page of errors.
 */
export function RoleGate({ page, children }: { page: ConsolePage; children: ReactNode }) {
  const { t } = useTranslation();
  const { roles, viewer } = useViewer();
  if (!page.roles || page.roles.some((r) => roles.includes(r))) return <>{children}</>;
  // Nothing of a page for some roles before the hub's viewer is known (the shell no longer waits
  // for it); a failed viewer query shows its error in the shell.
  if (!viewer) return null;
  const list = (rs: readonly string[]) => rs.map((r) => t(`roles.${r}`)).join(', ');
  return (
    <>
      <Typography.Title level={1}>{t(page.labelKey)}</Typography.Title>
      <Result
        status="403"
        title={t('shell.forbidden.title')}
        subTitle={t(page.deniedKey ?? 'shell.forbidden.roles', { roles: list(page.roles), yours: list(roles) })}
      />
    </>
  );
}
