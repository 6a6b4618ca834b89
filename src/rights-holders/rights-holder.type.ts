import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Classified } from '../access/field-class';
import { FieldClass, InfringementType } from '../common/enums';
import type { RightsHolder } from './rights-holder.entity';

@ObjectType('IprRecordation')
export class IprRecordationType {
  @Field(() => InfringementType)
  @Classified(FieldClass.CORE)
  type!: InfringementType;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  recordationNumber!: string;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  mark!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  @Classified(FieldClass.CORE)
  validUntil!: Date | null;
}

// A federation entity: other subgraphs extend it through its key (src/federation).
@Directive('@key(fields: "id")')
@ObjectType('RightsHolder')
export class RightsHolderType {
  @Field(() => ID)
  @Classified(FieldClass.CORE)
  id!: string;

  @Field(() => String)
  @Classified(FieldClass.CORE)
  name!: string;

  @Field(() => [IprRecordationType])
  @Classified(FieldClass.CORE)
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
