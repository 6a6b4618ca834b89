// First: Monaco's own <style> elements must carry the page's CSP nonce.
import './style-nonce';
// Monaco's workers (editor, JSON, GraphQL) as Vite `?worker` chunks served by the hub: no CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './hub-graphiql.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { buildSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
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
  const root = useRef<HTMLDivElement>(null);
  useSessionToolbar(root, t('pages.explorer.sessions'));

  return (
    <div ref={root} style={{ height: '100%' }}>
    <GraphiQL
      fetcher={fetcher}
      schema={schema}
      defaultQuery={DEFAULT_QUERY}
      storage={window.sessionStorage}
      isHeadersEditorEnabled={false}
      forcedTheme="light"
    />
    </div>
  );
}

/**
 * GraphiQL marks each session tab's `<li>` as `role="tab"` and puts its buttons inside it: a
 * control nested in a control (axe: nested-interactive), and with two sessions open each tab's
 * close button sits in the tablist where only tabs may (aria-required-children). Its sessions are
 * not tab panels switched in place anyway but editor states, so the strip is presented as what it
 * is: a toolbar of buttons, the current session's marked `aria-current`, each with its close
 * button beside it. GraphiQL re-renders the strip, so the roles are reapplied on each change.
 */
function useSessionToolbar(root: RefObject<HTMLDivElement | null>, label: string) {
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const set = (node: Element, name: string, value: string | null) => {
      if (value === null) {
        if (node.hasAttribute(name)) node.removeAttribute(name);
      } else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
    };
    const apply = () => {
      for (const strip of element.querySelectorAll('.graphiql-tabs')) {
        set(strip, 'role', 'toolbar');
        set(strip, 'aria-label', label);
      }
      for (const item of element.querySelectorAll<HTMLElement>('li.graphiql-tab')) {
        // GraphiQL writes aria-selected on the <li> when the current session changes.
        const selected = item.getAttribute('aria-selected') ?? item.dataset.selected ?? 'false';
        item.dataset.selected = selected;
        set(item, 'role', 'presentation');
        set(item, 'aria-selected', null);
        const button = item.querySelector('.graphiql-tab-button');
        if (button) set(button, 'aria-current', selected === 'true' ? 'true' : null);
      }
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(element, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-selected', 'role'] });
    return () => observer.disconnect();
  }, [root, label]);
}
