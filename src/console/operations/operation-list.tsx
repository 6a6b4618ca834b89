import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Button, Flex, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { EmptyText, PageLink } from '../alerts/alert-tags';
import { graphql } from '../gql';
import type { OperationListQuery, OperationStatus } from '../gql/graphql';
import { formatDate } from '../i18n/datetime';
import { OperationStatusTag } from './operation-tags';

const OperationListQueryDocument = graphql(`
  query OperationList($search: String, $status: [OperationStatus!], $first: Int, $after: String) {
    viewer {
      roles
      agency {
        code
      }
    }
    jointOperations(first: $first, search: $search, status: $status, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          codeName
          objective
          status
          startsOn
          endsOn
          leadAgency {
            code
          }
          participants {
            code
          }
          targetChannels
          targetCategories
        }
      }
    }
  }
`);

const PAGE = 20;
const STATES: OperationStatus[] = ['PLANNED', 'ACTIVE', 'CONCLUDED', 'CANCELLED'];
type Row = OperationListQuery['jointOperations']['edges'][number];

/**
 * The operations the viewer's agency takes part in (the hub lists no other), newest start
 * first, searched by code name or objective and filtered by state, both kept in the URL
 * (`?q=…&status=…`). Coordinators plan a new one from here.
 */
export function OperationList() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const status = params.getAll('status').filter((s): s is OperationStatus => (STATES as string[]).includes(s));
  const [typed, setTyped] = useState(search);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages[pages.length - 1];
  const { data, previousData, loading, error } = useQuery(OperationListQueryDocument, {
    variables: { search: search || null, status: status.length ? status : null, first: PAGE, after },
    fetchPolicy: 'network-only',
  });
  const shown = data ?? previousData;
  const list = shown?.jointOperations;
  const coordinator = shown?.viewer.roles.includes('COORDINATOR') ?? false;

  const update = (next: { q?: string; status?: OperationStatus[] }) => {
    const p = new URLSearchParams();
    const q = next.q ?? search;
    if (q.trim()) p.set('q', q.trim());
    for (const s of next.status ?? status) p.append('status', s);
    setPages([null]);
    setParams(p);
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={1}>{t('pages.operations.title')}</Typography.Title>
        <Space>
          <PageLink to="/statistics">{t('pages.operations.list.statistics')}</PageLink>
          {coordinator && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/operations/plan')}>
              {t('pages.operations.list.plan')}
            </Button>
          )}
        </Space>
      </Flex>
      <Typography.Paragraph>{t('pages.operations.list.intro')}</Typography.Paragraph>
      <search>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('pages.operations.list.search')}
            placeholder={t('pages.operations.list.searchPlaceholder')}
            allowClear
            value={typed}
            maxLength={100}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(q) => update({ q })}
            enterButton={t('pages.operations.list.searchButton')}
            style={{ maxWidth: 420 }}
          />
          <Select<OperationStatus[]>
            mode="multiple"
            allowClear
            aria-label={t('pages.operations.list.status')}
            placeholder={t('pages.operations.list.anyStatus')}
            value={status}
            onChange={(v) => update({ status: v })}
            options={STATES.map((s) => ({ value: s, label: t(`pages.compose.enums.operationStatus.${s}`) }))}
            style={{ minWidth: 240 }}
          />
        </Flex>
      </search>
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />}
      <Typography.Paragraph type="secondary" role="status">
        {list ? t('pages.operations.list.count', { count: list.totalCount }) : ''}
      </Typography.Paragraph>
      <Table<Row>
        rowKey="cursor"
        size="middle"
        pagination={false}
        loading={loading}
        dataSource={list?.edges ?? []}
        aria-label={t('pages.operations.title')}
        columns={[
          { key: 'codeName', title: t('pages.operations.fields.codeName'), render: (_, e) => <PageLink to={`/operations/${e.node.id}`}>{e.node.codeName}</PageLink> },
          { key: 'status', title: t('pages.operations.fields.status'), render: (_, e) => <OperationStatusTag status={e.node.status} /> },
          { key: 'lead', title: t('pages.operations.fields.lead'), render: (_, e) => e.node.leadAgency.code },
          { key: 'participants', title: t('pages.operations.fields.participants'), render: (_, e) => e.node.participants.map((p) => p.code).join(', ') },
          {
            key: 'period',
            title: t('pages.operations.fields.period'),
            render: (_, e) => `${formatDate(e.node.startsOn, language)} – ${e.node.endsOn ? formatDate(e.node.endsOn, language) : t('pages.operations.fields.openEnded')}`,
          },
          { key: 'objective', title: t('pages.operations.fields.objective'), render: (_, e) => <Typography.Text ellipsis={{ tooltip: e.node.objective }} style={{ maxWidth: 360 }}>{e.node.objective}</Typography.Text> },
        ]}
        locale={{ emptyText: <EmptyText>{search || status.length ? t('pages.operations.list.noneFound') : t('pages.operations.list.none')}</EmptyText> }}
      />
      <nav aria-label={t('pages.operations.list.paging')}>
        <Space style={{ marginTop: 12 }}>
          <Button disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>
            {t('pages.operations.list.previous')}
          </Button>
          <Button disabled={!list?.pageInfo.hasNextPage} onClick={() => list?.pageInfo.endCursor && setPages([...pages, list.pageInfo.endCursor])}>
            {t('pages.operations.list.next')}
          </Button>
        </Space>
      </nav>
    </>
  );
}
