/**
 * The signed-in session: the hub's bearer token and what it says. Kept in sessionStorage (this
 * tab only, gone when it closes), never in localStorage, and cleared on sign-out and at the
 * token's expiry.
 */
export interface Session {
  token: string;
  /** ISO time the token expires (its `exp`). */
  expiresAt: string;
  agency: string;
  roles: string[];
  /** 'oidc': from the agency's provider (oidc-client-ts keeps it); absent: a development token. */
  provider?: 'oidc';
  /** The person's name from the ID token, when the provider gave one. */
  name?: string;
}

export const SESSION_STORAGE_KEY = 'gba-hub.session';

export function loadSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_STORAGE_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token === 'string' && Date.parse(session.expiresAt) > now) return session;
  } catch {
    // A damaged entry is dropped like an expired one.
  }
  sessionStorage.removeItem(SESSION_STORAGE_KEY);
  return undefined;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_STORAGE_KEY);
}
