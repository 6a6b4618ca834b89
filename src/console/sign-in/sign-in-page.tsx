import { Alert, Button, Card, Checkbox, Flex, Form, Radio, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/language-switch';
import { loadSignedIn } from '../app/load-signed-in';
import { HOME_PATH, preloadPageAt } from '../app/page-code';
import { authConfigIfLoaded, fetchAuthConfig, HubRequestError, requestDevToken, type AuthConfig } from './auth-api';
import { hasOidc, type OidcAgency } from './oidc';
import { useSession } from './session-context';

const ROLES = ['OBSERVER', 'ANALYST', 'COORDINATOR', 'ADMIN'] as const;

interface DevSignInForm {
  agency: string;
  roles: string[];
}

/**
 * Sign-in. On development identity: pick an agency and roles, and the hub signs a token
 * (POST /auth/dev-token). In production: pick an agency, and its own identity provider signs
 * the person in (authorization code flow with PKCE; only agencies with `oidc` settings are offered).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { signIn, signInAt, ended } = useSession();
  const [config, setConfig] = useState<AuthConfig | undefined>(authConfigIfLoaded);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetchAuthConfig().then(setConfig, (e: HubRequestError) => setProblem(t('signIn.unavailable', { message: e.message })));
  }, [t]);

  // Usable: the signed-in console and the page signing in lands on load while the person picks
  // (from the browser's first idle moment).
  const usable = config !== undefined;
  useEffect(() => {
    if (!usable) return;
    const idle = requestIdleCallback(
      () => {
        void loadSignedIn().catch(() => undefined);
        preloadPageAt(HOME_PATH);
      },
      { timeout: 500 },
    );
    return () => cancelIdleCallback(idle);
  }, [usable]);

  const submit = async (values: DevSignInForm) => {
    setBusy(true);
    setProblem(undefined);
    try {
      signIn(await requestDevToken(values.agency, values.roles));
    } catch (e) {
      setProblem(t('signIn.failed', { message: e instanceof Error ? e.message : String(e) }));
      setBusy(false);
    }
  };

  const startAt = async (agency: OidcAgency) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await signInAt(agency);
    } catch (e) {
      setProblem(t('signIn.failed', { message: e instanceof Error ? e.message : String(e) }));
      setBusy(false);
    }
  };
  const oidcAgencies = config?.agencies.filter(hasOidc) ?? [];

  return (
    <Flex component="main" justify="center" align="flex-start" style={{ minHeight: '100vh', padding: '64px 16px' }}>
      <Card style={{ width: 520, maxWidth: '100%' }}>
        <Flex justify="space-between" align="center">
          <Typography.Text strong>{t('app.name')}</Typography.Text>
          <LanguageSwitch />
        </Flex>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('signIn.title')}
        </Typography.Title>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {(ended === 'expired' || ended === 'renewFailed') && <Alert type="info" showIcon title={t('signIn.sessionExpired')} role="status" />}
          {problem && <Alert type="error" showIcon title={problem} role="alert" />}
          {!config && !problem && <Spin />}
          {config?.mode === 'production' && (
            <>
              <Typography.Paragraph>{t('signIn.production')}</Typography.Paragraph>
              {oidcAgencies.length === 0 && <Alert type="warning" showIcon title={t('signIn.noProvider')} />}
              <div role="group" aria-label={t('signIn.agency')}>
                <Flex vertical gap={8}>
                  {oidcAgencies.map((a) => (
                    <Button key={a.code} block size="large" loading={busy} onClick={() => void startAt(a)}>
                      {t('signIn.atAgency', { code: a.code, name: a.name })}
                    </Button>
                  ))}
                </Flex>
              </div>
            </>
          )}
          {config?.mode === 'development' && (
            <>
              <Typography.Paragraph type="secondary">{t('signIn.development')}</Typography.Paragraph>
              <Form<DevSignInForm> layout="vertical" onFinish={submit} initialValues={{ roles: [] }} requiredMark={false}>
                <Form.Item name="agency" label={t('signIn.agency')} rules={[{ required: true, message: t('signIn.agencyRequired') }]}>
                  <Radio.Group>
                    <Space orientation="vertical">
                      {config.agencies.map((a) => (
                        <Radio key={a.code} value={a.code}>
                          {a.code} — {a.name}
                        </Radio>
                      ))}
                    </Space>
                  </Radio.Group>
                </Form.Item>
                <Form.Item name="roles" label={t('signIn.roles')} rules={[
                    // A validator, not `required`: antd would put aria-required on the checkbox group's div, which ARIA does not allow.
                    { validator: (_, roles?: string[]) => (roles?.length ? Promise.resolve() : Promise.reject(new Error(t('signIn.rolesRequired')))) },
                  ]}>
                  <Checkbox.Group options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('signIn.submit')}
                </Button>
              </Form>
            </>
          )}
        </Space>
      </Card>
    </Flex>
  );
}
