import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AlertCorrelationsQuery } from '../gql/graphql';
import { EmptyText, PageLink } from './alert-tags';
import { DisclosureCountsQuery } from '../inbox/inbox-count';

/**
 * The correlations of one of the viewer's agency's own alerts (the hub answers only its
 * originator): which agency's alert shares an identifier of which class and kind, never the
 * identifier. The other alert's reference comes only where the hub shows the alert and the
 * matched class on it; otherwise a sealed handle stands in, to ask its holder through.
 */
const AlertCorrelationsQueryDocument = graphql(`
  query AlertCorrelations($alertId: ID!, $after: String) {
    correlations(alertId: $alertId, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          kind
          fieldClass
          sameAgency
          createdAt
          otherReference
          otherAgency {
            code
            name
          }
          other {
            id
          }
          handle
        }
      }
    }
  }
`);

const RequestCorrelatedDisclosureMutation = graphql(`
  mutation RequestCorrelatedDisclosure($handle: String!, $justification: String!) {
    requestDisclosureByHandle(handle: $handle, fieldClasses: [], justification: $justification) {
      id
      status
    }
  }
`);

type CorrelationRow = AlertCorrelationsQuery['correlations']['edges'][number]['node'];

/**
 * On one's own alert (ANALYSTs: the hub refuses others): its correlations, and where the hub
 * does not name the other alert (the agency may not see it, or not the matched class on it),
 * a disclosure request for the matched class through the correlation's handle in one click.
 * A named alert's class is never withheld (the hub names it only then): it needs no request.
 */
export function CorrelationPanel({ alertId, reference }: { alertId: string; reference: string }) {
  const { t } = useTranslation();
  const { data, error, loading, fetchMore } = useQuery(AlertCorrelationsQueryDocument, { variables: { alertId }, fetchPolicy: 'network-only' });
  const [request, requesting] = useMutation(RequestCorrelatedDisclosureMutation, { refetchQueries: [DisclosureCountsQuery] });
  const [requested, setRequested] = useState<ReadonlySet<string>>(new Set());
  const rows = data?.correlations.edges.map((e) => e.node) ?? [];

  const ask = async (c: CorrelationRow) => {
    await request({
      variables: {
        // An empty list of classes asks for the class of the handle's hit.
        handle: c.handle!,
        justification: t('pages.alerts.correlations.justification', { reference, kind: t(`pages.alerts.identifierKind.${c.kind}`) }),
      },
    });
    setRequested((s) => new Set(s).add(c.id));
  };

  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.correlations.title')}</h2>}>
      <Typography.Paragraph>{t('pages.alerts.correlations.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} style={{ marginBottom: 12 }} />}
      {requesting.error && <Alert type="error" showIcon title={t('errors.generic', { message: requesting.error.message })} style={{ marginBottom: 12 }} />}
      {data && data.correlations.totalCount > 0 && (
        <Typography.Paragraph type="secondary">{t('pages.alerts.correlations.count', { shown: rows.length, count: data.correlations.totalCount })}</Typography.Paragraph>
      )}
      <Table<CorrelationRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        loading={loading && !data}
        locale={{ emptyText: <EmptyText>{t('pages.alerts.correlations.none')}</EmptyText> }}
        columns={[
          {
            key: 'agency',
            title: t('pages.alerts.correlations.agency'),
            render: (_, c) => (
              <>
                {`${c.otherAgency.code} — ${c.otherAgency.name}`} {c.sameAgency && <Tag>{t('pages.alerts.correlations.sameAgency')}</Tag>}
              </>
            ),
          },
          { key: 'class', title: t('pages.alerts.correlations.fieldClass'), render: (_, c) => t(`pages.alerts.fieldClass.${c.fieldClass}`) },
          { key: 'kind', title: t('pages.alerts.correlations.kind'), render: (_, c) => t(`pages.alerts.identifierKind.${c.kind}`) },
          {
            key: 'other',
            title: t('pages.alerts.correlations.other'),
            render: (_, c) =>
              c.other && c.otherReference ? (
                <PageLink to={`/alerts/${c.other.id}`}>{c.otherReference}</PageLink>
              ) : (
                <Typography.Text type="secondary">{t('pages.alerts.correlations.notShared', { agency: c.otherAgency.code })}</Typography.Text>
              ),
          },
          { key: 'createdAt', title: t('pages.alerts.correlations.foundAt'), render: (_, c) => <DateTime value={c.createdAt} /> },
          {
            key: 'action',
            title: t('pages.alerts.correlations.action'),
            render: (_, c) =>
              requested.has(c.id) ? (
                <Typography.Text>{t('pages.alerts.correlations.requested')}</Typography.Text>
              ) : c.handle ? (
                <Button
                  size="small"
                  loading={requesting.loading}
                  aria-label={t('pages.alerts.correlations.requestFrom', { agency: c.otherAgency.code, fieldClass: t(`pages.alerts.fieldClass.${c.fieldClass}`) })}
                  onClick={() => void ask(c).catch(() => undefined)}
                >
                  {t('pages.alerts.correlations.request')}
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {data?.correlations.pageInfo.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void fetchMore({ variables: { after: data.correlations.pageInfo.endCursor }, updateQuery: (prev, { fetchMoreResult }) => ({ correlations: { ...fetchMoreResult.correlations, edges: [...prev.correlations.edges, ...fetchMoreResult.correlations.edges] } }) })}>
          {t('pages.alerts.correlations.more')}
        </Button>
      )}
    </Card>
  );
}
