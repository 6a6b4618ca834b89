import { join } from 'node:path';
import type { ExampleClient } from '../../scripts/example-stories';
import { subscribe } from './events';
import type { TestHub } from './hub';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'docs', 'examples');

/** The worked-examples runner's view of a test hub: its agencies' tokens, HTTP and graphql-ws. */
export function exampleClient(t: TestHub): ExampleClient {
  return {
    token: (agency, roles) => t.token(agency, roles),
    request: async (token, query, variables) => (await t.gql(token, query, variables)).body,
    // Waits until the hub holds the subscription (and, without `since`, for the feed to catch up).
    subscribe: (token, query, variables) => subscribe(t, token, query, variables),
  };
}
