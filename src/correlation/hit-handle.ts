import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FieldClass, IdentifierKind } from '../common/enums';
import type { MatchKeyring } from './match-keys';

/*
 * Hit handles: what a probe or a correlation gives an agency instead of a partner's alert it
 * may not see. A handle is sealed (AES-256-GCM under a subkey of the match-key secret) so
 * it says nothing to whoever holds it: not the alert, not its reference, not even whether
 * two handles name the same alert (every seal has its own random nonce). Only the hub opens
 * it, and only for the agency it was issued to: a handle passed to another agency is no
 * handle there. It names the alert, the class of the identifier that matched and its kind,
 * so a disclosure request made through it asks for exactly that class first.
 */

/** What a handle carries, sealed. */
export interface HitHandleClaims {
  /** The alert that holds the matching identifier. */
  alertId: string;
  /** Its originating agency (the holder, which decides what to disclose). */
  holderAgency: string;
  kind: IdentifierKind;
  fieldClass: FieldClass;
  /** The agency the handle was issued to: the only one that can use it. */
  issuedTo: string;
  /** When it was sealed, epoch seconds. */
  issuedAt: number;
}

/** How long a handle can be named in a disclosure request after it was issued. */
export const HIT_HANDLE_TTL_SECONDS = 30 * 86_400;

const PREFIX = 'hit1.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens hit handles with one subkey of the hub's match-key secret. */
export class HitHandles {
  readonly #key: Buffer;

  constructor(keyring: MatchKeyring) {
    this.#key = keyring.subkey('hit handle');
  }

  /** A fresh handle for `claims` (issuedAt defaults to now). */
  seal(claims: Omit<HitHandleClaims, 'issuedAt'> & { issuedAt?: number }): string {
    const body: HitHandleClaims = { ...claims, issuedAt: claims.issuedAt ?? Math.floor(Date.now() / 1000) };
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    // The prefix is bound in as associated data: a handle of another version or purpose never opens.
    cipher.setAAD(Buffer.from(PREFIX));
    const sealed = Buffer.concat([cipher.update(JSON.stringify([body.alertId, body.holderAgency, body.kind, body.fieldClass, body.issuedTo, body.issuedAt]), 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /**
   * The claims of `handle` when it is a genuine, unexpired handle issued to `agency`; null
   * otherwise, without saying which check failed (the caller answers one error for all).
   */
  open(handle: string, agency: string, now = Date.now()): HitHandleClaims | null {
    if (typeof handle !== 'string' || !handle.startsWith(PREFIX) || handle.length > 512) return null;
    const raw = Buffer.from(handle.slice(PREFIX.length), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES + 2) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(PREFIX));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const text = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      const [alertId, holderAgency, kind, fieldClass, issuedTo, issuedAt] = JSON.parse(text) as [string, string, IdentifierKind, FieldClass, string, number];
      if (issuedTo !== agency) return null;
      if (issuedAt * 1000 + HIT_HANDLE_TTL_SECONDS * 1000 < now) return null;
      return { alertId, holderAgency, kind, fieldClass, issuedTo, issuedAt };
    } catch {
      return null;
    }
  }
}
