import type { Session } from './session';

/** An agency's public OpenID Connect settings (the hub's publicSignInConfig). */
export interface OidcSettings {
  authority: string;
  clientId: string;
  scope: string;
  resource?: string;
}

export interface AgencySignIn {
  code: string;
  name: string;
  /** Absent when the agency has no console sign-in at its own provider. */
  oidc?: OidcSettings;
}

/** `GET /auth/config`: how this hub signs people in. */
export interface AuthConfig {
  mode: 'development' | 'production';
  agencies: AgencySignIn[];
}

/** An error the hub answered with (GraphQL-shaped body), or a network failure. */
export class HubRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function hubJson<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, credentials: 'omit', headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  } catch (e) {
    throw new HubRequestError(e instanceof Error ? e.message : String(e), 'NETWORK');
  }
  const body = (await res.json().catch(() => undefined)) as { errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
  if (!res.ok) {
    const first = body?.errors?.[0];
    throw new HubRequestError(first?.message ?? `HTTP ${res.status}`, first?.extensions?.code ?? 'HTTP', res.status);
  }
  return body as T;
}

let authConfig: Promise<AuthConfig> | undefined;
let authConfigAtHand: AuthConfig | undefined;

/**
 * `GET /auth/config`, asked once per page load (start-up.ts asks before the first render); a
 * failure is asked again at the next call.
 */
export function fetchAuthConfig(): Promise<AuthConfig> {
  authConfig ??= hubJson<AuthConfig>('/auth/config').then(
    (c) => (authConfigAtHand = c),
    (e: unknown) => {
      authConfig = undefined;
      throw e;
    },
  );
  return authConfig;
}

/** The hub's answer to `GET /auth/config` when it is in already (the sign-in page's first render shows it at once). */
export function authConfigIfLoaded(): AuthConfig | undefined {
  return authConfigAtHand;
}

/** Development identity only: the hub signs a token for the agency and roles picked. */
export function requestDevToken(agency: string, roles: string[]): Promise<Session> {
  return hubJson<Session>('/auth/dev-token', { method: 'POST', body: JSON.stringify({ agency, roles }) });
}
