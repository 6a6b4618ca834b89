import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { clearSession, loadSession, saveSession, type Session } from './session';

export type SignOutReason = 'user' | 'expired' | 'refused';

interface SessionState {
  session: Session | undefined;
  /** Why the last session ended, for the sign-in page to say. */
  ended: SignOutReason | undefined;
  signIn(session: Session): void;
  signOut(reason?: SignOutReason): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** The largest delay setTimeout takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Holds the session for the app; signs out by itself when the token expires. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [ended, setEnded] = useState<SignOutReason | undefined>();

  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setEnded(undefined);
    setSession(s);
  }, []);
  const signOut = useCallback((reason: SignOutReason = 'user') => {
    clearSession();
    setEnded(reason);
    setSession(undefined);
  }, []);

  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => signOut('expired'), Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  const value = useMemo(() => ({ session, ended, signIn, signOut }), [session, ended, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
