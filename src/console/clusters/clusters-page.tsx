import { useQuery } from '@apollo/client/react';
import { Alert, Card, Empty, Flex, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { ShipmentClustersQuery } from '../gql/graphql';
import { PageLink } from '../alerts/alert-tags';

const ShipmentClustersDocument = graphql(`
  query ShipmentClusters($alertId: ID) {
    shipmentClusters(alertId: $alertId, first: 20) {
      id
      score
      visibleQuantity
      firstSeen
      lastSeen
      reasons {
        code
        kind
        members
        agencies
        days
        quantity
      }
      agencies {
        code
      }
      hidden {
        agency {
          code
        }
        count
      }
      members {
        linkedBy
        nearMatchedBy
        alert {
          id
          reference
          title
          originAgency {
            code
          }
          goods {
            quantity
          }
        }
      }
    }
  }
`);

type Cluster = ShipmentClustersQuery['shipmentClusters'][number];

/** One cluster: why it ranks, the parcels the viewer may read, and how many it may not, per agency. */
function ClusterCard({ cluster, index }: { cluster: Cluster; index: number }) {
  const { t } = useTranslation();
  const hiddenCount = cluster.hidden.reduce((s, h) => s + h.count, 0);
  const title = t('pages.clusters.cluster', { n: index + 1, members: cluster.members.length + hiddenCount, agencies: cluster.agencies.map((a) => a.code).join(', ') });
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{title}</h2>} aria-label={title}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Flex gap={8} wrap>
          <Tag>{t('pages.clusters.score', { score: cluster.score.toFixed(1) })}</Tag>
          <Tag>{t('pages.clusters.visibleQuantity', { quantity: cluster.visibleQuantity.toLocaleString() })}</Tag>
          <span>
            <DateTime value={cluster.firstSeen} /> – <DateTime value={cluster.lastSeen} />
          </span>
        </Flex>
        <ul aria-label={t('pages.clusters.reasons')}>
          {cluster.reasons.map((r, i) => (
            <li key={i}>
              {t(`pages.clusters.reason.${r.code}`, {
                kind: r.kind ? t(`pages.clusters.kind.${r.kind}`) : '',
                members: r.members ?? 0,
                agencies: r.agencies ?? 0,
                days: r.days ?? 0,
                quantity: (r.quantity ?? 0).toLocaleString(),
              })}
            </li>
          ))}
        </ul>
        {cluster.hidden.map((h) => (
          <Alert key={h.agency.code} type="info" showIcon title={t('pages.clusters.hidden', { count: h.count, agency: h.agency.code })} />
        ))}
        <Table
          size="small"
          rowKey={(m) => m.alert.id}
          pagination={false}
          dataSource={cluster.members}
          columns={[
            { title: t('pages.clusters.columns.reference'), render: (_, m) => <PageLink to={`/alerts/${m.alert.id}`}>{m.alert.reference}</PageLink> },
            { title: t('pages.clusters.columns.title'), render: (_, m) => m.alert.title },
            { title: t('pages.clusters.columns.agency'), render: (_, m) => m.alert.originAgency.code },
            { title: t('pages.clusters.columns.quantity'), render: (_, m) => m.alert.goods.reduce((s, g) => s + g.quantity, 0).toLocaleString() },
            {
              title: t('pages.clusters.columns.linkedBy'),
              render: (_, m) => [...m.linkedBy.map((k) => t(`pages.clusters.kind.${k}`)), ...m.nearMatchedBy.map((k) => t('pages.clusters.near', { kind: t(`pages.clusters.kind.${k}`) }))].join(', '),
            },
          ]}
        />
      </Space>
    </Card>
  );
}

/** Split-shipment clusters at /clusters; `?alertId=` keeps the cluster holding that alert. */
export function ClustersPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const alertId = params.get('alertId') ?? undefined;
  const { data, loading, error } = useQuery(ShipmentClustersDocument, { variables: { alertId }, fetchPolicy: 'network-only' });
  return (
    <>
      <Typography.Title level={1}>{t('pages.clusters.title')}</Typography.Title>
      <Typography.Paragraph>{alertId ? t('pages.clusters.introOne') : t('pages.clusters.intro')}</Typography.Paragraph>
      {loading && !data && <Spin description={t('pages.clusters.loading')}>{<div style={{ minHeight: 80 }} />}</Spin>}
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />}
      {data && data.shipmentClusters.length === 0 && <Empty description={t('pages.clusters.none')} />}
      <Space orientation="vertical" style={{ width: '100%' }}>
        {data?.shipmentClusters.map((c, i) => <ClusterCard key={c.id} cluster={c} index={i} />)}
      </Space>
    </>
  );
}
