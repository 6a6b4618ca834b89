import { Entity, Enum, Index, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, type Opt } from '@mikro-orm/core';
import { Agency } from '../agencies/agency.entity';
import { Alert } from '../alerts/alert.entity';
import { DisclosureStatus, FieldClass, IdentifierKind } from '../common/enums';
import { uuidv7 } from '../common/ids';

/**
 * What an originating agency lets flow to one partner beyond CORE, on every alert the partner
 * can see. SOURCE is never among them.
 */
@Entity({ tableName: 'sharing_agreement' })
export class SharingAgreement {
  [PrimaryKeyProp]?: ['fromAgency', 'toAgency'];

  @ManyToOne(() => Agency, { primary: true, fieldName: 'from_agency_code' })
  fromAgency!: Agency;

  @ManyToOne(() => Agency, { primary: true, fieldName: 'to_agency_code' })
  toAgency!: Agency;

  @Enum({ items: () => FieldClass, array: true })
  fieldClasses: FieldClass[] = [];

  @Property({ columnType: 'timestamptz', type: 'Date' })
  updatedAt: Date = new Date();

  @Property({ type: 'string', length: 200 })
  updatedBy!: string;
}

/**
 * A partner's request for withheld classes on one alert. An approval is a grant on that
 * alert alone, to that agency, until `expiresAt`; after it the request reads as EXPIRED.
 *
 * A request made through a hit handle (`viaHandle`, src/correlation/handle-requests.ts) names
 * an alert the requester may not see: until it is approved the requester sees nothing of the
 * alert, and its approval also makes that one alert visible to it (visibleAlertSql).
 */
@Entity({ tableName: 'disclosure_request' })
@Index({ name: 'disclosure_request_grant_idx', properties: ['alert', 'requestingAgency', 'status'] })
// The grants through handles an agency holds: looked up once per statement that checks visibility.
@Index({
  name: 'disclosure_request_handle_grant_idx',
  expression: `create index "disclosure_request_handle_grant_idx" on "disclosure_request" ("requesting_agency_code", "alert_id") where "via_handle" and "status" = 'APPROVED'`,
})
export class DisclosureRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => Alert, { deleteRule: 'cascade' })
  alert!: Alert;

  @ManyToOne(() => Agency, { fieldName: 'requesting_agency_code' })
  requestingAgency!: Agency;

  @Property({ type: 'string', length: 200 })
  requestedBy!: string;

  @Enum({ items: () => FieldClass, array: true })
  fieldClasses: FieldClass[] = [];

  @Property({ type: 'text' })
  justification!: string;

  /** PENDING, APPROVED or DENIED as stored; EXPIRED is APPROVED past `expiresAt`. */
  @Enum({ items: () => DisclosureStatus })
  status: DisclosureStatus = DisclosureStatus.PENDING;

  @Property({ type: 'string', length: 200, nullable: true })
  decidedBy?: string;

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  decidedAt?: Date;

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  expiresAt?: Date;

  @Property({ type: 'text', nullable: true })
  decisionNote?: string;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  createdAt: Date = new Date();

  /** Asked through a hit handle of a probe: the requester may not see the alert otherwise. */
  @Property({ type: 'boolean', default: false })
  viaHandle: Opt<boolean> = false;

  /** The kind of identifier the handle's hit matched (requests through a handle only). */
  @Enum({ items: () => IdentifierKind, nullable: true })
  matchedKind?: IdentifierKind | null;

  /** The class of the identifier the handle's hit matched (requests through a handle only). */
  @Enum({ items: () => FieldClass, nullable: true })
  matchedFieldClass?: FieldClass | null;
}

/**
 * One read of an alert by another agency: who, which classes it disclosed, by which route.
 * A record, like the event log: no foreign keys. Its rows must outlive what they name (a
 * deleted alert must not take the account of who read it along), and the key checks per row
 * would cost twice the insert itself. The ids it holds are those the hub has just read.
 *
 * One row is one read shown to one or more officers of one agency: a subscription event
 * rendered once for a group of subscribers names all of their subjects in one row, where a
 * row per subject made the hub's busiest insert hundreds of rows per event (and per event,
 * the last step before delivery). `alertAccessLog` lists a read per subject, as before.
 */
@Entity({ tableName: 'alert_access_log' })
@Index({ name: 'alert_access_log_alert_idx', properties: ['alert', 'id'] })
export class AccessLogRow {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Alert, { createForeignKeyConstraint: false })
  alert!: Alert;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  at: Date = new Date();

  @ManyToOne(() => Agency, { fieldName: 'agency_code', createForeignKeyConstraint: false })
  agency!: Agency;

  /** The officers the read was shown to (never empty, no duplicates). */
  @Property({ type: 'string[]', columnType: 'text[]' })
  subjects!: string[];

  @Enum({ items: () => FieldClass, array: true })
  disclosed: FieldClass[] = [];

  /** query, subscription, export or federation */
  @Property({ type: 'string', length: 20 })
  via!: string;
}
