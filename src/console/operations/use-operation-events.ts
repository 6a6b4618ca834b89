import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import type { OperationLiveSubscription } from '../gql/graphql';
import { socketOf } from '../graphql/apollo';

/** One operation's events: what changed, and for a result who reported what. */
const OperationLiveDocument = graphql(`
  subscription OperationLive($id: ID!, $since: String) {
    operationEvents(operationId: $id, since: $since) {
      cursor
      kind
      occurredAt
      operation {
        id
        status
        version
      }
      result {
        id
        correctsResultId
        casesOpened
        reportingAgency {
          code
        }
        seizures {
          pieces
        }
      }
    }
  }
`);

export type OperationEvent = OperationLiveSubscription['operationEvents'];
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** The page keeps this many of the latest events to show (the operation's own record is on the hub). */
const KEPT = 50;

/**
 * `operationEvents(operationId)` while the page is open: each event is passed to `onEvent` (the
 * page reads the operation again) and kept, newest first, for the activity list. A socket that
 * closed is subscribed again from the last cursor (`since`), so nothing that happened meanwhile
 * is missed; events are told apart by cursor, so none shows twice. Nothing is stored in the
 * browser: a reload reads the operation afresh. `operationId` null: nothing to follow (the hub
 * did not show the operation).
 */
export function useOperationEvents(operationId: string | null, onEvent: (e: OperationEvent) => void): { events: OperationEvent[]; status: LiveStatus } {
  const apollo = useApolloClient();
  const [events, setEvents] = useState<OperationEvent[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!operationId) return undefined;
    const watch = socketOf(apollo);
    const seen = new Set<string>();
    let cursor: string | undefined;
    let disposed = false;
    let current: { unsubscribe(): void } | undefined;
    setEvents([]);

    const id = operationId;
    function start() {
      current?.unsubscribe();
      current = apollo
        .subscribe({ query: OperationLiveDocument, variables: { id, since: cursor ?? null }, fetchPolicy: 'no-cache', context: { queryDeduplication: false } })
        .subscribe({
          next: (result) => {
            if (disposed) return;
            if (result.error || !result.data) {
              setStatus('offline');
              return;
            }
            const e = result.data.operationEvents;
            if (seen.has(e.cursor)) return;
            seen.add(e.cursor);
            cursor = e.cursor;
            setEvents((list) => [e, ...list].slice(0, KEPT));
            handler.current(e);
          },
          error: () => !disposed && setStatus('offline'),
        });
    }

    const offs = watch
      ? [
          watch.socket.on('connecting', () => setStatus((s) => (s === 'connecting' ? 'connecting' : 'reconnecting'))),
          watch.socket.on('connected', () => setStatus('live')),
          watch.socket.on('closed', (e) => {
            if (disposed || !current) return;
            // 1000: graphql-ws closing an idle socket itself. Anything else dropped the subscription.
            if ((e as { code?: number } | undefined)?.code === 1000) return;
            setStatus('reconnecting');
            start();
          }),
        ]
      : [];
    setStatus(watch?.state() === 'connected' ? 'live' : 'connecting');
    start();
    return () => {
      disposed = true;
      offs.forEach((off) => off());
      current?.unsubscribe();
      current = undefined;
    };
  }, [apollo, operationId]);

  return { events, status };
}
