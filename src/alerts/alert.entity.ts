import {
  ArrayType,
  Collection,
  Embeddable,
  Embedded,
  Entity,
  Enum,
  Index,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryKey,
  PrimaryKeyProp,
  Property,
} from '@mikro-orm/core';
import { Agency } from '../agencies/agency.entity';
import {
  AlertChangeKind,
  AlertStatus,
  DistributionScope,
  GoodsCategory,
  InfringementType,
  ModusOperandi,
  RiskLevel,
  SourceReliability,
  TradeDirection,
  TransportChannel,
} from '../common/enums';
import { uuidv7 } from '../common/ids';
import { RightsHolder } from '../rights-holders/rights-holder.entity';

/** Consignor or consignee: personal data under PIPL, PDPO and Macao's personal data law. */
@Embeddable()
export class PartyData {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 500, nullable: true })
  address?: string;

  @Property({ type: 'string', length: 2, nullable: true })
  country?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  identifier?: string;

  /** As written (checked to be a phone number); matched in E.164 (src/correlation). */
  @Property({ type: 'string', length: 40, nullable: true })
  phone?: string;

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string;
}

/** Where the intelligence came from, with its Admiralty grading. */
@Embeddable()
export class SourceData {
  @Property({ type: 'string', length: 100 })
  kind!: string;

  @Enum({ items: () => SourceReliability })
  reliability!: SourceReliability;

  @Property({ type: 'smallint' })
  credibility!: number;

  @Property({ type: 'string', length: 200, nullable: true })
  reference?: string;
}

/** A suspect-shipment alert published by one agency. */
@Entity({ tableName: 'alert' })
@Index({ name: 'alert_origin_status_idx', properties: ['originAgency', 'status'] })
export class Alert {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  /** `<agency>-<year>-<6 digits>`, gap-free per agency and year. */
  @Property({ type: 'string', length: 32, unique: true })
  reference!: string;

  @ManyToOne(() => Agency, { fieldName: 'origin_agency_code' })
  originAgency!: Agency;

  @Property({ type: 'string', length: 200 })
  createdBy!: string;

  @Enum({ items: () => AlertStatus })
  status: AlertStatus = AlertStatus.DRAFT;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  summary!: string;

  @Enum({ items: () => RiskLevel })
  riskLevel!: RiskLevel;

  @Enum({ items: () => TransportChannel })
  channel!: TransportChannel;

  @Enum({ items: () => TradeDirection })
  direction!: TradeDirection;

  @OneToMany(() => GoodsLine, (g) => g.alert, { orphanRemoval: true, orderBy: { position: 'asc' } })
  goods = new Collection<GoodsLine>(this);

  @Enum({ items: () => InfringementType, array: true })
  infringements: InfringementType[] = [];

  @Enum({ items: () => ModusOperandi, array: true })
  modusOperandi: ModusOperandi[] = [];

  @ManyToMany(() => RightsHolder, undefined, { pivotTable: 'alert_rights_holder', owner: true })
  rightsHolders = new Collection<RightsHolder>(this);

  @Property({ type: 'string', length: 5, nullable: true })
  portOfLoading?: string;

  @Property({ type: 'string', length: 5, nullable: true })
  portOfDischarge?: string;

  @Property({ type: 'string', length: 2, nullable: true })
  originCountry?: string;

  @Property({ type: 'string', length: 2, nullable: true })
  destinationCountry?: string;

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  expectedArrival?: Date;

  /** Deny by default: an alert nobody chose to share stays with its agency. */
  @Enum({ items: () => DistributionScope })
  distributionScope: DistributionScope = DistributionScope.ORIGINATOR_ONLY;

  /** The partners named by SELECTED_AGENCIES. */
  @ManyToMany(() => Agency, undefined, {
    pivotTable: 'alert_distribution_agency',
    owner: true,
    joinColumn: 'alert_id',
    inverseJoinColumn: 'agency_code',
  })
  distributionAgencies = new Collection<Agency>(this);

  /** The joint operation whose participants an OPERATION-scoped alert is shared with. */
  @ManyToOne(() => 'JointOperation', { nullable: true, fieldName: 'distribution_operation_id', deleteRule: 'set null' })
  distributionOperation?: import('../operations/operation.entities').JointOperation;

  @Property({ type: ArrayType, nullable: true })
  containerNumbers?: string[];

  @Property({ type: 'string', length: 64, nullable: true })
  billOfLading?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  conveyanceReference?: string;

  /** IATA air waybill, `PPP-SSSSSSSC` with its check digit. */
  @Property({ type: 'string', length: 12, nullable: true })
  airWaybill?: string;

  /** Parcel tracking numbers (e-commerce, express, post), upper-case letters and digits. */
  @Property({ type: ArrayType, nullable: true })
  trackingNumbers?: string[];

  @Embedded(() => PartyData, { nullable: true, prefix: 'consignor_' })
  consignor?: PartyData | null;

  @Embedded(() => PartyData, { nullable: true, prefix: 'consignee_' })
  consignee?: PartyData | null;

  @Embedded(() => SourceData, { nullable: true, prefix: 'source_' })
  source?: SourceData | null;

  @Property({ type: 'text', nullable: true })
  operationalNotes?: string;

  /** Optimistic concurrency: every mutation names the version it read. */
  @Property({ version: true, type: 'integer' })
  version: number = 1;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', type: 'Date', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  publishedAt?: Date;

  /**
   * When the distribution was last decided: creation, publication, or a share. ALL_PARTNERS
   * reaches the agencies that had joined by then (Agency.joinedAt), not those that join later.
   */
  @Property({ columnType: 'timestamptz', type: 'Date' })
  sharedAt: Date = new Date();
}

/** One line of goods on an alert: a table of its own, because lists filter and search on it. */
@Entity({ tableName: 'alert_goods_line' })
export class GoodsLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => Alert, { deleteRule: 'cascade', index: true })
  alert!: Alert;

  @Property({ type: 'smallint' })
  position!: number;

  @Enum({ items: () => GoodsCategory })
  category!: GoodsCategory;

  @Property({ type: 'string', length: 500 })
  description!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  hsCode?: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'string', length: 20 })
  unit!: string;
}

/** The last reference number handed out per agency and year; its row lock keeps references gap-free. */
@Entity({ tableName: 'alert_reference_counter' })
export class AlertReferenceCounter {
  [PrimaryKeyProp]?: ['agencyCode', 'year'];

  @PrimaryKey({ type: 'string', length: 16 })
  agencyCode!: string;

  @PrimaryKey({ type: 'smallint' })
  year!: number;

  @Property({ type: 'integer' })
  lastNumber!: number;
}

/** One change of an alert: who, when, what kind, the status before and after, and a note. */
@Entity({ tableName: 'alert_history' })
@Index({ name: 'alert_history_alert_at_idx', properties: ['alert', 'at'] })
export class AlertHistoryEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Alert, { deleteRule: 'cascade' })
  alert!: Alert;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  at: Date = new Date();

  @ManyToOne(() => Agency, { fieldName: 'agency_code' })
  agency!: Agency;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  @Enum({ items: () => AlertChangeKind })
  kind!: AlertChangeKind;

  @Enum({ items: () => AlertStatus, nullable: true })
  fromStatus?: AlertStatus;

  @Enum({ items: () => AlertStatus })
  toStatus!: AlertStatus;

  @Property({ type: 'text', nullable: true })
  note?: string;
}
