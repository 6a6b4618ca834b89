import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AgencySignIn, OidcSettings } from './auth-api';
import type { Session } from './session';

/**
 * Production sign-in: the OpenID Connect authorization code flow with PKCE (S256) at the chosen
 * agency's own provider, with oidc-client-ts (docs/console-sign-in.md). The console is a public
 * client; it keeps the provider's tokens in this tab's sessionStorage only (the library's user
 * store and its PKCE state store) and sends the hub nothing but the access token.
 */

/** The agency being signed in at, kept so `/auth/callback` and a reload build the same UserManager. */
const AGENCY_KEY = 'gba-hub.oidc-agency';

/** Where the agency's provider sends the browser back with a code (served by the hub as the console). */
export const CALLBACK_PATH = '/auth/callback';

export interface OidcAgency {
  code: string;
  name: string;
  oidc: OidcSettings;
}

export function hasOidc(a: AgencySignIn): a is OidcAgency {
  return a.oidc !== undefined;
}

export function createUserManager(a: OidcAgency): UserManager {
  return new UserManager({
    authority: a.oidc.authority,
    client_id: a.oidc.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: a.oidc.scope,
    ...(a.oidc.resource ? { resource: a.oidc.resource } : {}),
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewal by refresh token, about a minute before the access token expires.
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    loadUserInfo: false,
  });
}

export function rememberAgency(a: OidcAgency): void {
  sessionStorage.setItem(AGENCY_KEY, JSON.stringify(a));
}

export function rememberedAgency(): OidcAgency | undefined {
  const raw = sessionStorage.getItem(AGENCY_KEY);
  if (!raw) return undefined;
  try {
    const a = JSON.parse(raw) as OidcAgency;
    if (typeof a.code === 'string' && typeof a.oidc?.authority === 'string' && typeof a.oidc.clientId === 'string') return a;
  } catch {
    // Damaged: forgotten below.
  }
  sessionStorage.removeItem(AGENCY_KEY);
  return undefined;
}

export function forgetAgency(): void {
  sessionStorage.removeItem(AGENCY_KEY);
}

/** The library's sessionStorage key for the user of this agency's client. */
function userKey(a: OidcAgency): string {
  return `oidc.user:${a.oidc.authority}:${a.oidc.clientId}`;
}

/** The stored user, read synchronously at start-up (the library's own getUser is async). */
export function storedUser(a: OidcAgency): User | undefined {
  const raw = sessionStorage.getItem(userKey(a));
  if (!raw) return undefined;
  try {
    const user = User.fromStorageString(raw);
    return user.expired === false ? user : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a JWT's payload, unverified: only to show what the hub will check itself. */
function jwtClaims(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The console's session from the provider's user: the access token (the bearer token) and its
 * expiry. Roles shown before the hub answers come from the access token; the header shows the
 * hub's own answer (the viewer query).
 */
export function sessionFromUser(a: OidcAgency, user: User): Session {
  const claims = jwtClaims(user.access_token);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const expiresAt = user.expires_at ? new Date(user.expires_at * 1000).toISOString() : new Date(Date.now() + 60_000).toISOString();
  const name = typeof user.profile.name === 'string' ? user.profile.name : undefined;
  return { token: user.access_token, expiresAt, agency: a.code, roles, provider: 'oidc', ...(name ? { name } : {}) };
}
