// First: Monaco's own <style> elements must carry the page's CSP nonce.
import './style-nonce';
// Monaco's workers (editor, JSON, GraphQL) as Vite `?worker` chunks served by the hub: no CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { buildSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useRef } from 'react';
import { GRAPHQL_PATH, graphqlWsUrl } from '../graphql/apollo';
import { useSession } from '../sign-in/session-context';
// The hub's schema as the build saw it (`npm run schema` writes it): GraphiQL never introspects.
import schemaSdl from '../../../schema/schema.graphql?raw';

const schema = buildSchema(schemaSdl);

const DEFAULT_QUERY = `# The hub's GraphQL API, as the signed-in agency.
{
  viewer {
    subject
    roles
    agency {
      code
      name
    }
  }
}
`;

/**
 * GraphiQL on the hub: HTTP with the session's bearer token (read at each request, so a renewed
 * token is used), subscriptions over graphql-ws with the token in connectionParams, and the
 * embedded schema. Its editors' state lives in this tab's sessionStorage, like the session.
 */
export default function HubGraphiQL() {
  const { session } = useSession();
  const token = useRef(session?.token);
  token.current = session?.token;

  const { fetcher, socket } = useMemo(() => {
    const bearer = () => `Bearer ${token.current ?? ''}`;
    const socket = createClient({ url: graphqlWsUrl(), connectionParams: () => ({ authorization: bearer() }), lazy: true, retryAttempts: 0 });
    const fetcher = createGraphiQLFetcher({
      url: `${window.location.origin}${GRAPHQL_PATH}`,
      wsClient: socket,
      fetch: (input, init) => fetch(input, { ...init, credentials: 'omit', headers: { ...(init?.headers as Record<string, string>), authorization: bearer() } }),
    });
    return { fetcher, socket };
  }, []);
  useEffect(() => () => void socket.dispose(), [socket]);

  return (
    <GraphiQL
      fetcher={fetcher}
      schema={schema}
      defaultQuery={DEFAULT_QUERY}
      storage={window.sessionStorage}
      isHeadersEditorEnabled={false}
      forcedTheme="light"
    />
  );
}
