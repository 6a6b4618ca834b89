import { Field, ObjectType } from 'type-graphql';
import { AgencyType } from '../agencies/agency.type';
import { Role } from '../common/enums';

@ObjectType('Viewer')
export class ViewerType {
  @Field(() => String)
  subject!: string;

  @Field(() => AgencyType)
  agency!: AgencyType;

  @Field(() => [Role])
  roles!: Role[];
}
