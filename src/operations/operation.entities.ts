import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Agency } from '../agencies/agency.entity';
import { Alert } from '../alerts/alert.entity';
import { GoodsCategory, InfringementType, OperationStatus, TaskStatus, TransportChannel } from '../common/enums';
import { uuidv7 } from '../common/ids';
import { RightsHolder } from '../rights-holders/rights-holder.entity';

/**
 * A joint enforcement action: a closed group of participating agencies, led by one. Code names
 * are unique per lead agency, not across the hub: a hub-wide check would tell a
 * non-participant that a name is in use.
 */
@Entity({ tableName: 'joint_operation' })
@Unique({ name: 'joint_operation_lead_code_name_unique', properties: ['leadAgency', 'codeName'] })
export class JointOperation {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'string', length: 100 })
  codeName!: string;

  @Property({ type: 'text' })
  objective!: string;

  @ManyToOne(() => Agency, { fieldName: 'lead_agency_code' })
  leadAgency!: Agency;

  @ManyToMany(() => Agency, undefined, {
    pivotTable: 'joint_operation_participant',
    owner: true,
    joinColumn: 'operation_id',
    inverseJoinColumn: 'agency_code',
  })
  participants = new Collection<Agency>(this);

  @Enum({ items: () => OperationStatus })
  status: OperationStatus = OperationStatus.PLANNED;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  startsOn!: Date;

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  endsOn?: Date;

  /** When it became CONCLUDED or CANCELLED: the reporting and OPERATION-scope windows count from here. */
  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  closedAt?: Date;

  @Enum({ items: () => TransportChannel, array: true })
  targetChannels: TransportChannel[] = [];

  @Enum({ items: () => GoodsCategory, array: true })
  targetCategories: GoodsCategory[] = [];

  @Property({ type: 'text[]' })
  targetPorts: string[] = [];

  @Property({ type: 'string', length: 200 })
  createdBy!: string;

  @Property({ version: true, type: 'integer' })
  version: number = 1;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', type: 'Date', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @OneToMany(() => OperationTask, (t) => t.operation, { orderBy: { createdAt: 'asc', id: 'asc' } })
  tasks = new Collection<OperationTask>(this);

  @ManyToMany(() => Alert, undefined, { pivotTable: 'joint_operation_alert', owner: true, joinColumn: 'operation_id', inverseJoinColumn: 'alert_id' })
  alerts = new Collection<Alert>(this);
}

@Entity({ tableName: 'operation_task' })
export class OperationTask {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => JointOperation, { deleteRule: 'cascade', index: true })
  operation!: JointOperation;

  @ManyToOne(() => Agency, { fieldName: 'assigned_agency_code' })
  assignedAgency!: Agency;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  dueAt?: Date;

  @Enum({ items: () => TaskStatus })
  status: TaskStatus = TaskStatus.OPEN;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', type: 'Date' })
  updatedAt: Date = new Date();
}

/**
 * What one participant reports: append-only. A correction is a new result that names the one
 * it corrects; statistics count only results that nothing corrects (the latest of each chain).
 */
@Entity({ tableName: 'operation_result' })
@Index({ name: 'operation_result_operation_idx', properties: ['operation', 'reportedAt'] })
export class OperationResult {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => JointOperation, { deleteRule: 'cascade' })
  operation!: JointOperation;

  @ManyToOne(() => Agency, { fieldName: 'reporting_agency_code' })
  reportingAgency!: Agency;

  @Property({ type: 'string', length: 200 })
  reportedBy!: string;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  reportedAt: Date = new Date();

  @Property({ type: 'integer' })
  casesOpened!: number;

  @Property({ type: 'text', nullable: true })
  notes?: string;

  /** The result this one corrects; unique, so a chain never forks. */
  @ManyToOne(() => OperationResult, { nullable: true, unique: true, fieldName: 'corrects_id' })
  corrects?: OperationResult;

  @OneToMany(() => Seizure, (s) => s.result, { orderBy: { position: 'asc' } })
  seizures = new Collection<Seizure>(this);

  @ManyToMany(() => Alert, undefined, { pivotTable: 'operation_result_alert', owner: true, joinColumn: 'result_id', inverseJoinColumn: 'alert_id' })
  alerts = new Collection<Alert>(this);
}

@Entity({ tableName: 'seizure' })
@Unique({ properties: ['result', 'position'] })
export class Seizure {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => OperationResult, { deleteRule: 'cascade' })
  result!: OperationResult;

  @Property({ type: 'smallint' })
  position!: number;

  @Enum({ items: () => GoodsCategory })
  category!: GoodsCategory;

  @Enum({ items: () => InfringementType })
  infringement!: InfringementType;

  @Enum({ items: () => TransportChannel })
  channel!: TransportChannel;

  @Property({ type: 'integer' })
  pieces!: number;

  @Property({ type: 'string', length: 100, nullable: true })
  place?: string;

  @ManyToMany(() => RightsHolder, undefined, { pivotTable: 'seizure_rights_holder', owner: true, joinColumn: 'seizure_id', inverseJoinColumn: 'rights_holder_id' })
  rightsHolders = new Collection<RightsHolder>(this);
}
