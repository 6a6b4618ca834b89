import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { AgencyType, toAgencyType } from '../agencies/agency.type';
import { AlertType } from '../alerts/alert.types';
import { AccessRoute, DisclosureStatus, FieldClass, IdentifierKind } from '../common/enums';
import { PageInfo } from '../common/pagination';
import type { SharingAgreement } from './access.entities';
import type { ProjectedAlert } from './alert-projection';
import type { DisclosureView } from './access.service';

@ObjectType('SharingAgreement')
export class SharingAgreementType {
  @Field(() => AgencyType, { description: 'the agency whose data is shared (the originator)' })
  fromAgency!: AgencyType;

  @Field(() => AgencyType, { description: 'the partner that receives it' })
  toAgency!: AgencyType;

  @Field(() => [FieldClass], { description: 'the classes beyond CORE that flow (CORE always does)' })
  fieldClasses!: FieldClass[];

  @Field(() => DateTime)
  updatedAt!: Date;
}

export function toSharingAgreementType(a: SharingAgreement): SharingAgreementType {
  return Object.assign(new SharingAgreementType(), {
    fromAgency: toAgencyType(a.fromAgency),
    toAgency: toAgencyType(a.toAgency),
    fieldClasses: [...a.fieldClasses],
    updatedAt: a.updatedAt,
  });
}

@ObjectType('DisclosureRequest')
export class DisclosureRequestType {
  @Field(() => ID)
  id!: string;

  /** The alert as the viewer may see it, through the same projection as every route. */
  @Field(() => AlertType)
  alert!: AlertType;

  @Field(() => AgencyType)
  requestingAgency!: AgencyType;

  @Field(() => String)
  requestedBy!: string;

  @Field(() => [FieldClass])
  fieldClasses!: FieldClass[];

  @Field(() => String)
  justification!: string;

  @Field(() => DisclosureStatus)
  status!: DisclosureStatus;

  @Field(() => String, { nullable: true })
  decidedBy!: string | null;

  @Field(() => DateTime, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => String, { nullable: true, description: "the decider's note" })
  decisionNote!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => Boolean, {
    description:
      'asked through a hit handle of a probe (matchIdentifiers): the requesting agency may not see this alert otherwise; ' +
      'an approval also shows it the alert, with CORE and the classes approved only, until the grant expires',
  })
  viaHandle!: boolean;

  @Field(() => IdentifierKind, { nullable: true, description: "the kind of identifier the handle's hit matched; null for a request made on an alert" })
  matchedKind!: IdentifierKind | null;
}

export function toDisclosureRequestType(v: DisclosureView): DisclosureRequestType {
  const r = v.request;
  return Object.assign(new DisclosureRequestType(), {
    id: r.id,
    alert: v.alert,
    requestingAgency: toAgencyType(r.requestingAgency),
    requestedBy: r.requestedBy,
    fieldClasses: [...r.fieldClasses],
    justification: r.justification,
    status: v.status,
    decidedBy: r.decidedBy ?? null,
    decidedAt: r.decidedAt ?? null,
    expiresAt: r.expiresAt ?? null,
    decisionNote: r.decisionNote ?? null,
    createdAt: r.createdAt,
    viaHandle: r.viaHandle,
    matchedKind: r.matchedKind ?? null,
  });
}

@ObjectType('AccessLogEntry')
export class AccessLogEntryType {
  @Field(() => DateTime)
  at!: Date;

  @Field(() => AgencyType)
  agency!: AgencyType;

  @Field(() => String)
  subject!: string;

  @Field(() => [FieldClass], { description: 'the field classes that were disclosed by this read' })
  disclosed!: FieldClass[];

  @Field(() => String, { description: 'the route of the read: query (queries and mutation answers), subscription (live events), federation (a router\'s entity request) or match (a probe, matchIdentifiers, found one of its identifiers; it discloses nothing); export is reserved for exports' })
  via!: string;

  @Field(() => ID, { description: 'the alert that was read (one of the viewer\'s own agency\'s)' })
  alertId!: string;

  /** The alert as the viewer sees it (its own agency's: whole), loaded once for the page. */
  loadAlert!: () => Promise<ProjectedAlert | null>;
}

@ObjectType('DisclosureCounts', { description: "disclosure requests waiting for a decision, on either side of the viewer's agency" })
export class DisclosureCountsType {
  @Field(() => Int, { description: "requests partners made on the viewer's agency's alerts, PENDING: what its analysts have to decide" })
  receivedPending!: number;

  @Field(() => Int, { description: "requests the viewer's agency made (on alerts and through hit handles), PENDING" })
  sentPending!: number;
}

@InputType('AccessLogFilter', { description: 'narrows agencyAccessLog; every part optional, all parts together' })
export class AccessLogFilterInput {
  @Field(() => ID, { nullable: true, description: 'only reads by this partner agency' })
  partner?: string | null;

  @Field(() => ID, { nullable: true, description: "only reads of this alert (another agency's alert, or an unknown id, gives an empty page)" })
  alertId?: string | null;

  @Field(() => [AccessRoute], { nullable: true, description: 'only reads by these routes' })
  via?: AccessRoute[] | null;

  @Field(() => DateTime, { nullable: true, description: 'reads at or after this instant' })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'reads before this instant' })
  to?: Date | null;
}

@ObjectType('AccessLogEdge')
export class AccessLogEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AccessLogEntryType)
  node!: AccessLogEntryType;
}

@ObjectType('AccessLogConnection')
export class AccessLogConnection {
  @Field(() => [AccessLogEdge])
  edges!: AccessLogEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;

  countTotal!: () => Promise<number>;
}
