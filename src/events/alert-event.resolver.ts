import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import { AlertFilter } from '../alerts/alert.inputs';
import type { AlertEventKind } from '../common/enums';
import type { HubContext } from '../context';
import { AlertEventType } from './alert-event.types';
import { EVENT_SOURCES, type EventSource } from './event-source';
import { servedByFanOut } from './fanout';

/**
 * Each event is loaded through the same visibility, filter and projection as the `alerts`
 * query, at delivery time: an alert the subscriber may not see, or that does not match its
 * filter, is not sent at all.
 */
const alertEvents: EventSource<{ filter?: AlertFilter | null }> = {
  stream: 'alert',
  async check(ctx, args) {
    ctx.alerts.checkFilter(args.filter);
  },
  wants: (event) => event.stream === 'alert',
  async load(ctx: HubContext, event, args, cursors) {
    return (await alertEvents.loadMany!(ctx, [event], args, cursors))[0];
  },
  // One visibility query and one load for a burst of events, however many; still one
  // access-log read per event delivered (the fan-out starts a read per event).
  async loadMany(ctx: HubContext, events, args, cursors) {
    const alerts = await ctx.alerts.getMany(events.map((e) => e.alertId!), args.filter);
    return events.map((event) => {
      const alert = alerts.get(event.alertId!);
      if (!alert) return null;
      return Object.assign(new AlertEventType(), { cursor: cursors.encode(event), kind: event.kind as AlertEventKind, occurredAt: event.occurredAt, alert });
    });
  },
};
EVENT_SOURCES.set('alertEvents', alertEvents);

@Resolver(() => AlertEventType)
export class AlertEventResolver {
  @Subscription(() => AlertEventType, {
    description:
      'alerts as they are published and change; each event shows the alert as this subscriber may see it. since: resume after this cursor',
    subscribe: servedByFanOut,
  })
  alertEvents(
    @Root() event: AlertEventType,
    @Arg('filter', () => AlertFilter, { nullable: true }) _filter?: AlertFilter,
    @Arg('since', () => String, { nullable: true }) _since?: string,
  ): AlertEventType {
    return event;
  }
}
