import { LogoutOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Layout, Menu, Space, Tag, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../components/language-switch';
import { formatDateTime } from '../i18n/datetime';
import { useSession } from '../sign-in/session-context';
import { PAGES, type Role } from './pages';
import { useViewer } from './viewer';

/** The explorer's page is loaded, and left, with a full navigation: its document has its own CSP (the hub's consoleCsp). */
const EXPLORER_PATH = '/explorer';

/** The frame around every page: navigation on the left, who is signed in and the language on top. */
export function AppShell() {
  const { t, i18n } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  // The page does not wait for the hub's `viewer` (a reload's first row would wait a round trip
  // for it): until it is in, the menu offers what the session's token says the roles are.
  const { viewer, roles, error } = useViewer();
  const menuRoles = viewer ? roles : ((session?.roles ?? []) as Role[]);
  // Only the pages the viewer's roles may use are offered (RoleGate answers the rest if typed in).
  const items = PAGES.filter((p) => !p.roles || p.roles.some((r) => menuRoles.includes(r))).map((p) => ({
    key: p.path,
    icon: p.icon,
    label: p.MenuExtra ? (
      <span>
        {t(p.labelKey)} <p.MenuExtra />
      </span>
    ) : (
      t(p.labelKey)
    ),
  }));
  const selected = PAGES.find((p) => location.pathname === p.path || location.pathname.startsWith(`${p.path}/`))?.path;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: token.colorBgContainer, paddingInline: 24, borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
        <Flex align="center" justify="space-between" style={{ height: '100%' }} gap={16}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.name')}
          </Typography.Text>
          <Space size="middle" wrap>
            {viewer && (
              <Space size="small" aria-label={t('shell.signedInAs', { subject: viewer.subject })} role="group">
                <Tooltip title={viewer.agency.name}>
                  <Tag color="blue" aria-label={`${t('shell.agency')}: ${viewer.agency.code} — ${viewer.agency.name}`}>
                    {viewer.agency.code}
                  </Tag>
                </Tooltip>
                <span aria-label={t('shell.roles')}>
                  {roles.map((r) => (
                    <Tag key={r}>{t(`roles.${r}`)}</Tag>
                  ))}
                </span>
              </Space>
            )}
            {session && (
              <Typography.Text type="secondary">{t('shell.sessionEnds', { time: formatDateTime(session.expiresAt, i18n.resolvedLanguage ?? 'en') })}</Typography.Text>
            )}
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => signOut('user')}>
              {t('shell.signOut')}
            </Button>
          </Space>
        </Flex>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={220} breakpoint="lg" collapsedWidth={0} style={{ background: token.colorBgContainer }}>
          <nav aria-label={t('shell.navigation')}>
            <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={({ key }) => (key === EXPLORER_PATH || location.pathname.startsWith(EXPLORER_PATH) ? window.location.assign(key) : navigate(key))} style={{ borderInlineEnd: 0 }} />
          </nav>
        </Layout.Sider>
        {/* Layout.Content is the page's <main>. */}
        <Layout.Content style={{ padding: 24 }}>
          {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} style={{ marginBottom: 16 }} />}
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
