import { Arg, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { OperationEventKind } from '../common/enums';
import { BadUserInputError, NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import type { HubContext } from '../context';
import { JointOperationType, OperationResultType } from '../operations/operation.types';
import { EVENT_SOURCES, type EventSource } from './event-source';
import { servedByFanOut } from './fanout';

@ObjectType('OperationEvent')
export class OperationEventType {
  @Field(() => String)
  cursor!: string;

  @Field(() => OperationEventKind)
  kind!: OperationEventKind;

  @Field(() => DateTime)
  occurredAt!: Date;

  /** The operation as this subscriber may see it at delivery. */
  @Field(() => JointOperationType)
  operation!: JointOperationType;

  /** The result reported, for RESULT_REPORTED. */
  @Field(() => OperationResultType, { nullable: true })
  result?: OperationResultType | null;
}

/** Events of the operations the subscriber's agency takes part in, checked at delivery. */
const operationEvents: EventSource<{ operationId?: string | null }> = {
  stream: 'operation',
  async check(ctx, args) {
    if (args.operationId == null) {
      ctx.operations.checkReader();
      return;
    }
    if (!isUuid(args.operationId)) throw new BadUserInputError('operationId does not name a joint operation', 'operationId');
    if (!(await ctx.operations.get(args.operationId))) throw new NotFoundError('joint operation', args.operationId);
  },
  wants: (event, args) => event.stream === 'operation' && (args.operationId == null || event.operationId === args.operationId),
  async load(ctx: HubContext, event, _args, cursors) {
    const operation = await ctx.operations.get(event.operationId!);
    if (!operation) return null;
    const result = event.resultId ? await ctx.operations.result(operation.id, event.resultId) : null;
    return Object.assign(new OperationEventType(), {
      cursor: cursors.encode(event),
      kind: event.kind as OperationEventKind,
      occurredAt: event.occurredAt,
      operation: operation as unknown as JointOperationType,
      result: result as unknown as OperationResultType | null,
    });
  },
};
EVENT_SOURCES.set('operationEvents', operationEvents);

@Resolver(() => OperationEventType)
export class OperationEventResolver {
  @Subscription(() => OperationEventType, {
    description: "events of the joint operations the subscriber's agency takes part in",
    subscribe: servedByFanOut,
  })
  operationEvents(
    @Root() event: OperationEventType,
    @Arg('operationId', () => ID, { nullable: true }) _operationId?: string,
    @Arg('since', () => String, { nullable: true }) _since?: string,
  ): OperationEventType {
    return event;
  }
}
