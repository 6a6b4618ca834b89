import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import { AlertFilter } from '../alerts/alert.inputs';
import { AlertService } from '../alerts/alert.service';
import { BadUserInputError } from '../common/errors';
import { encodeCursor } from '../common/pagination';
import type { HubContext } from '../context';
import { AlertEventType } from './alert-event.types';

/**
 * Each change is loaded for the subscriber through the same visibility, filter and projection
 * as the `alerts` query, on an EntityManager of its own; a change the subscriber may not see,
 * or that does not match its filter, is not sent at all.
 */
async function* alertEventStream(ctx: HubContext, filter: AlertFilter | null | undefined): AsyncGenerator<AlertEventType> {
  for await (const change of ctx.events.listen()) {
    const alerts = new AlertService(ctx.em.fork({ clear: true }), ctx.viewer, ctx.settings, undefined, ctx.accessLog);
    const alert = await alerts.getMatching(change.alertId, filter);
    if (!alert) continue;
    yield Object.assign(new AlertEventType(), {
      cursor: encodeCursor('alert-event', [change.occurredAt.getTime(), change.alertId, change.kind]),
      kind: change.kind,
      occurredAt: change.occurredAt,
      alert,
    });
  }
}

@Resolver(() => AlertEventType)
export class AlertEventResolver {
  @Subscription(() => AlertEventType, {
    description:
      'alerts as they are published and change; each event shows the alert as this subscriber may see it. since: resume after this cursor',
    subscribe: ({ args, context }) => {
      if (args.since != null) {
        throw new BadUserInputError('since: resuming from a cursor is not available yet; subscribe without it', 'since');
      }
      return alertEventStream(context as HubContext, args.filter);
    },
  })
  alertEvents(
    @Root() event: AlertEventType,
    @Arg('filter', () => AlertFilter, { nullable: true }) _filter?: AlertFilter,
    @Arg('since', () => String, { nullable: true }) _since?: string,
  ): AlertEventType {
    return event;
  }
}
