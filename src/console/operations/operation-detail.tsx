import { FilePdfOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Badge, Button, Card, Descriptions, Flex, List, Result, Space, Spin, Tabs, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { OPERATION_MOVES, type OperationState } from '../../common/operation-rules';
import { PageLink } from '../alerts/alert-tags';
import { graphql } from '../gql';
import type { OperationStatus } from '../gql/graphql';
import { formatDateTime, formatTime } from '../i18n/datetime';
import { SeizureCharts, useCount } from '../statistics/seizure-charts';
import { hubError } from './hub-error';
import { LinkedAlerts } from './linked-alerts';
import { abilities, countedResults, type OperationDetail, type ViewerInfo } from './operation-model';
import { OperationStatusTag } from './operation-tags';
import { ResultsPanel } from './results-panel';
import { TaskBoard } from './task-board';
import { useOperationEvents, type LiveStatus, type OperationEvent } from './use-operation-events';

export const OperationCoreFields = graphql(`
  fragment OperationCore on JointOperation {
    id
    codeName
    objective
    status
    version
    startsOn
    endsOn
    closedAt
    createdAt
    leadAgency {
      code
      name
    }
    participants {
      code
      name
    }
    targetChannels
    targetCategories
    targetPorts
  }
`);

export const OperationResultFields = graphql(`
  fragment OperationResultFields on OperationResult {
    id
    reportedAt
    casesOpened
    notes
    correctsResultId
    reportingAgency {
      code
    }
    seizures {
      category
      infringement
      channel
      pieces
      place
      rightsHolders {
        id
        name
      }
    }
  }
`);

const OperationDetailDocument = graphql(`
  query OperationDetail($id: ID!) {
    viewer {
      roles
      agency {
        code
      }
    }
    jointOperation(id: $id) {
      ...OperationCore
      tasks {
        id
        title
        description
        dueAt
        status
        assignedAgency {
          code
        }
      }
      alerts(first: 100) {
        totalCount
        edges {
          node {
            id
            reference
            title
            riskLevel
            status
            originAgency {
              code
            }
          }
        }
      }
      results {
        ...OperationResultFields
      }
      statistics {
        ...SeizureStatisticsFields
      }
    }
  }
`);

const SetOperationStatusDocument = graphql(`
  mutation SetOperationStatus($id: ID!, $version: Int!, $status: OperationStatus!) {
    setOperationStatus(id: $id, version: $version, status: $status) {
      ...OperationCore
    }
  }
`);

const LIVE_COLOURS: Record<LiveStatus, 'success' | 'processing' | 'warning' | 'error'> = { live: 'success', connecting: 'processing', reconnecting: 'warning', offline: 'error' };

/** One event as a line of the activity list. */
function useEventText() {
  const { t } = useTranslation();
  const count = useCount();
  return (e: OperationEvent) => {
    if (e.kind === 'RESULT_REPORTED' && e.result) {
      const pieces = e.result.seizures.reduce((n, s) => n + s.pieces, 0);
      const key = e.result.correctsResultId ? 'pages.operations.live.corrected' : 'pages.operations.live.reported';
      return t(key, { agency: e.result.reportingAgency.code, cases: count(e.result.casesOpened), pieces: count(pieces) });
    }
    if (e.kind === 'STATUS_CHANGED') return t('pages.operations.live.STATUS_CHANGED', { status: t(`pages.compose.enums.operationStatus.${e.operation.status}`) });
    return t(`pages.operations.live.${e.kind}`);
  };
}

/** The lifecycle: the state, and for the lead's COORDINATORs the moves the hub allows from it. */
function Lifecycle({ op, viewer, onChanged }: { op: OperationDetail; viewer: ViewerInfo; onChanged: () => void }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const [move, moving] = useMutation(SetOperationStatusDocument);
  const [refused, setRefused] = useState<string | undefined>();
  const can = abilities(op, viewer);
  const moves = OPERATION_MOVES[op.status as OperationState] as readonly OperationStatus[];
  const act = (status: OperationStatus) =>
    modal.confirm({
      title: t(`pages.operations.lifecycle.confirm.${status}`, { codeName: op.codeName }),
      content: t(`pages.operations.lifecycle.means.${status}`),
      okText: t(`pages.operations.lifecycle.move.${status}`),
      cancelText: t('pages.operations.lifecycle.keep'),
      okButtonProps: { danger: status === 'CANCELLED' },
      onOk: async () => {
        setRefused(undefined);
        try {
          await move({ variables: { id: op.id, version: op.version, status } });
          onChanged();
        } catch (e) {
          const h = hubError(e);
          setRefused(h.code === 'CONFLICT' ? t('pages.operations.lifecycle.conflict') : h.message);
          onChanged();
        }
      },
    });
  return (
    <Card title={<h2 className="hub-card-title">{t('pages.operations.lifecycle.title')}</h2>} size="small">
      <Flex gap={12} align="center" wrap>
        <span>
          {t('pages.operations.lifecycle.now')} <OperationStatusTag status={op.status} />
        </span>
        {can.leads &&
          moves.map((s) => (
            <Button key={s} danger={s === 'CANCELLED'} type={s === 'CANCELLED' ? 'default' : 'primary'} loading={moving.loading} onClick={() => act(s)}>
              {t(`pages.operations.lifecycle.move.${s}`)}
            </Button>
          ))}
        {moves.length === 0 && <Typography.Text type="secondary">{t('pages.operations.lifecycle.final')}</Typography.Text>}
        {!can.leads && moves.length > 0 && <Typography.Text type="secondary">{t('pages.operations.lifecycle.leadOnly', { agency: op.leadAgency.code })}</Typography.Text>}
      </Flex>
      {refused && <Alert style={{ marginTop: 12 }} type="error" showIcon title={t('pages.operations.refused', { message: refused })} />}
    </Card>
  );
}

/**
 * One operation at /operations/:id: its plan (objective, participants, period, channels,
 * commodities, ports), its lifecycle, the tasks per agency as a board, linked alerts, results
 * and statistics, all kept current through `operationEvents` while the page is open. To an
 * agency that does not take part the hub says nothing exists, and so does the page.
 */
export function OperationDetailPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const navigate = useNavigate();
  const { id = '' } = useParams();
  // The open tab is in the URL (?tab=): a reload, a shared link or the shell mounting the page
  // again (its viewer query coming back) keeps the officer where they were.
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'tasks';
  const setTab = useCallback(
    (key: string) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (key === 'tasks') next.delete('tab');
          else next.set('tab', key);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const { data, loading, error, refetch } = useQuery(OperationDetailDocument, { variables: { id }, fetchPolicy: 'network-only', notifyOnNetworkStatusChange: false });
  const reload = useCallback(() => void refetch().catch(() => undefined), [refetch]);
  const live = useOperationEvents(data?.jointOperation ? id : null, reload);
  const eventText = useEventText();

  if (!data) {
    if (loading) return <Spin />;
    return <Alert type="error" showIcon title={t('errors.generic', { message: error?.message ?? '' })} />;
  }
  const op = data.jointOperation;
  if (!op) {
    return (
      <>
        <Typography.Title level={1}>{t('pages.operations.title')}</Typography.Title>
        <Result status="404" title={t('pages.operations.notFound.title')} subTitle={t('pages.operations.notFound.detail')} extra={<PageLink to="/operations">{t('pages.operations.back')}</PageLink>} />
      </>
    );
  }
  const viewer: ViewerInfo = { agency: data.viewer.agency.code, roles: data.viewer.roles };
  const none = t('pages.operations.plan.none');
  const counted = countedResults(op.results);

  return (
    <>
      <PageLink to="/operations">{t('pages.operations.back')}</PageLink>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={1} style={{ marginTop: 8 }}>
          {op.codeName} <OperationStatusTag status={op.status} />
        </Typography.Title>
        <Space>
          <span role="status" aria-live="polite">
            <Badge status={LIVE_COLOURS[live.status]} text={t(`pages.operations.live.status.${live.status}`)} />
          </span>
          <Button icon={<FilePdfOutlined />} onClick={() => navigate(`/operations/${op.id}/report`)}>
            {t('pages.operations.report.open')}
          </Button>
        </Space>
      </Flex>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'objective', label: t('pages.operations.fields.objective'), children: op.objective, span: 'filled' },
            { key: 'lead', label: t('pages.operations.fields.lead'), children: `${op.leadAgency.code} — ${op.leadAgency.name}` },
            { key: 'participants', label: t('pages.operations.fields.participants'), children: op.participants.map((p) => p.code).join(', ') },
            {
              key: 'period',
              label: t('pages.operations.fields.period'),
              children: `${formatDateTime(op.startsOn, language)} – ${op.endsOn ? formatDateTime(op.endsOn, language) : t('pages.operations.fields.openEnded')}`,
            },
            { key: 'closedAt', label: t('pages.operations.fields.closedAt'), children: op.closedAt ? formatDateTime(op.closedAt, language) : '—' },
            { key: 'channels', label: t('pages.operations.fields.channels'), children: op.targetChannels.map((c) => t(`pages.compose.enums.channel.${c}`)).join(', ') || none },
            { key: 'categories', label: t('pages.operations.fields.categories'), children: op.targetCategories.map((c) => t(`pages.compose.enums.category.${c}`)).join(', ') || none },
            { key: 'ports', label: t('pages.operations.fields.ports'), children: op.targetPorts.join(', ') || none },
          ]}
        />
        <Lifecycle op={op} viewer={viewer} onChanged={reload} />
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'tasks', label: t('pages.operations.tabs.tasks', { count: op.tasks.length }), children: <TaskBoard op={op} viewer={viewer} onChanged={reload} /> },
            { key: 'alerts', label: t('pages.operations.tabs.alerts', { count: op.alerts.totalCount }), children: <LinkedAlerts op={op} viewer={viewer} onChanged={reload} /> },
            { key: 'results', label: t('pages.operations.tabs.results', { count: counted.length }), children: <ResultsPanel op={op} viewer={viewer} onChanged={reload} /> },
            { key: 'statistics', label: t('pages.operations.tabs.statistics'), children: <SeizureCharts stats={op.statistics} headingLevel={2} /> },
            {
              key: 'activity',
              label: t('pages.operations.tabs.activity'),
              children: (
                <List
                  size="small"
                  aria-label={t('pages.operations.live.title')}
                  locale={{ emptyText: t('pages.operations.live.none') }}
                  dataSource={live.events}
                  renderItem={(e) => (
                    <List.Item key={e.cursor}>
                      <time dateTime={e.occurredAt}>{formatTime(e.occurredAt, language)}</time> — {eventText(e)}
                    </List.Item>
                  )}
                />
              ),
            },
          ]}
        />
      </Space>
    </>
  );
}
