import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Classified } from '../access/field-class';
import { FieldClass } from '../common/enums';
import { DateTime } from '../common/scalars';

// A federation entity: other subgraphs extend it through its key (src/federation).
@Directive('@key(fields: "code")')
@ObjectType('Agency', { simpleResolvers: true })
export class AgencyType {
  @Field(() => ID, { description: 'short code, e.g. GD, HK, MO' })
  @Classified(FieldClass.CORE)
  code!: string;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  name!: string;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  jurisdiction!: string;

  // Partners learn it so that they stop naming it (the hub refuses that anyway); the reason
  // (suspended or taken out of the trust file) stays with the hub's operator.
  @Field(() => DateTime, {
    nullable: true,
    description:
      'when the agency left the hub (suspended or taken out of its trust configuration); null while it is a partner. ' +
      'While away it signs in to nothing and can be named in no new distribution, operation or agreement; ' +
      'when it comes back it is a partner of what is shared from then on.',
  })
  @Classified(FieldClass.CORE)
  leftAt!: Date | null;
}

export function toAgencyType(a: { code: string; name: string; jurisdiction: string; leftAt?: Date | null }): AgencyType {
  return Object.assign(new AgencyType(), { code: a.code, name: a.name, jurisdiction: a.jurisdiction, leftAt: a.leftAt ?? null });
}
