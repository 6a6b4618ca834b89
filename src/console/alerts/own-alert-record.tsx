import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AlertAccessLogQuery, AlertHistoryQuery } from '../gql/graphql';
import { EmptyText, StatusTag } from './alert-tags';
import { DecideDisclosureDialog, type Deciding } from './decide-disclosure';
import { AlertDisclosureRequestsQueryDocument, useDisclosureColumns, type DisclosureRow } from './disclosure-panel';

const AlertHistoryQueryDocument = graphql(`
  query AlertHistory($id: ID!) {
    alertHistory(alertId: $id) {
      at
      kind
      fromStatus
      toStatus
      note
      subject
      agency {
        code
      }
    }
  }
`);

const AlertAccessLogQueryDocument = graphql(`
  query AlertAccessLog($id: ID!, $first: Int, $after: String) {
    alertAccessLog(alertId: $id, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          at
          subject
          via
          disclosed
          agency {
            code
            name
          }
        }
      }
    }
  }
`);

const ACCESS_LOG_PAGE = 20;

type HistoryRow = AlertHistoryQuery['alertHistory'][number];
type AccessRow = AlertAccessLogQuery['alertAccessLog']['edges'][number];

function History({ alertId }: { alertId: string }) {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(AlertHistoryQueryDocument, { variables: { id: alertId }, fetchPolicy: 'network-only' });
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.history.title')}</h2>}>
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />}
      <Table<HistoryRow & { key: string }>
        size="small"
        pagination={false}
        loading={loading && !data}
        dataSource={(data?.alertHistory ?? []).map((h, i) => ({ ...h, key: String(i) }))}
        columns={[
          { key: 'at', title: t('pages.alerts.history.at'), render: (_, h) => <DateTime value={h.at} /> },
          { key: 'kind', title: t('pages.alerts.history.kind'), render: (_, h) => t(`pages.alerts.history.kinds.${h.kind}`) },
          {
            key: 'status',
            title: t('pages.alerts.fields.status'),
            render: (_, h) => (
              <Space size={4}>
                {h.fromStatus && h.fromStatus !== h.toStatus && (
                  <>
                    <StatusTag status={h.fromStatus} />→
                  </>
                )}
                <StatusTag status={h.toStatus} />
              </Space>
            ),
          },
          { key: 'who', title: t('pages.alerts.history.who'), render: (_, h) => `${h.agency.code} · ${h.subject}` },
          { key: 'note', title: t('pages.alerts.history.note'), render: (_, h) => h.note ?? '—' },
        ]}
        locale={{ emptyText: <EmptyText>{t('pages.alerts.history.none')}</EmptyText> }}
      />
    </Card>
  );
}

function AccessLog({ alertId }: { alertId: string }) {
  const { t } = useTranslation();
  const [after, setAfter] = useState<string | null>(null);
  const [previous, setPrevious] = useState<(string | null)[]>([]);
  const { data, error, loading } = useQuery(AlertAccessLogQueryDocument, { variables: { id: alertId, first: ACCESS_LOG_PAGE, after }, fetchPolicy: 'network-only' });
  const log = data?.alertAccessLog;
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.accessLog.title')}</h2>}>
      <Typography.Paragraph type="secondary">{t('pages.alerts.accessLog.intro', { total: log?.totalCount ?? 0 })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />}
      <Table<AccessRow>
        rowKey="cursor"
        size="small"
        pagination={false}
        loading={loading && !data}
        dataSource={log?.edges ?? []}
        columns={[
          { key: 'at', title: t('pages.alerts.accessLog.at'), render: (_, e) => <DateTime value={e.node.at} /> },
          { key: 'agency', title: t('pages.alerts.accessLog.agency'), render: (_, e) => <Tag>{e.node.agency.code}</Tag> },
          { key: 'subject', title: t('pages.alerts.accessLog.subject'), render: (_, e) => e.node.subject },
          { key: 'disclosed', title: t('pages.alerts.accessLog.disclosed'), render: (_, e) => e.node.disclosed.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ') },
          { key: 'via', title: t('pages.alerts.accessLog.via'), render: (_, e) => t(`pages.alerts.accessLog.routes.${e.node.via}`, { defaultValue: e.node.via }) },
        ]}
        locale={{ emptyText: <EmptyText>{t('pages.alerts.accessLog.none')}</EmptyText> }}
      />
      <nav aria-label={t('pages.alerts.accessLog.paging')}>
        <Space style={{ marginTop: 12 }}>
          <Button
            disabled={previous.length === 0}
            onClick={() => {
              setAfter(previous[previous.length - 1] ?? null);
              setPrevious(previous.slice(0, -1));
            }}
          >
            {t('pages.alerts.previousPage')}
          </Button>
          <Button
            disabled={!log?.pageInfo.hasNextPage}
            onClick={() => {
              setPrevious([...previous, after]);
              setAfter(log?.pageInfo.endCursor ?? null);
            }}
          >
            {t('pages.alerts.nextPage')}
          </Button>
        </Space>
      </nav>
    </Card>
  );
}

/** Partners' requests for this alert; ANALYSTs of the originating agency approve (for a time) or deny them. */
function ReceivedRequests({ alertId, canDecide }: { alertId: string; canDecide: boolean }) {
  const { t } = useTranslation();
  const requests = useQuery(AlertDisclosureRequestsQueryDocument, { variables: { alertId }, fetchPolicy: 'network-only' });
  const [open, setOpen] = useState<Deciding | undefined>();
  const columns = useDisclosureColumns();
  const rows = requests.data?.disclosureRequests ?? [];

  const actions = {
    key: 'actions',
    title: t('pages.alerts.disclosure.actions'),
    render: (_: unknown, r: DisclosureRow) =>
      r.status === 'PENDING' ? (
        <Space>
          <Button size="small" type="primary" onClick={() => setOpen({ request: r, approve: true })} aria-label={t('pages.alerts.disclosure.approveFor', { agency: r.requestingAgency.code })}>
            {t('pages.alerts.disclosure.approve')}
          </Button>
          <Button size="small" onClick={() => setOpen({ request: r, approve: false })} aria-label={t('pages.alerts.disclosure.denyFor', { agency: r.requestingAgency.code })}>
            {t('pages.alerts.disclosure.deny')}
          </Button>
        </Space>
      ) : null,
  };

  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.disclosure.received')}</h2>}>
      {requests.error && <Alert type="error" showIcon title={t('errors.generic', { message: requests.error.message })} />}
      <Table<DisclosureRow>
        rowKey="id"
        size="small"
        pagination={false}
        loading={requests.loading && !requests.data}
        dataSource={rows}
        columns={canDecide ? [...columns, actions] : columns}
        locale={{ emptyText: <EmptyText>{t('pages.alerts.disclosure.noneReceived')}</EmptyText> }}
      />
      <DecideDisclosureDialog deciding={open} onClose={() => setOpen(undefined)} onDecided={() => requests.refetch()} />
    </Card>
  );
}

/** What only the originating agency reads of its own alert: the changes, who read it, and partners' requests. */
export function OwnAlertRecord({ alertId, canDecide }: { alertId: string; canDecide: boolean }) {
  return (
    <>
      <ReceivedRequests alertId={alertId} canDecide={canDecide} />
      <History alertId={alertId} />
      <AccessLog alertId={alertId} />
    </>
  );
}
