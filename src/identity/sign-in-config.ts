import type { TrustConfig } from './trust-config';

/** What a browser needs to sign an agency's people in; nothing in it is secret. */
export interface PublicOidcSettings {
  /** The agency's OpenID provider (issuer URL): the console reads its discovery document. */
  authority: string;
  /** The console's public client id at that provider. */
  clientId: string;
  /** Scopes to ask for (space-separated, with `openid`). */
  scope: string;
  /** RFC 8707 resource to ask an access token for, when the provider needs one. */
  resource?: string;
}

export interface PublicAgencySignIn {
  code: string;
  name: string;
  /** Absent when the agency has no console sign-in configured. */
  oidc?: PublicOidcSettings;
}

/**
 * The agencies a person can sign in as, in trust-file order, with their OpenID Connect settings
 * where configured: safe to publish (for `GET /auth/config`). Only what is listed here leaves
 * the trust file: never issuers' key locations, router subjects or jurisdictions. A suspended
 * agency is left out, since the hub refuses its tokens.
 */
export function publicSignInConfig(trust: TrustConfig): PublicAgencySignIn[] {
  return trust.agencies
    .filter((a) => !a.suspended)
    .map((a) => ({
      code: a.code,
      name: a.name,
      ...(a.oidc
        ? {
            oidc: {
              authority: a.oidc.authority,
              clientId: a.oidc.clientId,
              scope: a.oidc.scope,
              ...(a.oidc.resource ? { resource: a.oidc.resource } : {}),
            },
          }
        : {}),
    }));
}
