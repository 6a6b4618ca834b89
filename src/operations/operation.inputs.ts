import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { GoodsCategory, InfringementType, TransportChannel } from '../common/enums';

@InputType('CreateJointOperationInput')
export class CreateJointOperationInput {
  @Field(() => String)
  codeName!: string;

  @Field(() => String)
  objective!: string;

  @Field(() => [ID])
  participants!: string[];

  @Field(() => DateTime)
  startsOn!: Date;

  @Field(() => DateTime, { nullable: true })
  endsOn?: Date | null;

  @Field(() => [TransportChannel], { nullable: true })
  targetChannels?: TransportChannel[] | null;

  @Field(() => [GoodsCategory], { nullable: true })
  targetCategories?: GoodsCategory[] | null;

  @Field(() => [String], { nullable: true })
  targetPorts?: string[] | null;
}

@InputType('UpdateJointOperationInput')
export class UpdateJointOperationInput {
  @Field(() => String, { nullable: true })
  objective?: string | null;

  @Field(() => [ID], { nullable: true })
  participants?: string[] | null;

  @Field(() => DateTime, { nullable: true })
  endsOn?: Date | null;

  @Field(() => [TransportChannel], { nullable: true })
  targetChannels?: TransportChannel[] | null;

  @Field(() => [GoodsCategory], { nullable: true })
  targetCategories?: GoodsCategory[] | null;

  @Field(() => [String], { nullable: true })
  targetPorts?: string[] | null;
}

@InputType('OperationTaskInput')
export class OperationTaskInput {
  @Field(() => ID)
  assignedAgency!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => DateTime, { nullable: true })
  dueAt?: Date | null;
}

@InputType('SeizureInput')
export class SeizureInput {
  @Field(() => GoodsCategory)
  category!: GoodsCategory;

  @Field(() => InfringementType)
  infringement!: InfringementType;

  @Field(() => TransportChannel)
  channel!: TransportChannel;

  @Field(() => Int)
  pieces!: number;

  @Field(() => String, { nullable: true, description: 'UN/LOCODE or customs office where the goods were detained' })
  place?: string | null;

  @Field(() => [ID], { nullable: true })
  rightsHolderIds?: string[] | null;
}

@InputType('OperationResultInput')
export class OperationResultInput {
  @Field(() => Int)
  casesOpened!: number;

  @Field(() => [SeizureInput])
  seizures!: SeizureInput[];

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => [ID], { nullable: true })
  alertIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "the result this one corrects (the reporting agency's own, not yet corrected); statistics count the latest" })
  correctsResultId?: string | null;
}

@InputType('StatisticsFilter')
export class StatisticsFilter {
  @Field(() => DateTime, { nullable: true })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true })
  to?: Date | null;

  @Field(() => ID, { nullable: true })
  agency?: string | null;

  @Field(() => ID, { nullable: true })
  operationId?: string | null;
}
