import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';

/** The hub's GraphQL endpoint, for HTTP and WebSocket alike, on the origin that served the console. */
export const GRAPHQL_PATH = '/graphql';

/** ws(s)://<this host>/graphql. */
export function graphqlWsUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`;
}

/** What the console's graphql-ws socket is doing (for a connection indicator). */
export type SocketState = 'idle' | 'connecting' | 'connected' | 'closed';

export interface SocketWatch {
  socket: Client;
  state(): SocketState;
}

const sockets = new WeakMap<ApolloClient, SocketWatch>();

/** The graphql-ws socket under an Apollo Client made by createHubClient, and its current state. */
export function socketOf(apollo: ApolloClient): SocketWatch | undefined {
  return sockets.get(apollo);
}

/**
 * The console pings the hub over its socket this often (graphql-ws `keepAlive`), and takes a
 * pong not back within PONG_TIMEOUT_MS for a dead link. A network that fails on the way closes
 * nothing: the browser's socket would stay open, and the board say "Live", until the operating
 * system gave up on the connection, which can take many minutes.
 */
export const KEEP_ALIVE_MS = 10_000;
export const PONG_TIMEOUT_MS = 5_000;
/**
 * When the browser says the network is back (`online`), or the tab comes back after being
 * hidden at least KEEP_ALIVE_MS (timers may have been throttled meanwhile), the socket is probed
 * at once with a ping of its own, and taken for dead when no pong comes back in this time,
 * rather than waiting up to KEEP_ALIVE_MS + PONG_TIMEOUT_MS for the next keep-alive to find out.
 * A pong on loopback or a partner's link takes milliseconds; a link that is back answers well within this.
 */
export const PROBE_TIMEOUT_MS = 2_000;

/** graphql-ws's own back-off between reconnection attempts (1 s, 2 s, 4 s … and up to 3 s more at random). */
function backoffMs(retries: number): number {
  return 1000 * 2 ** retries + Math.floor(Math.random() * 2700 + 300);
}

export interface HubClient {
  apollo: ApolloClient;
  /** The graphql-ws client under the subscriptions (opened at the first subscription). */
  socket: Client;
  dispose(): void;
}

/**
 * Apollo Client for one session: queries and mutations over HTTP POST with the bearer token
 * (a JSON body, which is what the hub's CSRF rule and its `jsonOnly` ask of a browser),
 * subscriptions over graphql-ws with the token in `connectionParams.authorization`.
 * `getToken` is read at each request and each socket connection, so a token renewed at the
 * agency's provider is used from then on without a new client (and without a new cache).
 * A refusal of the token (UNAUTHENTICATED, HTTP 401, socket closed 4401/4403) calls `onRefused`,
 * except a socket the hub closed because the token it opened with expired while a renewed one
 * is at hand: that socket reconnects with the renewed token.
 */
export function createHubClient(getToken: () => string | undefined, onRefused: () => void): HubClient {
  const bearer = () => `Bearer ${getToken() ?? ''}`;
  const http = new HttpLink({ uri: GRAPHQL_PATH, credentials: 'omit' });
  const auth = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ headers: { ...headers, authorization: bearer() } }));
    return forward(operation);
  });
  let connectedWith: string | undefined;
  const refused = (e: unknown) => e instanceof CloseEvent && (e.code === 4401 || e.code === 4403);
  const stale = () => connectedWith !== getToken();
  let state: SocketState = 'idle';
  let pongDue: ReturnType<typeof setTimeout> | undefined;
  /** The open socket, once the hub acknowledged it (for the probe's ping). */
  let open: WebSocket | undefined;
  /** Ends a back-off under way at once (the network is back); set while graphql-ws waits to retry. */
  let wake: (() => void) | undefined;
  /** The next back-off is skipped: the probe found the socket dead, and the network is known to be up. */
  let hurry = false;
  const socket: Client = createClient({
    url: graphqlWsUrl(),
    connectionParams: () => {
      connectedWith = getToken();
      return { authorization: bearer() };
    },
    lazy: true,
    retryAttempts: 5,
    retryWait: (retries) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, hurry ? 0 : backoffMs(retries));
        hurry = false;
        wake = done;
      }),
    // The hub closes with 4401 (no valid token) and 4403 (refused or expired): retrying with the same token cannot help.
    shouldRetry: (e) => !refused(e) || stale(),
    keepAlive: KEEP_ALIVE_MS,
    on: {
      connecting: () => (state = 'connecting'),
      connected: (opened) => {
        state = 'connected';
        open = opened as WebSocket;
      },
      // No pong in time: close it at once (graphql-ws's synthetic 4499, which it retries) rather
      // than through a closing handshake that a dead link would never finish.
      ping: (received) => {
        if (received) return;
        clearTimeout(pongDue);
        pongDue = setTimeout(() => socket.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongDue);
      },
      closed: (e) => {
        clearTimeout(pongDue);
        state = 'closed';
        open = undefined;
        if (refused(e) && !stale()) onRefused();
      },
    },
  });

  /**
   * The network may be back (see PROBE_TIMEOUT_MS): a connected socket is pinged, and ended at
   * once when no pong comes back in time (graphql-ws then reconnects without its back-off, and
   * the board resubscribes with `since`: nothing lost, nothing repeated). A socket still opening
   * (it may have been opened into the outage, and hang) is ended and opened anew; a back-off
   * under way ends now.
   */
  const probe = () => {
    if (wake) return wake();
    if (state === 'connecting') {
      hurry = true;
      socket.terminate();
      return;
    }
    if (state !== 'connected' || !open || open.readyState !== WebSocket.OPEN) return;
    open.send(JSON.stringify({ type: 'ping' }));
    clearTimeout(pongDue);
    pongDue = setTimeout(() => {
      hurry = true;
      socket.terminate();
    }, PROBE_TIMEOUT_MS);
  };
  let hiddenSince: number | undefined;
  const visibility = () => {
    if (document.visibilityState === 'hidden') {
      hiddenSince = Date.now();
      return;
    }
    const hiddenMs = hiddenSince === undefined ? 0 : Date.now() - hiddenSince;
    hiddenSince = undefined;
    if (hiddenMs >= KEEP_ALIVE_MS) probe();
  };
  window.addEventListener('online', probe);
  document.addEventListener('visibilitychange', visibility);

  const ws = new GraphQLWsLink(socket);
  const errors = new ErrorLink(({ error }) => {
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && error.statusCode === 401);
    if (unauthenticated) onRefused();
  });
  const link = ApolloLink.from([errors, ApolloLink.split(({ query }) => isSubscriptionOperation(query), ws, ApolloLink.from([auth, http]))]);
  const apollo = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        // The viewer is one object: queries that ask for different fields of it merge instead of
        // overwriting each other (which made the cache refetch, and the hub log, a read twice).
        Viewer: { merge: true },
      },
    }),
  });
  sockets.set(apollo, { socket, state: () => state });
  return {
    apollo,
    socket,
    dispose() {
      window.removeEventListener('online', probe);
      document.removeEventListener('visibilitychange', visibility);
      clearTimeout(pongDue);
      apollo.stop();
      void socket.dispose();
    },
  };
}
