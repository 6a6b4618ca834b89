import { useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { Role } from './pages';

/** Who the hub says the token is: the header shows the hub's answer, not what the sign-in page asked for. */
export const ConsoleViewerQuery = graphql(`
  query ConsoleViewer {
    viewer {
      subject
      roles
      agency {
        code
        name
      }
    }
  }
`);

/**
 * The viewer as the hub answered. The shell asks as it first renders, the page beside it (it no
 * longer waits): a page asking while that request is on its way shares it (Apollo Client
 * deduplicates identical queries in flight), and later ones read the cache. `roles` is empty
 * until then.
 */
export function useViewer() {
  const result = useQuery(ConsoleViewerQuery);
  const viewer = result.data?.viewer;
  return { ...result, viewer, roles: (viewer?.roles ?? []) as Role[] };
}
