import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Classified } from '../access/field-class';
import { FieldClass } from '../common/enums';

// A federation entity: other subgraphs extend it through its key (src/federation).
@Directive('@key(fields: "code")')
@ObjectType('Agency')
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
}

export function toAgencyType(a: { code: string; name: string; jurisdiction: string }): AgencyType {
  return Object.assign(new AgencyType(), { code: a.code, name: a.name, jurisdiction: a.jurisdiction });
}
