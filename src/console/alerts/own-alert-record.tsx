import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AlertAccessLogQuery, AlertHistoryQuery } from '../gql/graphql';
import { formatDateTime } from '../i18n/datetime';
import { EmptyText, StatusTag } from './alert-tags';
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

const DecideDisclosureMutation = graphql(`
  mutation DecideDisclosure($requestId: ID!, $approve: Boolean!, $expiresAt: DateTime, $note: String) {
    decideDisclosure(requestId: $requestId, approve: $approve, expiresAt: $expiresAt, note: $note) {
      id
      status
      expiresAt
      decidedAt
      decidedBy
      decisionNote
    }
  }
`);

const ACCESS_LOG_PAGE = 20;
/** How long an approval grants: the hub takes at most 90 days. */
const GRANT_DAYS = [1, 7, 30, 90] as const;
const DAY_MS = 24 * 3600_000;

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

type Deciding = { request: DisclosureRow; approve: boolean };

/** Partners' requests for this alert; ANALYSTs of the originating agency approve (for a time) or deny them. */
function ReceivedRequests({ alertId, canDecide }: { alertId: string; canDecide: boolean }) {
  const { t, i18n } = useTranslation();
  const requests = useQuery(AlertDisclosureRequestsQueryDocument, { variables: { alertId }, fetchPolicy: 'network-only' });
  const [decide, deciding] = useMutation(DecideDisclosureMutation);
  const [open, setOpen] = useState<Deciding | undefined>();
  const [form] = Form.useForm<{ days: number; note?: string }>();
  const columns = useDisclosureColumns();
  const rows = requests.data?.disclosureRequests ?? [];
  const language = i18n.resolvedLanguage ?? 'en';

  const submit = async (v: { days: number; note?: string }) => {
    if (!open) return;
    // 90 days is the hub's limit measured when it decides: a minute's margin keeps "90" inside it.
    const expiresAt = open.approve ? new Date(Date.now() + v.days * DAY_MS - (v.days === 90 ? 60_000 : 0)).toISOString() : null;
    await decide({ variables: { requestId: open.request.id, approve: open.approve, expiresAt, note: v.note?.trim() || null } });
    setOpen(undefined);
    form.resetFields();
    await requests.refetch();
  };

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
      <Modal
        open={!!open}
        title={open ? t(open.approve ? 'pages.alerts.disclosure.approveTitle' : 'pages.alerts.disclosure.denyTitle', { agency: open.request.requestingAgency.code }) : ''}
        okText={open?.approve ? t('pages.alerts.disclosure.approve') : t('pages.alerts.disclosure.deny')}
        cancelText={t('pages.alerts.disclosure.cancel')}
        // Ant Design's danger red (#ff4d4f) under white text is short of AA contrast: Deny is a plain button.
        okButtonProps={{ loading: deciding.loading }}
        onOk={() => form.submit()}
        onCancel={() => setOpen(undefined)}
        destroyOnHidden
      >
        {open && (
          <Form form={form} layout="vertical" name="decide-disclosure" initialValues={{ days: 30 }} onFinish={(v) => void submit(v).catch(() => undefined)}>
            <Typography.Paragraph>
              {t('pages.alerts.disclosure.decideIntro', {
                agency: open.request.requestingAgency.code,
                classes: open.request.fieldClasses.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', '),
              })}
            </Typography.Paragraph>
            {open.approve && (
              <Form.Item label={t('pages.alerts.disclosure.grantFor')} name="days">
                <Select
                  options={GRANT_DAYS.map((d) => ({
                    value: d,
                    label: t(`pages.alerts.disclosure.grant.d${d}`, { until: formatDateTime(Date.now() + d * DAY_MS, language) }),
                  }))}
                />
              </Form.Item>
            )}
            <Form.Item
              label={t('pages.alerts.disclosure.note')}
              name="note"
              rules={open.approve ? [] : [{ required: true, whitespace: true, message: t('pages.alerts.disclosure.noteRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
            {deciding.error && <Alert type="error" showIcon title={t('errors.generic', { message: deciding.error.message })} />}
          </Form>
        )}
      </Modal>
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
