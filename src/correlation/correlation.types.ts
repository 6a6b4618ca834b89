import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AgencyType } from '../agencies/agency.type';
import { AlertType } from '../alerts/alert.types';
import { CorrelationEventKind, FieldClass, IdentifierKind } from '../common/enums';
import { PageInfo } from '../common/pagination';
import { DateTime } from '../common/scalars';

/*
 * A correlation as one of its two originators sees it: "your alert X and an alert of agency Y
 * share a class Z identifier (kind K)". Never the identifier: its class and kind only. The other
 * alert comes through the access projection like any read of it (null when the viewer may not
 * see it, or not the matched class on it), else as a sealed hit handle for a disclosure request.
 */

@ObjectType('Correlation', {
  simpleResolvers: true,
  description: "one of the viewer's agency's alerts shares an identifier of one kind with another alert; never the identifier itself",
})
export class CorrelationType {
  @Field(() => ID, { description: 'this side of the pair: the other originator sees the same pair under another id' })
  id!: string;

  @Field(() => AlertType, { description: "the viewer's agency's own alert" })
  alert!: AlertType;

  @Field(() => IdentifierKind)
  kind!: IdentifierKind;

  @Field(() => FieldClass, { description: 'the class of the fields the shared identifier is in, on both alerts' })
  fieldClass!: FieldClass;

  @Field(() => AgencyType, { description: 'the agency of the other alert' })
  otherAgency!: AgencyType;

  @Field(() => Boolean, { description: "true when the other alert is also the viewer's agency's" })
  sameAgency!: boolean;

  @Field(() => AlertType, {
    nullable: true,
    description:
      'the other alert as the viewer may see it (classes withheld as in any read of it); null when the viewer may not see it, or may see it without the matched class (naming it would tell that field)',
  })
  other!: AlertType | null;

  @Field(() => String, { nullable: true, description: "the other alert's reference as the viewer would see it; null when other is null" })
  otherReference!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'a sealed hit handle naming the other alert, for a disclosure request by this agency alone (requestDisclosureByHandle); null when other is shown',
  })
  handle!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'when the alerts stopped sharing an identifier of the kind; null while they share one' })
  endedAt!: Date | null;
}

@ObjectType('CorrelationEdge', { simpleResolvers: true })
export class CorrelationEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => CorrelationType)
  node!: CorrelationType;
}

@ObjectType('CorrelationConnection', { simpleResolvers: true })
export class CorrelationConnection {
  @Field(() => [CorrelationEdge])
  edges!: CorrelationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Resolved only when asked for: counting costs a query. */
  @Field(() => Int)
  totalCount!: number;

  /** Counts the correlations the list would page through. Not a GraphQL field. */
  countTotal!: () => Promise<number>;
}

@ObjectType('CorrelationEvent', { simpleResolvers: true })
export class CorrelationEventType {
  @Field(() => String)
  cursor!: string;

  @Field(() => CorrelationEventKind)
  kind!: CorrelationEventKind;

  @Field(() => DateTime)
  occurredAt!: Date;

  /** The correlation as this subscriber's agency sees it at delivery. */
  @Field(() => CorrelationType)
  correlation!: CorrelationType;
}
