import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toAgencyType } from '../agencies/agency.type';
import { alertConnection } from '../alerts/alert.resolver';
import { AlertConnection, DistributionType } from '../alerts/alert.types';
import { FieldClass, OperationStatus, TaskStatus } from '../common/enums';
import { Classified } from '../access/field-class';
import { forwardPageInfo } from '../common/pagination';
import type { HubContext } from '../context';
import {
  CreateJointOperationInput,
  OperationResultInput,
  OperationTaskInput,
  StatisticsFilter,
  UpdateJointOperationInput,
} from './operation.inputs';
import {
  JointOperationConnection,
  JointOperationEdge,
  JointOperationType,
  OperationResultType,
  OperationTaskType,
  SeizureStatisticsType,
  toOperationType,
  toResultType,
  toStatisticsType,
  toTaskType,
} from './operation.types';

async function statistics(ctx: HubContext, filter: StatisticsFilter | null | undefined): Promise<SeizureStatisticsType> {
  const [stats, agencies] = await Promise.all([ctx.operations.statistics(filter), ctx.agencies.list()]);
  return toStatisticsType(stats, new Map(agencies.map((a) => [a.code, toAgencyType(a)])));
}

@Resolver(() => JointOperationType)
export class JointOperationResolver {
  @Query(() => JointOperationType, { nullable: true })
  async jointOperation(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<JointOperationType | null> {
    const op = await ctx.operations.get(id);
    return op ? toOperationType(op) : null;
  }

  @Query(() => JointOperationConnection)
  async jointOperations(
    @Ctx() ctx: HubContext,
    @Arg('status', () => [OperationStatus], { nullable: true }) status?: OperationStatus[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number = 20,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('search', () => String, { nullable: true, description: 'only operations whose code name or objective holds this text, in any case (at most 100 characters)' })
    search?: string,
  ): Promise<JointOperationConnection> {
    const page = await ctx.operations.list(status, first, after, search);
    const edges = page.nodes.map((n) => Object.assign(new JointOperationEdge(), { cursor: n.cursor, node: toOperationType(n.operation) }));
    return Object.assign(new JointOperationConnection(), { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, after), countTotal: page.countTotal });
  }

  @Query(() => SeizureStatisticsType)
  seizureStatistics(@Ctx() ctx: HubContext, @Arg('filter', () => StatisticsFilter, { nullable: true }) filter?: StatisticsFilter): Promise<SeizureStatisticsType> {
    return statistics(ctx, filter);
  }

  @FieldResolver(() => [OperationTaskType])
  async tasks(@Root() op: JointOperationType, @Ctx() ctx: HubContext): Promise<OperationTaskType[]> {
    return (await ctx.operations.tasks(op.id)).map(toTaskType);
  }

  @FieldResolver(() => AlertConnection, { description: 'the linked alerts this viewer may see, as it may see them' })
  alerts(
    @Root() op: JointOperationType,
    @Ctx() ctx: HubContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number = 20,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AlertConnection> {
    return alertConnection(ctx, { operationId: op.id }, first, after);
  }

  @FieldResolver(() => [OperationResultType])
  async results(@Root() op: JointOperationType, @Ctx() ctx: HubContext): Promise<OperationResultType[]> {
    return (await ctx.operations.results(op.id)).map(toResultType);
  }

  @FieldResolver(() => SeizureStatisticsType, { name: 'statistics' })
  operationStatistics(@Root() op: JointOperationType, @Ctx() ctx: HubContext): Promise<SeizureStatisticsType> {
    return statistics(ctx, { operationId: op.id });
  }

  @Mutation(() => JointOperationType)
  async createJointOperation(@Arg('input', () => CreateJointOperationInput) input: CreateJointOperationInput, @Ctx() ctx: HubContext): Promise<JointOperationType> {
    return toOperationType(await ctx.operations.create(input));
  }

  @Mutation(() => JointOperationType)
  async updateJointOperation(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateJointOperationInput) input: UpdateJointOperationInput,
    @Ctx() ctx: HubContext,
  ): Promise<JointOperationType> {
    return toOperationType(await ctx.operations.update(id, version, input));
  }

  @Mutation(() => JointOperationType)
  async setOperationStatus(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('status', () => OperationStatus) status: OperationStatus,
    @Ctx() ctx: HubContext,
  ): Promise<JointOperationType> {
    return toOperationType(await ctx.operations.setStatus(id, version, status));
  }

  @Mutation(() => OperationTaskType)
  async addOperationTask(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('input', () => OperationTaskInput) input: OperationTaskInput,
    @Ctx() ctx: HubContext,
  ): Promise<OperationTaskType> {
    return toTaskType(await ctx.operations.addTask(operationId, input));
  }

  @Mutation(() => OperationTaskType)
  async setTaskStatus(@Arg('taskId', () => ID) taskId: string, @Arg('status', () => TaskStatus) status: TaskStatus, @Ctx() ctx: HubContext): Promise<OperationTaskType> {
    return toTaskType(await ctx.operations.setTaskStatus(taskId, status));
  }

  @Mutation(() => JointOperationType)
  async linkAlertToOperation(@Arg('operationId', () => ID) operationId: string, @Arg('alertId', () => ID) alertId: string, @Ctx() ctx: HubContext): Promise<JointOperationType> {
    return toOperationType(await ctx.operations.linkAlert(operationId, alertId));
  }

  @Mutation(() => JointOperationType, {
    description: "the alert's originator takes it off a PLANNED or ACTIVE operation; an alert that a result of the operation names stays linked",
  })
  async unlinkAlertFromOperation(@Arg('operationId', () => ID) operationId: string, @Arg('alertId', () => ID) alertId: string, @Ctx() ctx: HubContext): Promise<JointOperationType> {
    return toOperationType(await ctx.operations.unlinkAlert(operationId, alertId));
  }

  @Mutation(() => OperationResultType)
  async reportOperationResult(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('input', () => OperationResultInput) input: OperationResultInput,
    @Ctx() ctx: HubContext,
  ): Promise<OperationResultType> {
    return toResultType(await ctx.operations.report(operationId, input));
  }
}

@Resolver(() => JointOperationConnection)
export class JointOperationConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: JointOperationConnection): Promise<number> {
    return connection.countTotal();
  }
}

@Resolver(() => DistributionType)
export class DistributionResolver {
  /** The operation of an OPERATION-scoped alert, for participants only; null for anyone else. */
  @FieldResolver(() => JointOperationType, { nullable: true })
  @Classified(FieldClass.CORE)
  async operation(@Root() d: DistributionType, @Ctx() ctx: HubContext): Promise<JointOperationType | null> {
    if (!d.operationId) return null;
    const op = await ctx.operations.get(d.operationId);
    return op ? toOperationType(op) : null;
  }
}

