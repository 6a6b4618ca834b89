import type { HubContext } from '../context';
import type { EventCursors } from './event-cursor';
import type { EventStream, LoggedEvent } from './event-log';

/**
 * What the fan-out needs from one subscription field: how to check a subscriber's arguments,
 * which events may concern it, and the root value of one event as one viewer may see it.
 */
export interface EventSource<Args = Record<string, unknown>> {
  stream: EventStream;
  /** Checks the arguments and the viewer's right to subscribe. @throws HubError */
  check(ctx: HubContext, args: Args): Promise<void>;
  /** Whether the event can concern this subscription at all, before any database work. */
  wants(event: LoggedEvent, args: Args): boolean;
  /**
   * The event as the context's viewer may see it, or null when it must not be sent at all;
   * its cursor sealed by `cursors`, the hub's.
   */
  load(ctx: HubContext, event: LoggedEvent, args: Args, cursors: EventCursors): Promise<object | null>;
  /** The same for several events at once, in their order, with a constant number of statements. */
  loadMany?(ctx: HubContext, events: readonly LoggedEvent[], args: Args, cursors: EventCursors): Promise<(object | null)[]>;
}

/** The subscription fields of the schema, by name; each resolver module registers its own. */
export const EVENT_SOURCES = new Map<string, EventSource<any>>();
