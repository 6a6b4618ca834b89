import { useApolloClient, useMutation } from '@apollo/client/react';
import { Alert, App, Button, Flex, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { takesAlerts } from '../../common/operation-rules';
import { EmptyText, PageLink, RiskTag, StatusTag } from '../alerts/alert-tags';
import { graphql } from '../gql';
import type { LinkableAlertsQuery } from '../gql/graphql';
import { hubError } from './hub-error';
import { abilities, type OperationDetail, type ViewerInfo } from './operation-model';

const LinkableAlertsDocument = graphql(`
  query LinkableAlerts($filter: AlertFilter) {
    alerts(first: 20, filter: $filter) {
      edges {
        node {
          id
          reference
          title
        }
      }
    }
  }
`);

const LinkAlertDocument = graphql(`
  mutation LinkAlertToOperation($operationId: ID!, $alertId: ID!) {
    linkAlertToOperation(operationId: $operationId, alertId: $alertId) {
      id
    }
  }
`);

const UnlinkAlertDocument = graphql(`
  mutation UnlinkAlertFromOperation($operationId: ID!, $alertId: ID!) {
    unlinkAlertFromOperation(operationId: $operationId, alertId: $alertId) {
      id
    }
  }
`);

type Linked = OperationDetail['alerts']['edges'][number]['node'];
type Linkable = LinkableAlertsQuery['alerts']['edges'][number]['node'];

/** Quiet time after the last keystroke before the hub is asked. */
const DEBOUNCE_MS = 250;

/** One of the viewer's own live alerts, searched as typed, to link to the operation. */
function LinkAlert({ op, viewer, onChanged }: { op: OperationDetail; viewer: ViewerInfo; onChanged: () => void }) {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [search, setSearch] = useState<string | null>(null);
  const [found, setFound] = useState<Linkable[]>([]);
  const [picked, setPicked] = useState<string | undefined>();
  const [refused, setRefused] = useState<string | undefined>();
  const [link, linking] = useMutation(LinkAlertDocument);

  useEffect(() => {
    if (search === null) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      client
        .query({
          query: LinkableAlertsDocument,
          variables: { filter: { originAgency: [viewer.agency], status: ['PUBLISHED', 'UNDER_INSPECTION'], text: search.trim() || null } },
          fetchPolicy: 'network-only',
        })
        .then((r) => current && setFound(r.data?.alerts.edges.map((e) => e.node) ?? []))
        .catch(() => current && setFound([]));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, search, viewer.agency]);

  const linked = new Set(op.alerts.edges.map((e) => e.node.id));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex gap={8} wrap align="center">
        <label htmlFor="link-alert">{t('pages.operations.alerts.linkOwn', { agency: viewer.agency })}</label>
        <Select
          id="link-alert"
          style={{ minWidth: 420 }}
          value={picked}
          onChange={setPicked}
          placeholder={t('pages.operations.alerts.searchPlaceholder')}
          showSearch={{ filterOption: false, onSearch: setSearch }}
          onOpenChange={(open) => open && search === null && setSearch('')}
          options={found.filter((a) => !linked.has(a.id)).map((a) => ({ value: a.id, label: `${a.reference} — ${a.title}` }))}
          notFoundContent={t('pages.operations.alerts.noneToLink')}
        />
        <Button
          type="primary"
          disabled={!picked}
          loading={linking.loading}
          onClick={async () => {
            setRefused(undefined);
            try {
              await link({ variables: { operationId: op.id, alertId: picked! } });
              setPicked(undefined);
              onChanged();
            } catch (e) {
              setRefused(hubError(e).message);
            }
          }}
        >
          {t('pages.operations.alerts.link')}
        </Button>
      </Flex>
      {refused && <Alert type="error" showIcon title={t('pages.operations.refused', { message: refused })} />}
    </Space>
  );
}

/**
 * The alerts linked to the operation that the viewer may see, as the hub shows them. An
 * alert's originating agency (its COORDINATORs and ANALYSTs) links and unlinks its own, while
 * the operation is PLANNED or ACTIVE; an alert a result names stays (the hub says why).
 */
export function LinkedAlerts({ op, viewer, onChanged }: { op: OperationDetail; viewer: ViewerInfo; onChanged: () => void }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const [unlink] = useMutation(UnlinkAlertDocument);
  const [refused, setRefused] = useState<string | undefined>();
  const can = abilities(op, viewer);
  const open = takesAlerts(op.status);
  const rows = op.alerts.edges.map((e) => e.node);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('pages.operations.alerts.intro', { count: op.alerts.totalCount })} <PageLink to={`/alerts?operation=${op.id}`}>{t('pages.operations.alerts.onAlertsPage')}</PageLink>
      </Typography.Paragraph>
      {can.works && open && <LinkAlert op={op} viewer={viewer} onChanged={onChanged} />}
      {refused && <Alert type="error" showIcon closable={{ onClose: () => setRefused(undefined) }} title={t('pages.operations.refused', { message: refused })} />}
      <Table<Linked>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { key: 'reference', title: t('pages.operations.alerts.reference'), render: (_, a) => <PageLink to={`/alerts/${a.id}`}>{a.reference}</PageLink> },
          { key: 'title', title: t('pages.operations.alerts.alertTitle'), render: (_, a) => a.title },
          { key: 'origin', title: t('pages.operations.alerts.origin'), render: (_, a) => a.originAgency.code },
          { key: 'risk', title: t('pages.operations.alerts.risk'), render: (_, a) => <RiskTag risk={a.riskLevel} /> },
          { key: 'status', title: t('pages.operations.alerts.status'), render: (_, a) => <StatusTag status={a.status} /> },
          {
            key: 'actions',
            title: t('pages.operations.alerts.actions'),
            render: (_, a) =>
              can.works && open && a.originAgency.code === viewer.agency ? (
                <Button
                  size="small"
                  onClick={() =>
                    modal.confirm({
                      title: t('pages.operations.alerts.unlinkConfirm', { reference: a.reference }),
                      content: t('pages.operations.alerts.unlinkMeans'),
                      okText: t('pages.operations.alerts.unlink'),
                      cancelText: t('pages.operations.lifecycle.keep'),
                      onOk: async () => {
                        setRefused(undefined);
                        try {
                          await unlink({ variables: { operationId: op.id, alertId: a.id } });
                        } catch (e) {
                          setRefused(hubError(e).message);
                        }
                        onChanged();
                      },
                    })
                  }
                >
                  {t('pages.operations.alerts.unlink')}
                </Button>
              ) : null,
          },
        ]}
        locale={{ emptyText: <EmptyText>{t('pages.operations.alerts.none')}</EmptyText> }}
      />
    </Space>
  );
}
