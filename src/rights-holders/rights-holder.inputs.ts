import { Field, InputType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { InfringementType } from '../common/enums';

@InputType('RecordationInput')
export class RecordationInput {
  @Field(() => InfringementType)
  type!: InfringementType;

  @Field(() => String)
  recordationNumber!: string;

  @Field(() => String)
  mark!: string;

  @Field(() => DateTime, { nullable: true })
  validUntil?: Date | null;
}

@InputType('RightsHolderInput')
export class RightsHolderInput {
  @Field(() => String)
  name!: string;

  @Field(() => [RecordationInput])
  recordations!: RecordationInput[];
}
