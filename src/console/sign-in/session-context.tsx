import type { UserManager } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createUserManager, forgetAgency, rememberAgency, rememberedAgency, sessionFromUser, storedUser, type OidcAgency } from './oidc';
import { clearSession, loadSession, saveSession, type Session } from './session';

/** Why a session ended: signed out, token expired, refused by the hub, or renewal at the provider failed. */
export type SignOutReason = 'user' | 'expired' | 'refused' | 'renewFailed';

interface SessionState {
  session: Session | undefined;
  /** Why the last session ended, for the sign-in page to say. */
  ended: SignOutReason | undefined;
  /** Development: keep the token the hub signed. */
  signIn(session: Session): void;
  /** Production: off to the agency's provider (authorization code flow with PKCE). */
  signInAt(agency: OidcAgency): Promise<void>;
  /** Production, on `/auth/callback`: exchange the code for tokens and sign in. */
  completeSignIn(): Promise<void>;
  signOut(reason?: SignOutReason): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** The largest delay setTimeout takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Provider {
  agency: OidcAgency;
  manager: UserManager;
}

/** The agency's provider when this tab signed in (or is signing in) there. */
function restoreProvider(): Provider | undefined {
  const agency = rememberedAgency();
  return agency ? { agency, manager: createUserManager(agency) } : undefined;
}

function initialSession(provider: Provider | undefined): Session | undefined {
  if (provider) {
    const user = storedUser(provider.agency);
    return user ? sessionFromUser(provider.agency, user) : undefined;
  }
  return loadSession();
}

/** `signinRedirectCallback` once per page load, even when React runs effects twice. */
let callbackDone: Promise<Session> | undefined;

/**
 * Holds the session for the app. A development token: signs out at its expiry. A provider's
 * token: oidc-client-ts renews it by refresh token a minute before expiry; when renewal fails
 * or the token expires anyway, signs out locally with a message.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [provider, setProvider] = useState<Provider | undefined>(restoreProvider);
  const [session, setSession] = useState<Session | undefined>(() => initialSession(provider));
  const [ended, setEnded] = useState<SignOutReason | undefined>();

  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setEnded(undefined);
    setSession(s);
  }, []);

  const signOut = useCallback(
    (reason: SignOutReason = 'user') => {
      clearSession();
      if (provider) {
        provider.manager.stopSilentRenew();
        forgetAgency();
        if (reason === 'user') {
          // Ends the provider's session too (end_session_endpoint with id_token_hint); back at `/`.
          void provider.manager.signoutRedirect().catch(() => provider.manager.removeUser());
        } else {
          void provider.manager.removeUser();
        }
        setProvider(undefined);
      }
      setEnded(reason);
      setSession(undefined);
    },
    [provider],
  );

  const signInAt = useCallback(async (agency: OidcAgency) => {
    rememberAgency(agency);
    const manager = createUserManager(agency);
    await manager.signinRedirect();
  }, []);

  const completeSignIn = useCallback(async () => {
    if (!provider) throw new Error('no sign-in under way in this tab');
    callbackDone ??= provider.manager.signinRedirectCallback().then((user) => sessionFromUser(provider.agency, user));
    const s = await callbackDone;
    setEnded(undefined);
    setSession(s);
  }, [provider]);

  // The provider's events: a renewed token replaces the session's; failure or expiry signs out.
  useEffect(() => {
    if (!provider) return;
    const { manager, agency } = provider;
    const loaded = (user: Parameters<Parameters<UserManager['events']['addUserLoaded']>[0]>[0]) => setSession(sessionFromUser(agency, user));
    const renewFailed = () => signOut('renewFailed');
    const expired = () => signOut('expired');
    manager.events.addUserLoaded(loaded);
    manager.events.addSilentRenewError(renewFailed);
    manager.events.addAccessTokenExpired(expired);
    manager.startSilentRenew();
    return () => {
      manager.events.removeUserLoaded(loaded);
      manager.events.removeSilentRenewError(renewFailed);
      manager.events.removeAccessTokenExpired(expired);
      manager.stopSilentRenew();
    };
  }, [provider, signOut]);

  // A backstop for both kinds: nothing is sent with a token past its expiry.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => signOut('expired'), Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  const value = useMemo(() => ({ session, ended, signIn, signInAt, completeSignIn, signOut }), [session, ended, signIn, signInAt, completeSignIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
