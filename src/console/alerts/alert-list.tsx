import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Button, Col, DatePicker, Flex, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AlertListQuery } from '../gql/graphql';
import {
  ALERT_STATUSES, CHANNELS, GOODS_CATEGORIES, ORDER_FIELDS, PAGE_SIZES, RISK_LEVELS, readSearch, toFilter, toOrder, writeSearch, type AlertSearch,
} from './alert-search-params';
import { EmptyText, PageLink, RiskTag, StatusTag } from './alert-tags';

const AlertListQueryDocument = graphql(`
  query AlertList($filter: AlertFilter, $first: Int, $after: String, $orderBy: AlertOrder) {
    alerts(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          reference
          title
          status
          riskLevel
          channel
          originAgency {
            code
          }
          portOfLoading
          portOfDischarge
          publishedAt
          updatedAt
          withheld
        }
      }
    }
  }
`);

const AlertFilterOptionsQuery = graphql(`
  query AlertFilterOptions {
    agencies {
      code
      name
    }
    jointOperations(first: 100) {
      edges {
        node {
          id
          codeName
        }
      }
    }
  }
`);

type Row = AlertListQuery['alerts']['edges'][number]['node'];

/** The form's values: the search as the controls hold it (dates as dayjs for the pickers). */
type FormValues = Omit<AlertSearch, 'publishedFrom' | 'publishedTo' | 'after' | 'first' | 'orderField' | 'orderDirection'> & {
  publishedFrom?: dayjs.Dayjs | null;
  publishedTo?: dayjs.Dayjs | null;
};

function toFormValues(s: AlertSearch): FormValues {
  const { publishedFrom, publishedTo, after: _after, first: _first, orderField: _f, orderDirection: _d, ...rest } = s;
  return { ...rest, publishedFrom: publishedFrom ? dayjs(publishedFrom) : null, publishedTo: publishedTo ? dayjs(publishedTo) : null };
}

/** The alert list: search, every filter of the hub's AlertFilter, sort, keyset paging; all of it in the URL. */
export function AlertList() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => readSearch(params), [params]);
  const [form] = Form.useForm<FormValues>();
  // Cursors of the pages before this one, to go back (the hub's paging runs forward only).
  const [previous, setPrevious] = useState<string[]>([]);

  useEffect(() => form.setFieldsValue(toFormValues(search)), [form, search]);

  const { data, error, loading } = useQuery(AlertListQueryDocument, {
    variables: { filter: toFilter(search), first: search.first, after: search.after || null, orderBy: toOrder(search) },
    fetchPolicy: 'cache-and-network',
  });
  const options = useQuery(AlertFilterOptionsQuery);

  const go = (next: AlertSearch, stack: string[]) => {
    setPrevious(stack);
    setParams(writeSearch(next));
  };
  const apply = (v: FormValues) =>
    go(
      {
        ...search,
        ...v,
        text: v.text ?? '',
        port: v.port ?? '',
        containerNumber: v.containerNumber ?? '',
        reference: v.reference ?? '',
        operationId: v.operationId ?? '',
        status: v.status ?? [],
        channel: v.channel ?? [],
        goodsCategory: v.goodsCategory ?? [],
        originAgency: v.originAgency ?? [],
        riskLevelAtLeast: v.riskLevelAtLeast ?? undefined,
        publishedFrom: v.publishedFrom ? v.publishedFrom.format('YYYY-MM-DD') : '',
        publishedTo: v.publishedTo ? v.publishedTo.format('YYYY-MM-DD') : '',
        after: '',
      },
      [],
    );
  const clear = () => go(readSearch(new URLSearchParams()), []);

  const page = data?.alerts;
  const rows = page?.edges.map((e) => e.node) ?? [];
  const firstIndex = previous.length * search.first;

  const columns: ColumnsType<Row> = [
    { key: 'reference', title: t('pages.alerts.fields.reference'), dataIndex: 'reference', render: (_, r) => <Typography.Text code>{r.reference}</Typography.Text> },
    { key: 'title', title: t('pages.alerts.fields.title'), dataIndex: 'title', render: (_, r) => <PageLink to={`/alerts/${r.id}`}>{r.title}</PageLink> },
    { key: 'status', title: t('pages.alerts.fields.status'), render: (_, r) => <StatusTag status={r.status} /> },
    { key: 'risk', title: t('pages.alerts.fields.riskLevel'), render: (_, r) => <RiskTag risk={r.riskLevel} /> },
    { key: 'channel', title: t('pages.alerts.fields.channel'), render: (_, r) => t(`pages.alerts.channel.${r.channel}`) },
    { key: 'agency', title: t('pages.alerts.fields.originAgency'), render: (_, r) => <Tag>{r.originAgency.code}</Tag> },
    { key: 'ports', title: t('pages.alerts.fields.ports'), render: (_, r) => [r.portOfLoading, r.portOfDischarge].filter(Boolean).join(' → ') },
    {
      key: 'published',
      title: t('pages.alerts.fields.publishedAt'),
      render: (_, r) => (r.publishedAt ? <DateTime value={r.publishedAt} /> : t('pages.alerts.notPublished')),
    },
  ];

  const multi = (label: string, name: keyof FormValues, values: readonly string[], labelOf: (v: string) => string) => (
    <Col xs={24} md={12} xl={8}>
      <Form.Item label={label} name={name}>
        <Select mode="multiple" allowClear options={values.map((v) => ({ value: v, label: labelOf(v) }))} placeholder={t('pages.alerts.filters.any')} />
      </Form.Item>
    </Col>
  );
  const text = (label: string, name: keyof FormValues, placeholder?: string) => (
    <Col xs={24} md={12} xl={8}>
      <Form.Item label={label} name={name}>
        <Input allowClear placeholder={placeholder} />
      </Form.Item>
    </Col>
  );

  return (
    <>
      <Typography.Title level={1}>{t('pages.alerts.title')}</Typography.Title>
      <Form form={form} layout="vertical" name="alert-search" onFinish={apply} initialValues={toFormValues(search)}>
        <section aria-label={t('pages.alerts.filters.region')}>
          <Form.Item label={t('pages.alerts.filters.text')} name="text" extra={t('pages.alerts.filters.textHelp')}>
            <Input.Search enterButton={<><SearchOutlined /> {t('pages.alerts.filters.search')}</>} allowClear onSearch={() => form.submit()} />
          </Form.Item>
          <Row gutter={16}>
            {multi(t('pages.alerts.fields.status'), 'status', ALERT_STATUSES, (v) => t(`pages.alerts.status.${v}`))}
            <Col xs={24} md={12} xl={8}>
              <Form.Item label={t('pages.alerts.filters.riskAtLeast')} name="riskLevelAtLeast">
                <Select allowClear options={RISK_LEVELS.map((v) => ({ value: v, label: t(`pages.alerts.risk.${v}`) }))} placeholder={t('pages.alerts.filters.any')} />
              </Form.Item>
            </Col>
            {multi(t('pages.alerts.fields.channel'), 'channel', CHANNELS, (v) => t(`pages.alerts.channel.${v}`))}
            {multi(t('pages.alerts.filters.goodsCategory'), 'goodsCategory', GOODS_CATEGORIES, (v) => t(`pages.alerts.goodsCategory.${v}`))}
            {multi(
              t('pages.alerts.fields.originAgency'),
              'originAgency',
              (options.data?.agencies ?? []).map((a) => a.code),
              (code) => `${code} — ${options.data?.agencies.find((a) => a.code === code)?.name ?? ''}`,
            )}
            <Col xs={24} md={12} xl={8}>
              <Form.Item label={t('pages.alerts.filters.operation')} name="operationId">
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  options={(options.data?.jointOperations.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.codeName }))}
                  placeholder={t('pages.alerts.filters.any')}
                />
              </Form.Item>
            </Col>
            {text(t('pages.alerts.filters.port'), 'port', t('pages.alerts.filters.portPlaceholder'))}
            {text(t('pages.alerts.fields.containerNumbers'), 'containerNumber', 'MSCU1234565')}
            {text(t('pages.alerts.fields.reference'), 'reference', t('pages.alerts.filters.referencePlaceholder'))}
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('pages.alerts.filters.publishedFrom')} name="publishedFrom" extra={t('pages.alerts.filters.datesInZone')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('pages.alerts.filters.publishedTo')} name="publishedTo">
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('pages.alerts.filters.apply')}
            </Button>
            <Button onClick={clear}>{t('pages.alerts.filters.clear')}</Button>
          </Space>
        </section>
      </Form>

      <section aria-label={t('pages.alerts.results')} style={{ marginTop: 24 }}>
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
          <Typography.Text aria-live="polite">
            {page && !loading ? t('pages.alerts.count', { total: page.totalCount, from: rows.length ? firstIndex + 1 : 0, to: firstIndex + rows.length }) : ''}
          </Typography.Text>
          <Space wrap>
            <label htmlFor="alert-sort">{t('pages.alerts.sort.label')}</label>
            <Select
              id="alert-sort"
              style={{ minWidth: 220 }}
              value={`${search.orderField}:${search.orderDirection}`}
              onChange={(v: string) => {
                const [field, dir] = v.split(':');
                go({ ...search, orderField: field as AlertSearch['orderField'], orderDirection: dir as AlertSearch['orderDirection'], after: '' }, []);
              }}
              options={ORDER_FIELDS.flatMap((f) =>
                (['DESC', 'ASC'] as const).map((d) => ({ value: `${f}:${d}`, label: t('pages.alerts.sort.option', { field: t(`pages.alerts.sort.${f}`), direction: t(`pages.alerts.sort.${d}`) }) })),
              )}
            />
            <label htmlFor="alert-page-size">{t('pages.alerts.pageSize')}</label>
            <Select
              id="alert-page-size"
              value={search.first}
              onChange={(n: number) => go({ ...search, first: n, after: '' }, [])}
              options={PAGE_SIZES.map((n) => ({ value: n, label: String(n) }))}
            />
          </Space>
        </Flex>
        {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} style={{ marginBottom: 12 }} />}
        <Table<Row>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={loading && !data}
          pagination={false}
          size="middle"
          locale={{ emptyText: <EmptyText>{t('pages.alerts.empty')}</EmptyText> }}
        />
        <nav aria-label={t('pages.alerts.paging')}>
          <Space style={{ marginTop: 12 }}>
            <Button
              disabled={!search.after}
              onClick={() => {
                const stack = previous.slice(0, -1);
                go({ ...search, after: previous[previous.length - 1] ?? '' }, stack);
              }}
            >
              {t('pages.alerts.previousPage')}
            </Button>
            <Button
              disabled={!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor}
              onClick={() => go({ ...search, after: page?.pageInfo.endCursor ?? '' }, [...previous, search.after])}
            >
              {t('pages.alerts.nextPage')}
            </Button>
          </Space>
        </nav>
      </section>
    </>
  );
}
