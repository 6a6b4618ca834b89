import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { PagePlaceholder } from '../components/page-placeholder';
import { createHubClient } from '../graphql/apollo';
import { antdLocale } from '../i18n/antd-locale';
import { SignInPage } from '../sign-in/sign-in-page';
import { SessionProvider, useSession } from '../sign-in/session-context';
import { AppShell } from './app-shell';
import { CONSOLE_THEME } from './theme';
import { HOME_PATH, PAGES } from './pages';

/** Signed in: the pages, with an Apollo Client for this session's token. Not signed in: the sign-in page, whatever the URL. */
function Routed() {
  const { session, signOut } = useSession();
  const token = session?.token;
  const client = useMemo(() => (token ? createHubClient(token, () => signOut('refused')) : undefined), [token, signOut]);
  useEffect(() => () => client?.dispose(), [client]);
  if (!client) return <SignInPage />;
  return (
    <ApolloProvider client={client.apollo}>
      <Routes>
        <Route element={<AppShell />}>
          <Route index element={<Navigate to={HOME_PATH} replace />} />
          {PAGES.map((p) => (
            <Route key={p.key} path={`${p.path}/*`} element={p.element} />
          ))}
          <Route path="*" element={<PagePlaceholder titleKey="pages.notFound.title" />} />
        </Route>
      </Routes>
    </ApolloProvider>
  );
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
