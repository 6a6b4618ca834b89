import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../common/errors';
import type { AlertEventKind, OperationEventKind } from '../common/enums';

/**
 * The event log (`hub_event`, see its migration): the record behind alertEvents and
 * operationEvents. Writers append inside the transaction of their change; readers take only
 * rows below the oldest transaction still in progress, in (tx, id) order, which makes a
 * position a sound resume point under any number of concurrent writers. Clients see positions
 * only sealed (event-cursor.ts).
 */

export type EventStream = 'alert' | 'operation' | 'correlation';

/** A place in the log: the writing transaction's id, then the row's id. */
export interface Position {
  tx: bigint;
  id: bigint;
}

export const ORIGIN: Position = { tx: 0n, id: 0n };

export interface LoggedEvent extends Position {
  stream: EventStream;
  kind: string;
  alertId: string | null;
  operationId: string | null;
  resultId: string | null;
  /** For the 'correlation' stream: the correlation (one side of a pair) that began or ended. */
  correlationId: string | null;
  occurredAt: Date;
}

/** True when `a` comes after `b` in the log. */
export function isAfter(a: Position, b: Position): boolean {
  return a.tx > b.tx || (a.tx === b.tx && a.id > b.id);
}

/** Runs one SQL statement with `?` placeholders; the ORM's connection or the feed's own. */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Appends an alert event in `em`'s transaction; it exists only if that transaction commits. */
export async function appendAlertEvent(em: EntityManager, alertId: string, kind: AlertEventKind): Promise<void> {
  await em.execute(`insert into hub_event (stream, kind, alert_id) values ('alert', ?, ?)`, [kind, alertId], 'run');
}

/** Appends an operation event in `em`'s transaction; `resultId` for RESULT_REPORTED. */
export async function appendOperationEvent(em: EntityManager, operationId: string, kind: OperationEventKind, resultId?: string): Promise<void> {
  await em.execute(`insert into hub_event (stream, kind, operation_id, result_id) values ('operation', ?, ?, ?)`, [kind, operationId, resultId ?? null], 'run');
}

function toEvent(r: Record<string, unknown>): LoggedEvent {
  return {
    tx: BigInt(r.tx as string),
    id: BigInt(r.id as string),
    stream: r.stream as EventStream,
    kind: r.kind as string,
    alertId: (r.alert_id as string | null) ?? null,
    operationId: (r.operation_id as string | null) ?? null,
    resultId: (r.result_id as string | null) ?? null,
    correlationId: (r.correlation_id as string | null) ?? null,
    occurredAt: r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at as string),
  };
}

export interface LogRead {
  /** Events after the position, in order, whose transactions have all ended. */
  events: LoggedEvent[];
  /** True when rows after them exist whose transaction (or an older one) is still open: read again soon. */
  held: boolean;
}

/**
 * Reads up to `limit` final events after `after`. A row is final once its transaction id is
 * below the current snapshot's xmin: every transaction below it has committed or aborted, so
 * no row can appear there any more. Rows at or above the horizon are held for a later read.
 */
export async function readEvents(query: Query, after: Position, limit: number): Promise<LogRead> {
  const rows = await query(
    `select e.id::text as id, e.tx::text as tx, e.stream, e.kind, e.alert_id, e.operation_id, e.result_id, e.correlation_id, e.occurred_at,
            e.tx >= pg_snapshot_xmin(pg_current_snapshot()) as held
       from hub_event e
      where (e.tx, e.id) > (?::text::xid8, ?::bigint)
      order by e.tx, e.id
      limit ?`,
    [after.tx.toString(), after.id.toString(), limit + 1],
  );
  const events: LoggedEvent[] = [];
  for (const r of rows.slice(0, limit)) {
    if (r.held) return { events, held: true };
    events.push(toEvent(r));
  }
  return { events, held: rows.length > limit && Boolean(rows[limit].held) };
}

/** The last final position: where a subscriber without `since` starts. */
export async function currentHead(query: Query): Promise<Position> {
  const rows = await query(
    // Qualified: unqualified, ORDER BY would sort the text aliases ('999' after '1000').
    `select e.id::text as id, e.tx::text as tx from hub_event e
      where e.tx < pg_snapshot_xmin(pg_current_snapshot()) order by e.tx desc, e.id desc limit 1`,
    [],
  );
  return rows.length ? { tx: BigInt(rows[0].tx as string), id: BigInt(rows[0].id as string) } : ORIGIN;
}

/**
 * Checks that everything after a resume position is still in the log: the position is at or
 * after the prune horizon, and the last event at or before it is inside the retention window.
 * Whether an event sits exactly at the position plays no part (a forged position tells
 * nothing about events the caller cannot see); a position past the log's end only makes its
 * holder skip events up to it.
 * @throws BadUserInputError telling the client to reload when it is not.
 */
export async function checkResumable(query: Query, p: Position, retentionDays: number, argName = 'since'): Promise<void> {
  const [row] = await query(
    `select (?::text::xid8, ?::bigint) >= (h.tx, h.row_id) as kept,
            (select e.occurred_at >= now() - make_interval(days => ?) from hub_event e
              where (e.tx, e.id) <= (?::text::xid8, ?::bigint) order by e.tx desc, e.id desc limit 1) as recent
       from hub_event_horizon h where h.id = 1`,
    [p.tx.toString(), p.id.toString(), retentionDays, p.tx.toString(), p.id.toString()],
  );
  if (!row?.kept || row.recent === false) {
    throw new BadUserInputError(
      `${argName}: this cursor is older than the ${retentionDays}-day event retention: reload with queries, then subscribe without since`,
      argName,
    );
  }
}

/**
 * Deletes events older than the retention window and moves the prune horizon past them; returns
 * how many went. Correlations that ended before the window go with them: only their ENDED
 * events, now gone, still named them.
 */
export async function pruneEvents(query: Query, retentionDays: number): Promise<number> {
  const rows = await query(
    `with gone as (delete from hub_event where occurred_at < now() - make_interval(days => ?) returning tx, id),
          ended as (delete from correlation where ended_at < now() - make_interval(days => ?)),
          top as (select tx, id from gone order by tx desc, id desc limit 1),
          moved as (update hub_event_horizon h set tx = top.tx, row_id = top.id from top
                     where h.id = 1 and (top.tx, top.id) > (h.tx, h.row_id) returning 1)
     select (select count(*) from gone)::int as n, (select count(*) from moved)::int as moved`,
    [retentionDays, retentionDays],
  );
  return Number(rows[0]?.n ?? 0);
}
