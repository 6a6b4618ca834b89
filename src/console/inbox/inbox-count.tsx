import { useQuery } from '@apollo/client/react';
import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { useViewer } from '../app/viewer';
import { graphql } from '../gql';

/**
 * How many disclosure requests wait, on either side of the viewer's agency. Decisions and
 * requests made in this console refetch it (refetchQueries); others' are seen within a minute.
 */
export const DisclosureCountsQuery = graphql(`
  query DisclosureCounts {
    disclosureCounts {
      receivedPending
      sentPending
    }
  }
`);

/** Requests from partners are looked for again this often (there is no live feed of requests). */
export const COUNTS_POLL_MS = 60_000;

/**
 * Beside "Disclosure inbox" in the menu: the partners' requests waiting for the agency's
 * decision (red for analysts, who decide them; grey for others, who only follow them).
 */
export function InboxCount() {
  const { t } = useTranslation();
  const { roles } = useViewer();
  const { data } = useQuery(DisclosureCountsQuery, { pollInterval: COUNTS_POLL_MS, fetchPolicy: 'cache-and-network' });
  const n = data?.disclosureCounts.receivedPending ?? 0;
  if (n === 0) return null;
  const label = t('pages.inbox.toDecide', { count: n });
  return (
    <Badge
      count={n}
      overflowCount={99}
      color={roles.includes('ANALYST') ? '#a8071a' : '#595959'}
      title={label}
      style={{ marginInlineStart: 4 }}
    />
  );
}
