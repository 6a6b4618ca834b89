import type { Role } from '../common/enums';

/** Who is asking: established from a verified token, never from request data. */
export interface Viewer {
  /** The token's `sub`. */
  subject: string;
  /** The agency whose issuer signed the token. */
  agencyCode: string;
  roles: Role[];
  /** The token's `exp`: a socket opened with it closes then. */
  expiresAt: Date;
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return roles.some((r) => viewer.roles.includes(r));
}
