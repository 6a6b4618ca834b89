import { CombinedGraphQLErrors } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import type { AlertFilter, LiveBoardEventsSubscription } from '../gql/graphql';
import { socketOf } from '../graphql/apollo';
import { clearBoard, loadBoard, saveBoard, type BoardEvent } from './board-storage';

/** The board's subscription: only the fields a row shows, nothing an officer did not ask for. */
const LiveBoardEventsDocument = graphql(`
  subscription LiveBoardEvents($filter: AlertFilter, $since: String) {
    alertEvents(filter: $filter, since: $since) {
      cursor
      kind
      occurredAt
      alert {
        id
        reference
        title
        riskLevel
        channel
        portOfLoading
        portOfDischarge
        originAgency {
          code
        }
      }
    }
  }
`);

/**
 * Events the board keeps in memory, newest first; older ones drop off the end (the Alerts page
 * has them all). 20,000 rows of the board's few fields are about 10 MB of heap.
 */
export const MAX_KEPT_EVENTS = 20_000;
/**
 * Arrivals are gathered and shown together at most this often: a burst of thousands is a few
 * renders, not thousands. The first after a quiet spell shows at once (the replayed row after a
 * reload, a lone alert), the rest of a burst within FLUSH_MS.
 */
const FLUSH_MS = 100;
/** After the socket gave up (graphql-ws retried and failed), the board tries again this often. */
const OFFLINE_RETRY_MS = 10_000;

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface AlertEventsState {
  /** Newest first, at most MAX_KEPT_EVENTS. */
  events: BoardEvent[];
  status: ConnectionStatus;
  /** The hub refused the stored cursor (too old, or not its own): the board started fresh. */
  resumeRefused: boolean;
  /** Try again now (offline). */
  reconnect(): void;
}

/** A refusal of `since` (BAD_USER_INPUT on field since): an expired or foreign cursor. */
function isRefusedCursor(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT' && (e.extensions?.field === 'since' || /\bsince\b/.test(e.message)));
}

/** A row from one AlertEvent, as the hub sent it. */
function toRow(data: LiveBoardEventsSubscription | undefined): BoardEvent | undefined {
  if (!data) return undefined;
  const { cursor, kind, occurredAt, alert } = data.alertEvents;
  return {
    cursor,
    kind,
    occurredAt: String(occurredAt),
    alertId: alert.id,
    reference: alert.reference,
    title: alert.title,
    riskLevel: alert.riskLevel,
    channel: alert.channel,
    originAgency: alert.originAgency.code,
    portOfLoading: alert.portOfLoading ?? null,
    portOfDischarge: alert.portOfDischarge ?? null,
  };
}

/**
 * `alertEvents(filter, since)` through the session's Apollo Client (its graphql-ws link), for
 * one viewer (agency and subject: the key of what the tab keeps).
 *
 * Resuming: every event's cursor is kept; a reload, a reconnect (the socket closed and
 * graphql-ws opened a new one) and a filter change all subscribe again with `since` = the last
 * cursor, so the hub replays what came meanwhile. Events are told apart by cursor (the same
 * position always has the same cursor), so a replay never shows an event twice. A cursor the
 * hub refuses (older than its retention, or of another deployment) is dropped: the board says
 * so and starts fresh.
 *
 * `onArrived` gets each batch of new events (oldest first), for sound and notifications.
 */
export function useAlertEvents(agency: string, subject: string, filter: AlertFilter, onArrived: (batch: BoardEvent[]) => void): AlertEventsState {
  const apollo = useApolloClient();
  const [initial] = useState(() => loadBoard(agency, subject));
  const [events, setEvents] = useState<BoardEvent[]>(() => initial?.events ?? []);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [resumeRefused, setResumeRefused] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const kept = useRef<BoardEvent[]>(initial?.events ?? []);
  const seen = useRef<Set<string>>(new Set(kept.current.map((e) => e.cursor)));
  const cursor = useRef<string | undefined>(initial?.cursor);
  const pending = useRef<BoardEvent[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastFlush = useRef(-Infinity);
  const arrived = useRef(onArrived);
  arrived.current = onArrived;

  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    const watch = socketOf(apollo);
    let disposed = false;
    let current: { unsubscribe(): void } | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      flushTimer.current = undefined;
      lastFlush.current = performance.now();
      const batch = pending.current;
      if (batch.length === 0) return;
      pending.current = [];
      const newestFirst = batch.slice().reverse();
      const merged = newestFirst.length >= MAX_KEPT_EVENTS ? newestFirst.slice(0, MAX_KEPT_EVENTS) : newestFirst.concat(kept.current.slice(0, MAX_KEPT_EVENTS - newestFirst.length));
      if (merged.length < kept.current.length + newestFirst.length) {
        // Some fell off the end: forget their cursors too (a replay never reaches back past the last cursor).
        seen.current = new Set(merged.map((e) => e.cursor));
      }
      kept.current = merged;
      setEvents(merged);
      if (cursor.current) saveBoard(agency, subject, { cursor: cursor.current, events: merged });
      arrived.current(batch);
    };

    const receive = (row: BoardEvent) => {
      if (seen.current.has(row.cursor)) return;
      seen.current.add(row.cursor);
      cursor.current = row.cursor;
      pending.current.push(row);
      flushTimer.current ??= setTimeout(flush, Math.max(0, lastFlush.current + FLUSH_MS - performance.now()));
    };

    const fail = (error: unknown) => {
      if (disposed) return;
      if (isRefusedCursor(error) && cursor.current) {
        cursor.current = undefined;
        clearBoard(agency, subject);
        setResumeRefused(true);
        start();
        return;
      }
      current = undefined;
      setStatus('offline');
      clearTimeout(retry);
      retry = setTimeout(() => setAttempt((n) => n + 1), OFFLINE_RETRY_MS);
    };

    function start() {
      current?.unsubscribe();
      // Whatever arrived but is not shown yet goes first: `since` must not pass rows the board lost.
      if (pending.current.length) flush();
      const variables = { filter, since: cursor.current ?? null };
      current = apollo
        .subscribe({ query: LiveBoardEventsDocument, variables, fetchPolicy: 'no-cache', context: { queryDeduplication: false } })
        .subscribe({
          next: (result) => {
            if (result.error) return fail(result.error);
            const row = toRow(result.data);
            if (row) receive(row);
          },
          error: fail,
        });
    }

    const offs = watch
      ? [
          watch.socket.on('connecting', () => setStatus((s) => (s === 'connecting' ? 'connecting' : 'reconnecting'))),
          watch.socket.on('connected', () => setStatus('live')),
          watch.socket.on('closed', (e) => {
            if (disposed || !current) return;
            // 1000: graphql-ws closing an idle socket itself (between two subscriptions). Anything
            // else dropped the subscription: subscribe again from the last cursor (graphql-ws alone
            // would repeat the first `since`, or none).
            const code = (e as { code?: number } | undefined)?.code;
            if (code === 1000) return;
            setStatus('reconnecting');
            start();
          }),
        ]
      : [];
    // Given up (offline): the browser says the network is back, so try now rather than at the
    // next OFFLINE_RETRY_MS. (A socket that is still open is probed by the client: createHubClient.)
    const online = () => {
      if (disposed || current) return;
      clearTimeout(retry);
      setAttempt((n) => n + 1);
    };
    window.addEventListener('online', online);
    setStatus(watch?.state() === 'connected' ? 'live' : attempt > 0 ? 'reconnecting' : 'connecting');
    start();
    return () => {
      disposed = true;
      window.removeEventListener('online', online);
      offs.forEach((off) => off());
      clearTimeout(retry);
      current?.unsubscribe();
      current = undefined;
      if (flushTimer.current) {
        clearTimeout(flushTimer.current);
        flush();
      }
    };
    // filterKey stands for filter; agency and subject are fixed for the board's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [apollo, filterKey, attempt]);

  return { events, status, resumeRefused, reconnect: () => setAttempt((n) => n + 1) };
}
