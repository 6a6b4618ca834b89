import { App as AntApp, ConfigProvider } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, useLocation } from 'react-router';
import { antdLocale } from '../i18n/antd-locale';
import { CALLBACK_PATH } from '../sign-in/oidc';
import { SignInCallback } from '../sign-in/sign-in-callback';
import { SignInPage } from '../sign-in/sign-in-page';
import { SessionProvider, useSession } from '../sign-in/session-context';
import { SignedIn } from './load-signed-in';
import { CONSOLE_THEME } from './theme';

/**
 * Signed in: the pages (a lazy chunk). Not signed in: the sign-in page, whatever the URL;
 * `/auth/callback` completes a sign-in at an agency's provider.
 */
function Routed() {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return location.pathname === CALLBACK_PATH ? <SignInCallback /> : <SignInPage />;
  return <SignedIn />;
}

/** Ant Design's locale follows the console's language; its run-time styles carry the page's CSP nonce. */
function Localized({ nonce }: { nonce: string | undefined }) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const locale = useMemo(() => antdLocale(language), [language]);
  return (
    <ConfigProvider locale={locale} csp={nonce ? { nonce } : undefined} theme={CONSOLE_THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <Routed />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App({ nonce }: { nonce: string | undefined }) {
  return (
    <SessionProvider>
      <Localized nonce={nonce} />
    </SessionProvider>
  );
}
