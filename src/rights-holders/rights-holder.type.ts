import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { InfringementType } from '../common/enums';
import type { RightsHolder } from './rights-holder.entity';

@ObjectType('IprRecordation')
export class IprRecordationType {
  @Field(() => InfringementType)
  type!: InfringementType;

  @Field(() => String)
  recordationNumber!: string;

  @Field(() => String)
  mark!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  validUntil!: Date | null;
}

@ObjectType('RightsHolder')
export class RightsHolderType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [IprRecordationType])
  recordations!: IprRecordationType[];
}

/** @param rh a rights holder with its recordations loaded. */
export function toRightsHolderType(rh: RightsHolder): RightsHolderType {
  return Object.assign(new RightsHolderType(), {
    id: rh.id,
    name: rh.name,
    recordations: rh.recordations.getItems().map((r) =>
      Object.assign(new IprRecordationType(), {
        type: r.type,
        recordationNumber: r.recordationNumber,
        mark: r.mark,
        validUntil: r.validUntil ?? null,
      }),
    ),
  });
}
