import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { Classified } from '../access/field-class';
import { FieldClass, InfringementType } from '../common/enums';

@ObjectType('IprRecordation', { simpleResolvers: true })
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

  @Field(() => DateTime, { nullable: true })
  @Classified(FieldClass.CORE)
  validUntil!: Date | null;
}

// A federation entity: other subgraphs extend it through its key (src/federation).
@Directive('@key(fields: "id")')
@ObjectType('RightsHolder', { simpleResolvers: true })
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

/**
 * @param rh a rights holder with its recordations: the entity (recordations loaded) or an
 *   alert's record of it (src/alerts/alert-record.ts).
 */
export function toRightsHolderType(rh: {
  id: string;
  name: string;
  recordations: Iterable<Pick<IprRecordationType, 'type' | 'recordationNumber' | 'mark'> & { validUntil?: Date | null }>;
}): RightsHolderType {
  return Object.assign(new RightsHolderType(), {
    id: rh.id,
    name: rh.name,
    recordations: [...rh.recordations].map((r) =>
      Object.assign(new IprRecordationType(), {
        type: r.type,
        recordationNumber: r.recordationNumber,
        mark: r.mark,
        validUntil: r.validUntil ?? null,
      }),
    ),
  });
}
