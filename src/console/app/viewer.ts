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
 * The viewer as the hub answered (the shell asks once, before any page shows; pages read the
 * cached answer). `roles` is empty until then.
 */
export function useViewer() {
  const result = useQuery(ConsoleViewerQuery);
  const viewer = result.data?.viewer;
  return { ...result, viewer, roles: (viewer?.roles ?? []) as Role[] };
}
