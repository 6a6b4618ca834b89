import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { CorrelationEventKind } from '../common/enums';
import { forwardPageInfo } from '../common/pagination';
import type { HubContext } from '../context';
import { EVENT_SOURCES, type EventSource } from '../events/event-source';
import { servedByFanOut } from '../events/fanout';
import { CorrelationService } from './correlation.service';
import { CorrelationConnection, CorrelationEdge, CorrelationEventType, CorrelationType } from './correlation.types';
import { HitHandles } from './hit-handle';

/** The correlations of the context's viewer, with the context's alerts (and so its access log). */
export function correlationsOf(ctx: HubContext): CorrelationService {
  return new CorrelationService(ctx.em, ctx.viewer, ctx.alerts, ctx.agencies, new HitHandles(ctx.settings.matchKeys));
}

/**
 * Correlation events go to the subscribers of the agency whose side of the pair the event names
 * (within one agency, both sides are its own: an event each), rendered at delivery through the
 * same service as the query: any other agency's group loads nothing and sends nothing.
 */
const correlationEvents: EventSource<Record<string, never>> = {
  stream: 'correlation',
  async check(ctx) {
    correlationsOf(ctx).checkReader();
  },
  wants: (event) => event.stream === 'correlation',
  async load(ctx, event, args, cursors) {
    return (await correlationEvents.loadMany!(ctx, [event], args, cursors))[0];
  },
  async loadMany(ctx, events, _args, cursors) {
    const found = await correlationsOf(ctx).getMany(events.map((e) => e.correlationId!));
    return events.map((event, i) => {
      const correlation = found[i];
      if (!correlation) return null;
      return Object.assign(new CorrelationEventType(), { cursor: cursors.encode(event), kind: event.kind as CorrelationEventKind, occurredAt: event.occurredAt, correlation });
    });
  },
};
EVENT_SOURCES.set('correlationEvents', correlationEvents);

@Resolver(() => CorrelationType)
export class CorrelationResolver {
  @Query(() => CorrelationConnection, {
    description:
      "alerts of other agencies (and of the viewer's own) that share an identifier with the viewer's agency's alerts, newest first; " +
      'with alertId, those of that alert (one of its own) only. Only the two originators of a pair see it. ANALYST',
  })
  async correlations(
    @Ctx() ctx: HubContext,
    @Arg('alertId', () => ID, { nullable: true }) alertId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<CorrelationConnection> {
    const page = await correlationsOf(ctx).list(alertId, first, after);
    const edges = page.nodes.map((n) => Object.assign(new CorrelationEdge(), { cursor: n.cursor, node: n.correlation }));
    return Object.assign(new CorrelationConnection(), { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, after), countTotal: page.countTotal });
  }

  @Subscription(() => CorrelationEventType, {
    description:
      "correlations of the viewer's agency's alerts as they begin (NEW) and end (ENDED), each as the query shows it. since: resume after this cursor. ANALYST",
    subscribe: servedByFanOut,
  })
  correlationEvents(@Root() event: CorrelationEventType, @Arg('since', () => String, { nullable: true }) _since?: string): CorrelationEventType {
    return event;
  }
}

@Resolver(() => CorrelationConnection)
export class CorrelationConnectionResolver {
  /** Counted only when selected: the count is a statement of its own. */
  @FieldResolver(() => Int)
  totalCount(@Root() connection: CorrelationConnection): Promise<number> {
    return connection.countTotal();
  }
}
