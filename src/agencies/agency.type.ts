import { Field, ID, ObjectType } from 'type-graphql';
import { Classified } from '../access/field-class';
import { FieldClass } from '../common/enums';

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
