import { useQuery } from '@apollo/client/react';
import { Alert, Flex, Select, Space, Spin, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageLink } from '../alerts/alert-tags';
import { graphql } from '../gql';
import { OperationStatusTag } from '../operations/operation-tags';
import { ChartWithNumbers, SeizureCharts, useCount } from './seizure-charts';

const StatisticsPageQuery = graphql(`
  query StatisticsPage($operationId: ID) {
    seizureStatistics(filter: { operationId: $operationId }) {
      ...SeizureStatisticsFields
    }
    jointOperations(first: 100) {
      totalCount
      edges {
        node {
          id
          codeName
          status
          startsOn
          endsOn
          leadAgency {
            code
          }
          participants {
            code
          }
          statistics {
            totalPieces
            totalCases
          }
        }
      }
    }
  }
`);

/**
 * Statistics at /statistics: seizures across the operations the viewer's agency takes part in
 * (or one of them, `?operation=<id>`), by agency, category, channel and week or month, each chart
 * with its numbers beside it, and the operations side by side. Everything is the hub's
 * `seizureStatistics`: the console adds nothing up of its own but the tables' totals.
 */
export function StatisticsPage() {
  const { t } = useTranslation();
  const count = useCount();
  const [params, setParams] = useSearchParams();
  const operationId = params.get('operation') ?? undefined;
  const { data, previousData, loading, error } = useQuery(StatisticsPageQuery, { variables: { operationId: operationId ?? null }, fetchPolicy: 'network-only' });
  const shown = data ?? previousData;
  const operations = useMemo(() => shown?.jointOperations.edges.map((e) => e.node) ?? [], [shown]);
  const chosen = operations.find((o) => o.id === operationId);
  const perOperation = useMemo(
    () => operations.filter((o) => o.statistics.totalPieces > 0 || o.statistics.totalCases > 0).map((o) => ({ key: o.id, label: o.codeName, pieces: o.statistics.totalPieces, cases: o.statistics.totalCases })),
    [operations],
  );
  // How a coordinator reads them out: the joint operations (with partners) apart from an agency's own actions.
  const sum = (list: typeof operations) => ({
    operations: list.length,
    pieces: list.reduce((n, o) => n + o.statistics.totalPieces, 0),
    cases: list.reduce((n, o) => n + o.statistics.totalCases, 0),
  });
  const joint = sum(operations.filter((o) => o.participants.length > 1));
  const single = sum(operations.filter((o) => o.participants.length <= 1));

  return (
    <>
      <Typography.Title level={1}>{t('pages.statistics.title')}</Typography.Title>
      <Typography.Paragraph>{t('pages.statistics.intro')}</Typography.Paragraph>
      <Flex gap={12} align="center" wrap style={{ marginBottom: 16 }}>
        <label htmlFor="statistics-scope">{t('pages.statistics.scope')}</label>
        <Select
          id="statistics-scope"
          style={{ minWidth: 320 }}
          value={chosen?.id ?? ''}
          onChange={(v) => setParams(v ? { operation: v } : {})}
          options={[{ value: '', label: t('pages.statistics.allOperations', { count: shown?.jointOperations.totalCount ?? 0 }) }, ...operations.map((o) => ({ value: o.id, label: o.codeName }))]}
        />
        {chosen && (
          <Space>
            <OperationStatusTag status={chosen.status} />
            <PageLink to={`/operations/${chosen.id}`}>{t('pages.statistics.openOperation')}</PageLink>
            <PageLink to={`/operations/${chosen.id}/report`}>{t('pages.operations.report.open')}</PageLink>
          </Space>
        )}
      </Flex>
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />}
      {/* An id the hub lists no operation for: the same words as for one that does not exist. */}
      {operationId && shown && !chosen && <Alert type="info" showIcon title={t('pages.operations.notFound.detail')} style={{ marginBottom: 16 }} />}
      {!shown && loading && <Spin description={t('pages.statistics.loading')}>{<div style={{ minHeight: 80 }} />}</Spin>}
      {shown && (
        <Spin spinning={loading}>
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            {!operationId && (
              <>
                <ChartWithNumbers title={t('pages.statistics.byOperation')} head={t('pages.statistics.operation')} rows={perOperation} horizontal total color="#0958d9" />
                <Typography.Paragraph>
                  {t('pages.statistics.jointSummary', { operations: count(joint.operations), pieces: count(joint.pieces), cases: count(joint.cases) })}{' '}
                  {single.operations > 0 && t('pages.statistics.singleSummary', { operations: count(single.operations), pieces: count(single.pieces), cases: count(single.cases) })}
                </Typography.Paragraph>
              </>
            )}
            <SeizureCharts stats={shown.seizureStatistics} />
          </Space>
        </Spin>
      )}
    </>
  );
}
