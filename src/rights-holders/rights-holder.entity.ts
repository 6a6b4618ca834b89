import { Collection, Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { InfringementType } from '../common/enums';
import { uuidv7 } from '../common/ids';

/** A rights holder whose IP rights are recorded with customs, so customs can act for it. */
@Entity({ tableName: 'rights_holder' })
export class RightsHolder {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'string', length: 200, index: true })
  name!: string;

  @OneToMany(() => IprRecordation, (r) => r.rightsHolder, { orphanRemoval: true, orderBy: { recordationNumber: 'asc' } })
  recordations = new Collection<IprRecordation>(this);

  @Property({ columnType: 'timestamptz', type: 'Date' })
  createdAt: Date = new Date();
}

/** One recordation of a right with customs; its number is unique per type of right. */
@Entity({ tableName: 'ipr_recordation' })
@Unique({ properties: ['type', 'recordationNumber'] })
export class IprRecordation {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => RightsHolder, { deleteRule: 'cascade' })
  rightsHolder!: RightsHolder;

  @Enum({ items: () => InfringementType })
  type!: InfringementType;

  @Property({ type: 'string', length: 64 })
  recordationNumber!: string;

  @Property({ type: 'string', length: 200 })
  mark!: string;

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  validUntil?: Date;
}
