import { createHmac } from 'node:crypto';
import type { Alert } from '../alerts/alert.entity';
import type { SecretBytes } from '../config';
import { AlertStatus, FieldClass, IdentifierKind } from '../common/enums';
import type { PreparedQuery } from '../db/sql';
import { IDENTIFIER_CLASS, normalizeIdentifier, type NormalizeContext } from './identifier-normalize';
import { PartyRole } from './match-key.entity';

/*
 * Match keys: what the hub compares across agencies instead of the identifiers themselves.
 * Each identifier of an alert is normalized (identifier-normalize.ts) and keyed with the hub's
 * secret; two agencies' alerts share an identifier exactly when they share a key, and the
 * table of keys (match_key) holds no value a partner could read back. Keys are replaced
 * wholesale, in the transaction of every change of the alert (AlertService), and at start-up
 * when the secret has changed (match-key-rotation.ts).
 */

/** The label whose HMAC names a secret (its first 8 bytes are `secret_id`). */
const SECRET_ID_LABEL = 'gba-hub match key id';

/**
 * The hub's match-key secret, ready to key with. The secret never leaves it: what it gives
 * out are keys (HMAC outputs), the secret's id, and subkeys for other uses of the same secret.
 */
export class MatchKeyring {
  readonly #secret: Buffer;
  /** 8 bytes naming the secret: rows keyed with another secret are re-keyed at start-up. */
  readonly secretId: Buffer;

  constructor(secret: SecretBytes) {
    this.#secret = secret.reveal();
    this.secretId = createHmac('sha256', this.#secret).update(SECRET_ID_LABEL).digest().subarray(0, 8);
  }

  /** HMAC-SHA256 of `<kind>:<normalized>`: the 32-byte key of one normalized identifier. */
  key(kind: IdentifierKind, normalized: string): Buffer {
    return createHmac('sha256', this.#secret).update(`${kind}:${normalized}`).digest();
  }

  /**
   * A 32-byte key for another purpose (sealing hit handles, say), apart from every match key:
   * HMAC of `gba-hub subkey:<purpose>`, a text no `<kind>:` key can equal.
   */
  subkey(purpose: string): Buffer {
    return createHmac('sha256', this.#secret).update(`gba-hub subkey:${purpose}`).digest();
  }

  /** The secret id in hex, short: which secret a hub keys with, safe to print. */
  get fingerprint(): string {
    return this.secretId.toString('hex');
  }
}

/** A party's identifiers, as stored. */
export interface PartySource {
  name?: string | null;
  address?: string | null;
  country?: string | null;
  identifier?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** What the keys of an alert are made from: its identifiers, origin, state and publication time. */
export interface MatchKeySource {
  id: string;
  agencyCode: string;
  status: AlertStatus;
  publishedAt: Date | null;
  containerNumbers?: readonly string[] | null;
  billOfLading?: string | null;
  airWaybill?: string | null;
  trackingNumbers?: readonly string[] | null;
  consignor?: PartySource | null;
  consignee?: PartySource | null;
}

/** One row of match_key, before it is written. */
export interface MatchKeyRow {
  alertId: string;
  agencyCode: string;
  kind: IdentifierKind;
  fieldClass: FieldClass;
  role: PartyRole | null;
  key: Buffer;
  publishedAt: Date | null;
}

/** Alerts that keep no keys: a draft is its agency's alone; a withdrawn alert is matched no more. */
const UNKEYED: ReadonlySet<AlertStatus> = new Set([AlertStatus.DRAFT, AlertStatus.WITHDRAWN]);

/**
 * The match keys of an alert: one per distinct normalized identifier, kind and party. None for
 * a DRAFT or WITHDRAWN alert. Depends on the identifiers, the originating agency (it reads
 * phone numbers written without a country code), the status and the publication time only.
 */
export function deriveMatchKeys(alert: MatchKeySource, keyring: MatchKeyring): MatchKeyRow[] {
  if (UNKEYED.has(alert.status)) return [];
  const rows = new Map<string, MatchKeyRow>();
  const add = (kind: IdentifierKind, raw: string | null | undefined, role: PartyRole | null, context: NormalizeContext = {}) => {
    if (raw == null) return;
    const normalized = normalizeIdentifier(kind, raw, context);
    if (normalized === null) return;
    const key = keyring.key(kind, normalized);
    const id = `${kind}:${role ?? ''}:${key.toString('hex')}`;
    if (!rows.has(id)) rows.set(id, { alertId: alert.id, agencyCode: alert.agencyCode, kind, fieldClass: IDENTIFIER_CLASS[kind], role, key, publishedAt: alert.publishedAt });
  };
  for (const c of alert.containerNumbers ?? []) add(IdentifierKind.CONTAINER, c, null);
  add(IdentifierKind.BILL_OF_LADING, alert.billOfLading, null);
  add(IdentifierKind.AIR_WAYBILL, alert.airWaybill, null);
  for (const t of alert.trackingNumbers ?? []) add(IdentifierKind.TRACKING_NUMBER, t, null);
  for (const [role, party] of [
    [PartyRole.CONSIGNOR, alert.consignor],
    [PartyRole.CONSIGNEE, alert.consignee],
  ] as const) {
    if (!party) continue;
    const context = { country: party.country, agency: alert.agencyCode };
    add(IdentifierKind.PARTY_NAME, party.name, role);
    add(IdentifierKind.ADDRESS, party.address, role);
    add(IdentifierKind.PHONE, party.phone, role, context);
    add(IdentifierKind.COMPANY_REGISTRATION, party.identifier, role);
    add(IdentifierKind.EMAIL, party.email, role);
  }
  return [...rows.values()];
}

/**
 * Replaces every key of the alerts `alertIds` with `rows` (keys of those alerts only), in one
 * statement: call it inside the transaction that changed them, after the change is flushed.
 */
export async function replaceMatchKeys(query: PreparedQuery, alertIds: readonly string[], rows: readonly MatchKeyRow[], keyring: MatchKeyring): Promise<void> {
  if (alertIds.length === 0) return;
  // Data-modifying CTEs see one snapshot: the delete removes the old rows, never the new ones.
  await query(
    `with gone as (delete from match_key where alert_id = any(?::uuid[]))
     insert into match_key (alert_id, agency_code, kind, field_class, role, key, secret_id, published_at)
     select k.alert_id, k.agency_code, k.kind, k.field_class, k.role, decode(k.key, 'hex'), decode(?, 'hex'), k.published_at
       from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
            as k(alert_id, agency_code, kind, field_class, role, key, published_at)`,
    [
      [...alertIds],
      keyring.secretId.toString('hex'),
      rows.map((r) => r.alertId),
      rows.map((r) => r.agencyCode),
      rows.map((r) => r.kind),
      rows.map((r) => r.fieldClass),
      rows.map((r) => r.role),
      rows.map((r) => r.key.toString('hex')),
      rows.map((r) => r.publishedAt?.toISOString() ?? null),
    ],
  );
}

/** An alert entity (loaded for a change) as the source of its keys. */
export function matchKeySourceOf(alert: Alert): MatchKeySource {
  return {
    id: alert.id,
    agencyCode: alert.originAgency.code,
    status: alert.status,
    publishedAt: alert.publishedAt ?? null,
    containerNumbers: alert.containerNumbers,
    billOfLading: alert.billOfLading,
    airWaybill: alert.airWaybill,
    trackingNumbers: alert.trackingNumbers,
    consignor: alert.consignor,
    consignee: alert.consignee,
  };
}
