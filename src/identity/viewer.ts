import type { Role } from '../common/enums';
import { ForbiddenError } from '../common/errors';

/** Who is asking: established from a verified token, never from request data. */
export interface Viewer {
  /** The token's `sub`. */
  subject: string;
  /** The agency whose issuer signed the token. */
  agencyCode: string;
  roles: Role[];
  /** The token's `exp`: a socket opened with it closes then. */
  expiresAt: Date;
  /**
   * The token's subject is one of its agency's `routerSubjects` in the trust file: a federation
   * router, which may read the subgraph SDL (`_service`) while introspection is off.
   */
  router?: true;
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return roles.some((r) => viewer.roles.includes(r));
}

/**
 * Every role reads; a token that carries no role at all reads nothing.
 * @throws ForbiddenError "a role is needed to <what>".
 */
export function requireAnyRole(viewer: Viewer, what: string): void {
  if (viewer.roles.length === 0) throw new ForbiddenError(`a role is needed to ${what}`);
}
