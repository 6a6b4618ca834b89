import { Field, InputType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { InfringementType } from '../common/enums';

@InputType('RecordationInput')
export class RecordationInput {
  @Field(() => InfringementType)
  type!: InfringementType;

  @Field(() => String)
  recordationNumber!: string;

  @Field(() => String)
  mark!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  validUntil?: Date | null;
}

@InputType('RightsHolderInput')
export class RightsHolderInput {
  @Field(() => String)
  name!: string;

  @Field(() => [RecordationInput])
  recordations!: RecordationInput[];
}
