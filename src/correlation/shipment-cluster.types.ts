import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AgencyType } from '../agencies/agency.type';
import { AlertType } from '../alerts/alert.types';
import { IdentifierKind } from '../common/enums';
import { DateTime } from '../common/scalars';

/** Why a cluster ranks where it does: each reason adds its weight to the score. */
export enum ClusterReasonCode {
  SHARED_IDENTIFIER = 'SHARED_IDENTIFIER',
  NEAR_MATCH = 'NEAR_MATCH',
  AGENCIES = 'AGENCIES',
  MEMBERS = 'MEMBERS',
  SPAN = 'SPAN',
  VISIBLE_TOTAL = 'VISIBLE_TOTAL',
  WHOLE_TOTAL = 'WHOLE_TOTAL',
}
registerEnumType(ClusterReasonCode, {
  name: 'ClusterReasonCode',
  description: 'what a reason of a shipment cluster says (docs/correlation.md, Shipment clusters)',
  valuesConfig: {
    SHARED_IDENTIFIER: { description: '`members` parcels at `agencies` agencies are linked by consignee identifiers of `kind`: each shares a match key of that kind with another member' },
    NEAR_MATCH: { description: "`members` parcels the viewer may read nearly match on the consignee's `kind` (name or address)" },
    AGENCIES: { description: 'the parcels were seen by `agencies` agencies' },
    MEMBERS: { description: 'the cluster has `members` parcels, hidden ones included' },
    SPAN: { description: "the parcels the viewer sees were published within `days` days" },
    VISIBLE_TOTAL: { description: 'the parcels the viewer sees carry `quantity` pieces in all' },
    WHOLE_TOTAL: {
      description:
        "all parcels together can carry `quantity` pieces (the hub's fixed threshold): the parcels the viewer sees, with each hidden one counted as the 3,000 it is at most, never as what it carries",
    },
  },
});

@ObjectType('ClusterReason', { simpleResolvers: true })
export class ClusterReasonType {
  @Field(() => ClusterReasonCode)
  code!: ClusterReasonCode;

  @Field(() => IdentifierKind, { nullable: true, description: 'SHARED_IDENTIFIER and NEAR_MATCH: the kind of identifier' })
  kind!: IdentifierKind | null;

  @Field(() => Int, { nullable: true })
  members!: number | null;

  @Field(() => Int, { nullable: true })
  agencies!: number | null;

  @Field(() => Int, { nullable: true })
  days!: number | null;

  @Field(() => Int, { nullable: true })
  quantity!: number | null;

  @Field(() => Float, { description: 'what the reason adds to the score' })
  weight!: number;
}

@ObjectType('ClusterMember', { simpleResolvers: true })
export class ClusterMemberType {
  /** Through the same projection as every route: withheld classes stay withheld. */
  @Field(() => AlertType)
  alert!: AlertType;

  @Field(() => [IdentifierKind], { description: "the consignee identifiers whose match keys it shares with other members (never their values)" })
  linkedBy!: IdentifierKind[];

  @Field(() => [IdentifierKind], { description: 'the consignee name or address it nearly matches another member on (both readable by the viewer)' })
  nearMatchedBy!: IdentifierKind[];
}

@ObjectType('HiddenMembers', { simpleResolvers: true, description: 'parcels of the cluster the viewer may not see: how many, at which agency, nothing else' })
export class HiddenMembersType {
  @Field(() => AgencyType)
  agency!: AgencyType;

  @Field(() => Int)
  count!: number;
}

@ObjectType('ShipmentCluster', {
  simpleResolvers: true,
  description:
    'small parcels that share a consignee: one consignment split up ("turning the whole into parts", "ant moving"). ' +
    "Quantities and dates are of the members the viewer sees; the hidden members' are never told (docs/correlation.md).",
})
export class ShipmentClusterType {
  @Field(() => ID, { description: "stable while the members the viewer sees are the same; made from those members' ids alone" })
  id!: string;

  @Field(() => Float, { description: 'the sum of the reasons\' weights: higher is more likely one consignment' })
  score!: number;

  @Field(() => [ClusterReasonType])
  reasons!: ClusterReasonType[];

  @Field(() => [ClusterMemberType], { description: 'the members the viewer may see, oldest first' })
  members!: ClusterMemberType[];

  @Field(() => [HiddenMembersType], { description: 'the members the viewer may not see, counted per agency' })
  hidden!: HiddenMembersType[];

  @Field(() => [AgencyType], { description: 'every agency with a member, seen or hidden' })
  agencies!: AgencyType[];

  @Field(() => Int, { description: 'the pieces of the members the viewer sees, from their goods lines' })
  visibleQuantity!: number;

  @Field(() => DateTime, { description: 'the earliest publication among the members the viewer sees' })
  firstSeen!: Date;

  @Field(() => DateTime, { description: 'the latest publication among the members the viewer sees' })
  lastSeen!: Date;
}
