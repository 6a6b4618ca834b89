import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { PagePlaceholder } from '../components/page-placeholder';
import { createHubClient } from '../graphql/apollo';
import { antdLocale } from '../i18n/antd-locale';
import { CALLBACK_PATH } from '../sign-in/oidc';
import { SignInCallback } from '../sign-in/sign-in-callback';
import { SignInPage } from '../sign-in/sign-in-page';
import { SessionProvider, useSession } from '../sign-in/session-context';
import { AppShell } from './app-shell';
import { RoleGate } from './role-gate';
import { CONSOLE_THEME } from './theme';
import { HOME_PATH, PAGES } from './pages';

/**
 * Signed in: the pages, with an Apollo Client for this session (it reads the current token at
 * each request, so a renewed token keeps the client and its cache). Not signed in: the sign-in
 * page, whatever the URL; `/auth/callback` completes a sign-in at an agency's provider.
 */
function Routed() {
  const { session, signOut } = useSession();
  const location = useLocation();
  const token = useRef(session?.token);
  token.current = session?.token;
  const who = session ? `${session.provider ?? 'dev'}:${session.agency}` : undefined;
  const client = useMemo(() => (who ? createHubClient(() => token.current, () => signOut('refused')) : undefined), [who, signOut]);
  useEffect(() => () => client?.dispose(), [client]);
  if (location.pathname === CALLBACK_PATH && !client) return <SignInCallback />;
  if (!client) return <SignInPage />;
  return (
    <ApolloProvider client={client.apollo}>
      <Routes>
        <Route element={<AppShell />}>
          <Route index element={<Navigate to={HOME_PATH} replace />} />
          {/* Signed in at the provider: the callback's URL (with its code) is replaced, not kept in history. */}
          <Route path={CALLBACK_PATH} element={<Navigate to={HOME_PATH} replace />} />
          {PAGES.map((p) => (
            <Route key={p.key} path={`${p.path}/*`} element={<RoleGate page={p}>{p.element}</RoleGate>} />
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
