import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('Agency')
export class AgencyType {
  @Field(() => ID, { description: 'short code, e.g. GD, HK, MO' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  jurisdiction!: string;
}

export function toAgencyType(a: { code: string; name: string; jurisdiction: string }): AgencyType {
  return Object.assign(new AgencyType(), { code: a.code, name: a.name, jurisdiction: a.jurisdiction });
}
