import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { AgencyType, toAgencyType } from '../agencies/agency.type';
import { GoodsCategory, InfringementType, OperationStatus, TaskStatus, TransportChannel } from '../common/enums';
import { PageInfo } from '../common/pagination';
import { RightsHolderType, toRightsHolderType } from '../rights-holders/rights-holder.type';
import type { JointOperation, OperationResult, OperationTask } from './operation.entities';
import type { SeizureStatistics } from './operation.service';

@ObjectType('OperationTask')
export class OperationTaskType {
  @Field(() => ID)
  id!: string;

  @Field(() => AgencyType)
  assignedAgency!: AgencyType;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime, { nullable: true })
  dueAt!: Date | null;

  @Field(() => TaskStatus)
  status!: TaskStatus;
}

export function toTaskType(t: OperationTask): OperationTaskType {
  return Object.assign(new OperationTaskType(), {
    id: t.id,
    assignedAgency: toAgencyType(t.assignedAgency),
    title: t.title,
    description: t.description ?? null,
    dueAt: t.dueAt ?? null,
    status: t.status,
  });
}

@ObjectType('Seizure')
export class SeizureType {
  @Field(() => GoodsCategory)
  category!: GoodsCategory;

  @Field(() => InfringementType)
  infringement!: InfringementType;

  @Field(() => TransportChannel)
  channel!: TransportChannel;

  @Field(() => Int)
  pieces!: number;

  @Field(() => String, { nullable: true, description: 'UN/LOCODE or customs office where the goods were detained' })
  place!: string | null;

  @Field(() => [RightsHolderType])
  rightsHolders!: RightsHolderType[];
}

@ObjectType('OperationResult')
export class OperationResultType {
  @Field(() => ID)
  id!: string;

  @Field(() => AgencyType)
  reportingAgency!: AgencyType;

  @Field(() => DateTime)
  reportedAt!: Date;

  @Field(() => Int)
  casesOpened!: number;

  @Field(() => [SeizureType])
  seizures!: SeizureType[];

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => ID, { nullable: true, description: 'the result this one corrects' })
  correctsResultId!: string | null;
}

export function toResultType(r: OperationResult): OperationResultType {
  return Object.assign(new OperationResultType(), {
    id: r.id,
    reportingAgency: toAgencyType(r.reportingAgency),
    reportedAt: r.reportedAt,
    casesOpened: r.casesOpened,
    notes: r.notes ?? null,
    correctsResultId: r.corrects?.id ?? null,
    seizures: r.seizures.getItems().map((s) =>
      Object.assign(new SeizureType(), {
        category: s.category,
        infringement: s.infringement,
        channel: s.channel,
        pieces: s.pieces,
        place: s.place ?? null,
        rightsHolders: s.rightsHolders.getItems().map(toRightsHolderType),
      }),
    ),
  });
}

@ObjectType('AgencyTotal')
export class AgencyTotalType {
  @Field(() => AgencyType)
  agency!: AgencyType;

  @Field(() => Int)
  pieces!: number;

  @Field(() => Int)
  cases!: number;
}

@ObjectType('CategoryTotal')
export class CategoryTotalType {
  @Field(() => GoodsCategory)
  category!: GoodsCategory;

  @Field(() => Int)
  pieces!: number;

  @Field(() => Int)
  cases!: number;
}

@ObjectType('ChannelTotal')
export class ChannelTotalType {
  @Field(() => TransportChannel)
  channel!: TransportChannel;

  @Field(() => Int)
  pieces!: number;

  @Field(() => Int)
  cases!: number;
}

@ObjectType('PeriodTotal', { description: 'seizures in the results reported in one week or month (UTC+8 clocks)' })
export class PeriodTotalType {
  @Field(() => DateTime, { description: 'the period\'s start: a Monday (weeks) or the 1st (months), 00:00 UTC+8' })
  start!: Date;

  @Field(() => Int)
  pieces!: number;

  @Field(() => Int)
  cases!: number;
}

@ObjectType('SeizureStatistics')
export class SeizureStatisticsType {
  @Field(() => Int)
  totalPieces!: number;

  @Field(() => Int)
  totalCases!: number;

  @Field(() => Int)
  rightsHoldersProtected!: number;

  @Field(() => [AgencyTotalType])
  byAgency!: AgencyTotalType[];

  @Field(() => [CategoryTotalType])
  byCategory!: CategoryTotalType[];

  @Field(() => [ChannelTotalType])
  byChannel!: ChannelTotalType[];

  @Field(() => [PeriodTotalType], { description: 'by the week the counted results were reported in (a correction counts in its own week), oldest first; weeks without results are left out' })
  byWeek!: PeriodTotalType[];

  @Field(() => [PeriodTotalType], { description: 'by the month the counted results were reported in, oldest first; months without results are left out' })
  byMonth!: PeriodTotalType[];
}

export function toStatisticsType(s: SeizureStatistics, agencies: Map<string, AgencyType>): SeizureStatisticsType {
  return Object.assign(new SeizureStatisticsType(), {
    totalPieces: s.totalPieces,
    totalCases: s.totalCases,
    rightsHoldersProtected: s.rightsHoldersProtected,
    byAgency: s.byAgency.map((t) => Object.assign(new AgencyTotalType(), { agency: agencies.get(t.agency)!, pieces: t.pieces, cases: t.cases })),
    byCategory: s.byCategory.map((t) => Object.assign(new CategoryTotalType(), t)),
    byChannel: s.byChannel.map((t) => Object.assign(new ChannelTotalType(), t)),
    byWeek: s.byWeek.map((t) => Object.assign(new PeriodTotalType(), { start: new Date(t.start), pieces: t.pieces, cases: t.cases })),
    byMonth: s.byMonth.map((t) => Object.assign(new PeriodTotalType(), { start: new Date(t.start), pieces: t.pieces, cases: t.cases })),
  });
}

// A federation entity: other subgraphs extend it through its key (src/federation).
@Directive('@key(fields: "id")')
@ObjectType('JointOperation')
export class JointOperationType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. Dragon Action 2020' })
  codeName!: string;

  @Field(() => String)
  objective!: string;

  @Field(() => AgencyType)
  leadAgency!: AgencyType;

  @Field(() => [AgencyType])
  participants!: AgencyType[];

  @Field(() => OperationStatus)
  status!: OperationStatus;

  @Field(() => DateTime)
  startsOn!: Date;

  @Field(() => DateTime, { nullable: true })
  endsOn!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'when it was concluded or cancelled' })
  closedAt!: Date | null;

  @Field(() => [TransportChannel])
  targetChannels!: TransportChannel[];

  @Field(() => [GoodsCategory])
  targetCategories!: GoodsCategory[];

  @Field(() => [String], { description: 'UN/LOCODEs' })
  targetPorts!: string[];

  // tasks, alerts, results and statistics: JointOperationResolver field resolvers.

  @Field(() => Int)
  version!: number;

  @Field(() => DateTime)
  createdAt!: Date;
}

export function toOperationType(o: JointOperation): JointOperationType {
  return Object.assign(new JointOperationType(), {
    id: o.id,
    codeName: o.codeName,
    objective: o.objective,
    leadAgency: toAgencyType(o.leadAgency),
    participants: o.participants.getItems().map(toAgencyType).sort((a, b) => a.code.localeCompare(b.code)),
    status: o.status,
    startsOn: o.startsOn,
    endsOn: o.endsOn ?? null,
    closedAt: o.closedAt ?? null,
    targetChannels: [...o.targetChannels],
    targetCategories: [...o.targetCategories],
    targetPorts: [...o.targetPorts],
    version: o.version,
    createdAt: o.createdAt,
  });
}

@ObjectType('JointOperationEdge')
export class JointOperationEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => JointOperationType)
  node!: JointOperationType;
}

@ObjectType('JointOperationConnection')
export class JointOperationConnection {
  @Field(() => [JointOperationEdge])
  edges!: JointOperationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;

  countTotal!: () => Promise<number>;
}

