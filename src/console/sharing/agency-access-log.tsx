import { DownloadOutlined } from '@ant-design/icons';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Flex, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { EmptyText, PageLink } from '../alerts/alert-tags';
import { HubDateTimePicker } from '../components/hub-date-time-picker';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AccessLogFilter, AccessRoute, AgencyAccessLogQuery } from '../gql/graphql';
import { accessLogCsv, CSV_COLUMNS, type CsvColumn, type CsvEntry } from './access-log-csv';

const AgencyAccessLogQueryDocument = graphql(`
  query AgencyAccessLog($filter: AccessLogFilter, $first: Int, $after: String) {
    agencyAccessLog(filter: $filter, first: $first, after: $after) {
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
          alertId
          agency {
            code
          }
          alert {
            id
            reference
            title
          }
        }
      }
    }
  }
`);

/** Partners to filter by. */
const AccessLogPartnersQuery = graphql(`
  query AccessLogPartners {
    viewer {
      agency {
        code
      }
    }
    agencies {
      code
      name
    }
  }
`);

/** The agency's own alert that a register reference names (the log holds no other agency's alerts). */
const OwnAlertByReferenceQuery = graphql(`
  query OwnAlertByReference($reference: String!, $own: [ID!]!) {
    alerts(filter: { reference: $reference, originAgency: $own }, first: 1) {
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

const PAGE = 50;
/** The export reads the log this many at a time (the hub's largest page)… */
const EXPORT_PAGE = 100;
/** …and stops at this many entries: a larger export is asked for with a narrower filter. */
export const EXPORT_MAX = 10_000;
const ROUTES: AccessRoute[] = ['QUERY', 'SUBSCRIPTION', 'FEDERATION', 'MATCH', 'EXPORT'];

type Edge = AgencyAccessLogQuery['agencyAccessLog']['edges'][number];

interface FilterValues {
  partner?: string;
  reference?: string;
  via?: AccessRoute[];
  from?: string | null;
  to?: string | null;
}

/** The filter as the URL keeps it (a reload or a shared link shows the same reads). */
function readParams(params: URLSearchParams): FilterValues {
  const via = (params.get('via') ?? '').split(',').filter((v): v is AccessRoute => (ROUTES as string[]).includes(v));
  return {
    partner: params.get('partner') ?? undefined,
    reference: params.get('reference') ?? undefined,
    via: via.length ? via : undefined,
    from: params.get('from'),
    to: params.get('to'),
  };
}

function writeParams(v: FilterValues): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.partner) out.partner = v.partner;
  if (v.reference?.trim()) out.reference = v.reference.trim();
  if (v.via?.length) out.via = v.via.join(',');
  if (v.from) out.from = v.from;
  if (v.to) out.to = v.to;
  return out;
}

/**
 * Every partner read of the agency's alerts (agencyAccessLog, ADMIN), filtered by partner,
 * alert (its reference), route and time, a page at a time, and exported to CSV with the same
 * filter. Reading or exporting it is no partner read: the hub logs nothing for it (see
 * docs/console.md, "Sharing administration").
 */
export function AgencyAccessLog() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [params, setParams] = useSearchParams();
  const applied = readParams(params);
  const [form] = Form.useForm<FilterValues>();
  const [after, setAfter] = useState<string | null>(null);
  const [previous, setPrevious] = useState<(string | null)[]>([]);
  const [exporting, setExporting] = useState<number | undefined>();
  const [exported, setExported] = useState<{ count: number; total: number; file: string } | undefined>();
  const [exportError, setExportError] = useState<string | undefined>();

  const options = useQuery(AccessLogPartnersQuery);
  const own = options.data?.viewer.agency.code;
  const byReference = useQuery(OwnAlertByReferenceQuery, {
    variables: { reference: applied.reference ?? '', own: own ? [own] : [] },
    skip: !applied.reference || !own,
    fetchPolicy: 'network-only',
  });
  const named = applied.reference ? byReference.data?.alerts.edges[0]?.node : undefined;
  const unknownReference = !!applied.reference && !!byReference.data && !named;
  const filter: AccessLogFilter = {
    partner: applied.partner ?? null,
    alertId: named?.id ?? null,
    via: applied.via ?? null,
    from: applied.from ?? null,
    to: applied.to ?? null,
  };
  const waiting = !!applied.reference && !byReference.data;
  const log = useQuery(AgencyAccessLogQueryDocument, { variables: { filter, first: PAGE, after }, skip: waiting || unknownReference, fetchPolicy: 'network-only' });
  const page = log.data?.agencyAccessLog;

  // A new filter starts at the first page.
  const key = params.toString();
  useEffect(() => {
    setAfter(null);
    setPrevious([]);
    setExported(undefined);
    setExportError(undefined);
    form.setFieldsValue({ partner: undefined, reference: undefined, via: undefined, from: undefined, to: undefined, ...readParams(new URLSearchParams(key)) });
  }, [key, form]);

  const runExport = async () => {
    setExported(undefined);
    setExportError(undefined);
    setExporting(0);
    try {
      const entries: CsvEntry[] = [];
      let cursor: string | null = null;
      let total = 0;
      for (;;) {
        // Not kept in Apollo's cache: thousands of entries the page does not show.
        const res: { data?: AgencyAccessLogQuery } = await client.query({ query: AgencyAccessLogQueryDocument, variables: { filter, first: EXPORT_PAGE, after: cursor }, fetchPolicy: 'no-cache' });
        const conn = res.data!.agencyAccessLog;
        total = conn.totalCount;
        for (const e of conn.edges) {
          entries.push({
            at: e.node.at,
            partner: e.node.agency.code,
            subject: e.node.subject,
            alertReference: e.node.alert?.reference ?? '',
            alertTitle: e.node.alert?.title ?? '',
            alertId: e.node.alertId,
            disclosed: e.node.disclosed,
            via: e.node.via,
          });
        }
        setExporting(entries.length);
        if (!conn.pageInfo.hasNextPage || entries.length >= EXPORT_MAX) break;
        cursor = conn.pageInfo.endCursor ?? null;
      }
      const kept = entries.slice(0, EXPORT_MAX);
      const headers = Object.fromEntries(CSV_COLUMNS.map((c) => [c, t(`pages.sharing.log.csv.${c}`)])) as Record<CsvColumn, string>;
      const file = `access-log-${own ?? 'agency'}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
      const url = URL.createObjectURL(new Blob([accessLogCsv(headers, kept)], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported({ count: kept.length, total, file });
    } catch (e) {
      setExportError(t('errors.generic', { message: (e as Error).message }));
    } finally {
      setExporting(undefined);
    }
  };

  const partners = (options.data?.agencies ?? []).filter((a) => a.code !== own);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.sharing.log.title', { agency: own ?? '' })}</h2>}>
        <Typography.Paragraph type="secondary">{t('pages.sharing.log.intro')}</Typography.Paragraph>
        <Form<FilterValues>
          form={form}
          layout="vertical"
          name="access-log-filter"
          onFinish={(v) => setParams(writeParams(v))}
          aria-label={t('pages.sharing.log.filters')}
        >
          <Flex gap={12} wrap align="flex-end">
            <Form.Item label={t('pages.sharing.log.partner')} name="partner" style={{ minWidth: 180 }}>
              <Select allowClear placeholder={t('pages.sharing.log.anyPartner')} options={partners.map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` }))} />
            </Form.Item>
            <Form.Item label={t('pages.sharing.log.alertReference')} name="reference" style={{ minWidth: 220 }}>
              <Input allowClear placeholder={t('pages.sharing.log.referencePlaceholder', { agency: own ?? '' })} />
            </Form.Item>
            <Form.Item label={t('pages.sharing.log.route')} name="via" style={{ minWidth: 220 }}>
              <Select mode="multiple" allowClear placeholder={t('pages.sharing.log.anyRoute')} options={ROUTES.map((r) => ({ value: r, label: t(`pages.alerts.accessLog.routes.${r.toLowerCase()}`) }))} />
            </Form.Item>
            <Form.Item label={t('pages.sharing.log.from')} name="from">
              <HubDateTimePicker />
            </Form.Item>
            <Form.Item label={t('pages.sharing.log.to')} name="to">
              <HubDateTimePicker />
            </Form.Item>
            <Form.Item>
              <Space>
                <Button type="primary" htmlType="submit">
                  {t('pages.sharing.log.apply')}
                </Button>
                <Button onClick={() => setParams({})}>{t('pages.sharing.log.clear')}</Button>
              </Space>
            </Form.Item>
          </Flex>
        </Form>
      </Card>

      <Card
        title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.sharing.log.reads')}</h2>}
        extra={
          <Button icon={<DownloadOutlined />} onClick={() => void runExport()} loading={exporting !== undefined} disabled={!page || page.totalCount === 0}>
            {exporting !== undefined ? t('pages.sharing.log.exporting', { count: exporting }) : t('pages.sharing.log.export')}
          </Button>
        }
      >
        <div aria-live="polite">
          {page && <Typography.Paragraph>{t('pages.sharing.log.count', { count: page.totalCount })}</Typography.Paragraph>}
          {exported && (
            <Alert
              type={exported.count < exported.total ? 'warning' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              title={exported.count < exported.total ? t('pages.sharing.log.exportCapped', { count: exported.count, total: exported.total }) : t('pages.sharing.log.exported', { count: exported.count, file: exported.file })}
            />
          )}
        </div>
        {unknownReference && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('pages.sharing.log.unknownReference', { reference: applied.reference, agency: own ?? '' })} />}
        {(log.error || options.error || byReference.error || exportError) && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={exportError ?? t('errors.generic', { message: (log.error ?? options.error ?? byReference.error)!.message })} />
        )}
        <Table<Edge>
          rowKey="cursor"
          size="small"
          pagination={false}
          loading={log.loading && !log.data}
          dataSource={unknownReference ? [] : page?.edges ?? []}
          aria-label={t('pages.sharing.log.reads')}
          columns={[
            { key: 'at', title: t('pages.alerts.accessLog.at'), render: (_, e) => <DateTime value={e.node.at} /> },
            { key: 'agency', title: t('pages.alerts.accessLog.agency'), render: (_, e) => <Tag>{e.node.agency.code}</Tag> },
            { key: 'subject', title: t('pages.alerts.accessLog.subject'), render: (_, e) => e.node.subject },
            {
              key: 'alert',
              title: t('pages.inbox.alert'),
              render: (_, e) =>
                e.node.alert ? (
                  <>
                    <PageLink to={`/alerts/${e.node.alert.id}`}>{e.node.alert.reference}</PageLink>
                    <div>{e.node.alert.title}</div>
                  </>
                ) : (
                  e.node.alertId
                ),
            },
            { key: 'disclosed', title: t('pages.alerts.accessLog.disclosed'), render: (_, e) => e.node.disclosed.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ') || '—' },
            { key: 'via', title: t('pages.alerts.accessLog.via'), render: (_, e) => t(`pages.alerts.accessLog.routes.${e.node.via}`, { defaultValue: e.node.via }) },
          ]}
          locale={{ emptyText: <EmptyText>{t('pages.sharing.log.none')}</EmptyText> }}
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
              disabled={!page?.pageInfo.hasNextPage}
              onClick={() => {
                setPrevious([...previous, after]);
                setAfter(page?.pageInfo.endCursor ?? null);
              }}
            >
              {t('pages.alerts.nextPage')}
            </Button>
          </Space>
        </nav>
      </Card>
    </Space>
  );
}
