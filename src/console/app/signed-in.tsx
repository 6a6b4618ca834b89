import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useMemo, useRef } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { PagePlaceholder } from '../components/page-placeholder';
import { createHubClient } from '../graphql/apollo';
import { CALLBACK_PATH } from '../sign-in/oidc';
import { useSession } from '../sign-in/session-context';
import { AppShell } from './app-shell';
import { RoleGate } from './role-gate';
import { HOME_PATH, PAGES } from './pages';

/**
 * The console once signed in: an Apollo Client for this session (it reads the current token at
 * each request, so a renewed token keeps the client and its cache), the shell and the pages.
 * A chunk of its own (app.tsx loads it lazily): the sign-in page loads neither Apollo Client nor
 * any GraphQL document.
 */
export function SignedIn() {
  const { session, signOut } = useSession();
  const token = useRef(session?.token);
  token.current = session?.token;
  const who = session ? `${session.provider ?? 'dev'}:${session.agency}` : undefined;
  const client = useMemo(() => (who ? createHubClient(() => token.current, () => signOut('refused')) : undefined), [who, signOut]);
  useEffect(() => () => client?.dispose(), [client]);
  if (!client) return null;
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
