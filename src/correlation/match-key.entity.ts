import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { Alert } from '../alerts/alert.entity';
import { FieldClass, IdentifierKind } from '../common/enums';

/** Which party of an alert a PARTY_IDENTITY identifier names. */
export enum PartyRole {
  CONSIGNOR = 'CONSIGNOR',
  CONSIGNEE = 'CONSIGNEE',
}
registerEnumType(PartyRole, { name: 'PartyRole', description: 'which party of an alert a PARTY_IDENTITY identifier names' });

/**
 * A keyed hash of one normalized identifier of an alert: HMAC-SHA256 under the hub's
 * HUB_MATCH_KEY_SECRET of `<kind>:<normalized value>` (src/correlation/match-keys.ts). Two
 * alerts share an identifier exactly when they have a row of the same kind and key. The value
 * itself, raw or normalized, is never stored here: it stays in the alert, under its field
 * class. Rows are replaced wholesale whenever their alert changes, in the same transaction; a
 * DRAFT or WITHDRAWN alert has none.
 */
@Entity({ tableName: 'match_key' })
@Index({ name: 'match_key_kind_key_idx', properties: ['kind', 'key'] })
export class MatchKey {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Alert, { deleteRule: 'cascade', index: 'match_key_alert_id_idx' })
  alert!: Alert;

  /** The alert's originating agency. */
  @Property({ type: 'string', length: 16 })
  agencyCode!: string;

  @Enum({ items: () => IdentifierKind })
  kind!: IdentifierKind;

  /** The class of the field the identifier came from: what a partner must be granted to see it. */
  @Enum({ items: () => FieldClass })
  fieldClass!: FieldClass;

  /** The party it names; null for shipment identifiers. */
  @Enum({ items: () => PartyRole, nullable: true })
  role?: PartyRole | null;

  /** HMAC-SHA256, 32 bytes. */
  @Property({ type: 'blob' })
  key!: Buffer;

  /** Which secret made the key: the first 8 bytes of HMAC(secret, 'gba-hub match key id'). */
  @Property({ type: 'blob' })
  secretId!: Buffer;

  /** The alert's publication time, copied for time windows. */
  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  publishedAt?: Date | null;
}
