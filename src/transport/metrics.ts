import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { PoolStats } from '../db/orm';

/**
 * The hub's Prometheus metrics, on a registry of its own (tests run several hubs in one
 * process). Labels come from the schema and the error codes only, never from what a client
 * names (operation names are free text: as labels they would grow without bound).
 */
export class HubMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'hub_graphql_requests_total',
    help: 'GraphQL operations by operation (type and root fields), transport and outcome (ok or the error code)',
    labelNames: ['operation', 'transport', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'hub_graphql_request_duration_seconds',
    help: 'GraphQL operation latency, from receipt to response',
    labelNames: ['operation_type', 'transport'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly eventLag = new Histogram({
    name: 'hub_event_lag_seconds',
    help: 'From an event written in the log to its delivery to subscribers',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'hub_rate_limited_total',
    help: 'Requests refused with 429 (or a socket error) for going over the per-subject rate',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  readonly jwksFetchFailures = new Counter({
    name: 'hub_jwks_fetch_failures_total',
    help: "Failed fetches of an agency's JWKS (its identity provider down, erring or too slow): its tokens are refused meanwhile",
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  readonly poolWait = new Histogram({
    name: 'hub_db_pool_acquire_wait_seconds',
    help: 'How long a checkout waited for a pooled database connection, by pool (request or event)',
    labelNames: ['pool'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  constructor(
    live: () => { sockets: number; subscriptions: number; delivered: number; slowConsumersClosed: number; listening: boolean },
    pools: () => Record<string, PoolStats> = () => ({}),
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
    new Gauge({ name: 'hub_websocket_open', help: 'Open WebSocket connections', registers: [this.registry], collect() { this.set(live().sockets); } });
    new Gauge({ name: 'hub_subscriptions_active', help: 'Active subscriptions', registers: [this.registry], collect() { this.set(live().subscriptions); } });
    liveCounter(this.registry, 'hub_events_delivered_total', 'Events delivered to subscribers', () => live().delivered);
    liveCounter(this.registry, 'hub_slow_consumers_closed_total', 'Sockets closed because their client read too slowly', () => live().slowConsumersClosed);
    new Gauge({
      name: 'hub_db_pool_connections',
      help: 'Database pool connections by pool (request or event) and state: used, free, or waiting (checkouts queued for one)',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        for (const [pool, s] of Object.entries(pools())) {
          this.set({ pool, state: 'used' }, s.used);
          this.set({ pool, state: 'free' }, s.free);
          this.set({ pool, state: 'waiting' }, s.waiting);
        }
      },
    });
    new Gauge({ name: 'hub_event_feed_listening', help: '1 while the LISTEN connection to the event log is up', registers: [this.registry], collect() { this.set(live().listening ? 1 : 0); } });
  }
}

/**
 * A Prometheus counter over a count the hub keeps elsewhere (the fan-out's, the socket
 * server's): at each scrape it goes up by what the count grew since the last one.
 */
function liveCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}

/** `query:alerts,viewer`-style label for an operation: its type and root fields, sorted. */
export function operationLabel(document: DocumentNode | undefined, operation: OperationDefinitionNode | null | undefined): string {
  if (!document || !operation) return 'unparsed';
  // Parsed documents are kept and sent again: an operation's label is worked out once.
  let label = labels.get(operation);
  if (label === undefined) labels.set(operation, (label = labelOf(document, operation)));
  return label;
}

const labels = new WeakMap<OperationDefinitionNode, string>();

function labelOf(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fields = new Set<string>();
  const visit = (selections: readonly import('graphql').SelectionNode[], depth: number) => {
    for (const s of selections) {
      if (s.kind === Kind.FIELD) fields.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet.selections, depth + 1);
      else if (depth < 5) {
        const def = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
        if (def && def.kind === Kind.FRAGMENT_DEFINITION) visit(def.selectionSet.selections, depth + 1);
      }
    }
  };
  visit(operation.selectionSet.selections, 0);
  return `${operation.operation}:${[...fields].sort().join(',')}`;
}
