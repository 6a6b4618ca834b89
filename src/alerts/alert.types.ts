import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { Classified } from '../access/field-class';
import { AgencyType } from '../agencies/agency.type';
import {
  AlertChangeKind,
  AlertStatus,
  DistributionScope,
  FieldClass,
  GoodsCategory,
  InfringementType,
  ModusOperandi,
  RiskLevel,
  SourceReliability,
  TradeDirection,
  TransportChannel,
} from '../common/enums';
import { PageInfo, encodeCursor, type CursorPosition } from '../common/pagination';
import { RightsHolderType } from '../rights-holders/rights-holder.type';

/*
 * The GraphQL shape of an alert. Every field names its field class with @Classified next to
 * its @Field: that is the sharing policy, readable here. Objects of these types are only ever
 * made by the access projection (src/access/alert-projection.ts).
 *
 * `simpleResolvers`: their fields are plain data, read by graphql-js itself. type-graphql's own
 * resolver made an object and a closure at every field of every alert of a page (its middleware
 * chain, which the hub does not use); the field guard (field-class.ts) still wraps every
 * classified field and feeds the access log.
 */

@ObjectType('GoodsLine', { simpleResolvers: true })
export class GoodsLineType {
  @Field(() => GoodsCategory)
  @Classified(FieldClass.CORE)
  category!: GoodsCategory;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  description!: string;

  @Field(() => String, { nullable: true, description: 'HS code, 6 to 10 digits' })
  @Classified(FieldClass.CORE)
  hsCode!: string | null;

  @Field(() => Int)
  @Classified(FieldClass.CORE)
  quantity!: number;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  unit!: string;
}

@ObjectType('Party', { simpleResolvers: true })
export class PartyType {
  @Field(() => String)
  @Classified(FieldClass.PARTY_IDENTITY)
  name!: string;

  @Field(() => String, { nullable: true })
  @Classified(FieldClass.PARTY_IDENTITY)
  address!: string | null;

  @Field(() => String, { nullable: true })
  @Classified(FieldClass.PARTY_IDENTITY)
  country!: string | null;

  @Field(() => String, { nullable: true, description: 'company registration: unified social credit code, Hong Kong business registration, Macao commercial registration' })
  @Classified(FieldClass.PARTY_IDENTITY)
  identifier!: string | null;

  @Field(() => String, { nullable: true, description: 'as written; the country code may be left out for numbers of the party\'s country or the originating agency\'s' })
  @Classified(FieldClass.PARTY_IDENTITY)
  phone!: string | null;

  @Field(() => String, { nullable: true })
  @Classified(FieldClass.PARTY_IDENTITY)
  email!: string | null;
}

@ObjectType('IntelligenceSource', { simpleResolvers: true })
export class IntelligenceSourceType {
  @Field(() => String)
  @Classified(FieldClass.SOURCE)
  kind!: string;

  @Field(() => SourceReliability)
  @Classified(FieldClass.SOURCE)
  reliability!: SourceReliability;

  @Field(() => Int)
  @Classified(FieldClass.SOURCE)
  credibility!: number;

  @Field(() => String, { nullable: true })
  @Classified(FieldClass.SOURCE)
  reference!: string | null;
}

@ObjectType('Distribution', { simpleResolvers: true })
export class DistributionType {
  @Field(() => DistributionScope)
  @Classified(FieldClass.CORE)
  scope!: DistributionScope;

  @Field(() => [AgencyType])
  @Classified(FieldClass.CORE)
  agencies!: AgencyType[];

  /** For OPERATION: resolved by DistributionResolver, and only for participants. Not a GraphQL field itself. */
  operationId!: string | null;
}

// A federation entity: other subgraphs extend it through its key (src/federation).
@Directive('@key(fields: "id")')
@ObjectType('Alert', { simpleResolvers: true })
export class AlertType {
  @Field(() => ID)
  @Classified(FieldClass.CORE)
  id!: string;

  @Field(() => String, {
    description:
      "human reference. The originating agency's own officers see its register reference, e.g. GD-2026-000123 " +
      '(numbered without gaps per agency and year); every other agency sees the partner reference instead, ' +
      'e.g. GD-7KQ2M9XC4T1B: the agency code and 12 random characters, the same on every read and for every partner, ' +
      'telling nothing of the register number',
  })
  @Classified(FieldClass.CORE)
  reference!: string;

  @Field(() => String, {
    description:
      'the reference partner agencies see for this alert (equal to `reference` for them), e.g. GD-7KQ2M9XC4T1B: ' +
      'what the originator quotes when it speaks of the alert to a partner',
  })
  @Classified(FieldClass.CORE)
  partnerReference!: string;

  @Field(() => AgencyType)
  @Classified(FieldClass.CORE)
  originAgency!: AgencyType;

  @Field(() => AlertStatus)
  @Classified(FieldClass.CORE)
  status!: AlertStatus;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  title!: string;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  summary!: string;

  @Field(() => RiskLevel)
  @Classified(FieldClass.CORE)
  riskLevel!: RiskLevel;

  @Field(() => TransportChannel)
  @Classified(FieldClass.CORE)
  channel!: TransportChannel;

  @Field(() => TradeDirection)
  @Classified(FieldClass.CORE)
  direction!: TradeDirection;

  @Field(() => [GoodsLineType])
  @Classified(FieldClass.CORE)
  goods!: GoodsLineType[];

  @Field(() => [InfringementType])
  @Classified(FieldClass.CORE)
  infringements!: InfringementType[];

  @Field(() => [ModusOperandi])
  @Classified(FieldClass.CORE)
  modusOperandi!: ModusOperandi[];

  @Field(() => [RightsHolderType])
  @Classified(FieldClass.CORE)
  rightsHolders!: RightsHolderType[];

  @Field(() => String, { nullable: true, description: 'UN/LOCODE' })
  @Classified(FieldClass.CORE)
  portOfLoading!: string | null;

  @Field(() => String, { nullable: true, description: 'UN/LOCODE' })
  @Classified(FieldClass.CORE)
  portOfDischarge!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' })
  @Classified(FieldClass.CORE)
  originCountry!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' })
  @Classified(FieldClass.CORE)
  destinationCountry!: string | null;

  @Field(() => DateTime, { nullable: true })
  @Classified(FieldClass.CORE)
  expectedArrival!: Date | null;

  @Field(() => DistributionType)
  @Classified(FieldClass.CORE)
  distribution!: DistributionType;

  @Field(() => [String], { nullable: true, description: 'SHIPMENT_IDENTIFIERS: ISO 6346 container numbers' })
  @Classified(FieldClass.SHIPMENT_IDENTIFIERS)
  containerNumbers!: string[] | null;

  @Field(() => String, { nullable: true, description: 'SHIPMENT_IDENTIFIERS' })
  @Classified(FieldClass.SHIPMENT_IDENTIFIERS)
  billOfLading!: string | null;

  @Field(() => String, { nullable: true, description: 'SHIPMENT_IDENTIFIERS: vessel and voyage, flight, or vehicle' })
  @Classified(FieldClass.SHIPMENT_IDENTIFIERS)
  conveyanceReference!: string | null;

  @Field(() => String, { nullable: true, description: 'SHIPMENT_IDENTIFIERS: IATA air waybill, e.g. 160-12345675 (the last digit checks the seven before it, modulo 7)' })
  @Classified(FieldClass.SHIPMENT_IDENTIFIERS)
  airWaybill!: string | null;

  @Field(() => [String], { nullable: true, description: 'SHIPMENT_IDENTIFIERS: parcel tracking numbers (cross-border e-commerce, express, post)' })
  @Classified(FieldClass.SHIPMENT_IDENTIFIERS)
  trackingNumbers!: string[] | null;

  @Field(() => PartyType, { nullable: true, description: 'PARTY_IDENTITY' })
  @Classified(FieldClass.PARTY_IDENTITY)
  consignor!: PartyType | null;

  @Field(() => PartyType, { nullable: true, description: 'PARTY_IDENTITY' })
  @Classified(FieldClass.PARTY_IDENTITY)
  consignee!: PartyType | null;

  @Field(() => IntelligenceSourceType, { nullable: true, description: 'SOURCE' })
  @Classified(FieldClass.SOURCE)
  source!: IntelligenceSourceType | null;

  @Field(() => String, { nullable: true, description: "OPERATIONAL: inspection instructions and officers' notes" })
  @Classified(FieldClass.OPERATIONAL)
  operationalNotes!: string | null;

  @Field(() => [FieldClass], { description: 'the field classes withheld from this viewer on this alert' })
  @Classified(FieldClass.CORE)
  withheld!: FieldClass[];

  @Field(() => Int, { description: 'optimistic-concurrency version; every mutation of an alert takes the version it read' })
  @Classified(FieldClass.CORE)
  version!: number;

  @Field(() => DateTime)
  @Classified(FieldClass.CORE)
  createdAt!: Date;

  @Field(() => DateTime)
  @Classified(FieldClass.CORE)
  updatedAt!: Date;

  @Field(() => DateTime, { nullable: true })
  @Classified(FieldClass.CORE)
  publishedAt!: Date | null;
}

@ObjectType('AlertEdge', { simpleResolvers: true })
export class AlertEdge {
  constructor(
    node: AlertType,
    /** Where the alert stands in the list's order; encoded only when `cursor` is read (most pages select none). */
    private readonly position: CursorPosition,
  ) {
    this.node = node;
  }

  @Field(() => String)
  get cursor(): string {
    return encodeCursor(this.position.kind, this.position.values);
  }

  @Field(() => AlertType)
  node: AlertType;
}

@ObjectType('AlertConnection', { simpleResolvers: true })
export class AlertConnection {
  @Field(() => [AlertEdge])
  edges!: AlertEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Resolved by AlertConnectionResolver only when asked for: counting costs a query. */
  @Field(() => Int)
  totalCount!: number;

  /** Counts the visible alerts that match the list's filter. Not a GraphQL field. */
  countTotal!: () => Promise<number>;
}

@ObjectType('AlertHistoryEntry', { description: "one change of an alert, in its originating agency's record" })
export class AlertHistoryEntryType {
  @Field(() => DateTime)
  at!: Date;

  @Field(() => AgencyType)
  agency!: AgencyType;

  @Field(() => String, { description: 'who made the change (the token subject)' })
  subject!: string;

  @Field(() => AlertChangeKind)
  kind!: AlertChangeKind;

  @Field(() => AlertStatus, { nullable: true, description: 'null for the creation' })
  fromStatus!: AlertStatus | null;

  @Field(() => AlertStatus)
  toStatus!: AlertStatus;

  @Field(() => String, { nullable: true, description: 'the note of a status change, or the reason of a withdrawal' })
  note!: string | null;
}
