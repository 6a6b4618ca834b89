import { Alert, Button, Card, Flex, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './session-context';

/**
 * `/auth/callback`: the agency's provider sent the browser back with a code (or an error).
 * The code is exchanged, with this tab's PKCE verifier, at the provider's token endpoint; once
 * signed in, the app replaces this URL with the home page.
 */
export function SignInCallback() {
  const { t } = useTranslation();
  const { completeSignIn } = useSession();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    completeSignIn().catch((e: unknown) => setProblem(t('signIn.callbackFailed', { message: e instanceof Error ? e.message : String(e) })));
  }, [completeSignIn, t]);

  return (
    <Flex component="main" justify="center" align="flex-start" style={{ minHeight: '100vh', padding: '64px 16px' }}>
      <Card style={{ width: 520, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('signIn.title')}
        </Typography.Title>
        {problem ? (
          <Flex vertical gap={16}>
            <Alert type="error" showIcon title={problem} role="alert" />
            {/* A fresh page load: the sign-in page, without the provider's answer in the URL. */}
            <Button href="/">{t('signIn.again')}</Button>
          </Flex>
        ) : (
          <Spin description={t('signIn.completing')}>
            <div style={{ minHeight: 80 }} />
          </Spin>
        )}
      </Card>
    </Flex>
  );
}
