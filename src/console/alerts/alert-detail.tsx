import { ArrowLeftOutlined, LockOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Card, Descriptions, Empty, Flex, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AlertDetailQuery, FieldClass } from '../gql/graphql';
import { PageLink, RiskTag, StatusTag } from './alert-tags';
import { CorrelationPanel } from './correlation-panel';
import { DisclosurePanel } from './disclosure-panel';
import { OwnAlertRecord } from './own-alert-record';

const AlertDetailQueryDocument = graphql(`
  query AlertDetail($id: ID!) {
    viewer {
      subject
      roles
      agency {
        code
        name
      }
    }
    alert(id: $id) {
      id
      reference
      partnerReference
      status
      title
      summary
      riskLevel
      channel
      direction
      originAgency {
        code
        name
      }
      goods {
        category
        description
        hsCode
        quantity
        unit
      }
      infringements
      modusOperandi
      rightsHolders {
        id
        name
      }
      portOfLoading
      portOfDischarge
      originCountry
      destinationCountry
      expectedArrival
      distribution {
        scope
        agencies {
          code
          name
        }
        operation {
          id
          codeName
        }
      }
      containerNumbers
      billOfLading
      conveyanceReference
      consignor {
        name
        address
        country
        identifier
      }
      consignee {
        name
        address
        country
        identifier
      }
      source {
        kind
        reliability
        credibility
        reference
      }
      operationalNotes
      withheld
      version
      createdAt
      updatedAt
      publishedAt
    }
  }
`);

type AlertData = NonNullable<AlertDetailQuery['alert']>;
type PartyData = AlertData['consignor'];

/** In place of a withheld field's value: says which class and who withholds it; the value never reached the browser. */
export function Withheld({ cls, agency }: { cls: FieldClass; agency: string }) {
  const { t } = useTranslation();
  return (
    <Tag icon={<LockOutlined />} color="default" data-withheld={cls}>
      {t('pages.alerts.withheld.by', { agency, fieldClass: t(`pages.alerts.fieldClass.${cls}`) })}
    </Tag>
  );
}

const dash = '—';

/** One alert as the hub shows it to the viewer, grouped; withheld classes marked, with what the viewer may do about them. */
export function AlertDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(AlertDetailQueryDocument, { variables: { id }, fetchPolicy: 'network-only' });

  const back = (
    <PageLink to="/alerts">
      <ArrowLeftOutlined /> {t('pages.alerts.backToList')}
    </PageLink>
  );
  if (loading && !data) return <Spin description={t('pages.alerts.loading')}>{<div style={{ minHeight: 80 }} />}</Spin>;
  if (error)
    return (
      <>
        {back}
        <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />
      </>
    );
  const a = data?.alert;
  if (!a || !data) {
    return (
      <>
        {back}
        <Typography.Title level={1}>{t('pages.alerts.notFound.title')}</Typography.Title>
        <Empty description={t('pages.alerts.notFound.body')} />
      </>
    );
  }

  const viewer = data.viewer;
  const own = a.originAgency.code === viewer.agency.code;
  const withheld = new Set(a.withheld);
  const origin = a.originAgency.code;
  /** The value of a field of class `cls`, or the withheld marker. */
  const guarded = (cls: FieldClass, value: ReactNode): ReactNode => (withheld.has(cls) ? <Withheld cls={cls} agency={origin} /> : value ?? dash);
  const or = (v: string | null | undefined) => (v == null || v === '' ? dash : v);
  const party = (p: PartyData) =>
    p ? (
      <Space orientation="vertical" size={0}>
        <Typography.Text strong>{p.name}</Typography.Text>
        {p.address && <span>{p.address}</span>}
        {(p.country || p.identifier) && <span>{[p.country, p.identifier].filter(Boolean).join(' · ')}</span>}
      </Space>
    ) : (
      dash
    );

  return (
    <>
      {back}
      <Typography.Title level={1} style={{ marginTop: 8 }}>
        {a.title}
      </Typography.Title>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
        <Typography.Text code aria-label={t('pages.alerts.fields.reference')}>
          {a.reference}
        </Typography.Text>
        <StatusTag status={a.status} />
        <RiskTag risk={a.riskLevel} />
        <Tag>{t('pages.alerts.fromAgency', { agency: `${a.originAgency.code} — ${a.originAgency.name}` })}</Tag>
        {/* Clusters are for analysts (the hub refuses the rest anyway). */}
        {viewer.roles.includes('ANALYST') && <PageLink to={`/clusters?alertId=${encodeURIComponent(a.id)}`}>{t('pages.alerts.clustersLink')}</PageLink>}
      </Flex>

      {a.withheld.length > 0 && (
        <Alert
          type="info"
          showIcon
          icon={<LockOutlined />}
          style={{ marginBottom: 16 }}
          title={t('pages.alerts.withheld.summary', { agency: origin })}
          description={a.withheld.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ')}
        />
      )}

      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.summary')}</h2>}>
          <Typography.Paragraph>{a.summary}</Typography.Paragraph>
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
            <Descriptions.Item label={t('pages.alerts.fields.reference')}>{a.reference}</Descriptions.Item>
            {own && <Descriptions.Item label={t('pages.alerts.fields.partnerReference')}>{a.partnerReference}</Descriptions.Item>}
            <Descriptions.Item label={t('pages.alerts.fields.channel')}>{t(`pages.alerts.channel.${a.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.direction')}>{t(`pages.alerts.direction.${a.direction}`)}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.infringements')}>{a.infringements.map((i) => t(`pages.alerts.infringement.${i}`)).join(', ') || dash}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.modusOperandi')}>{a.modusOperandi.map((m) => t(`pages.alerts.modusOperandi.${m}`)).join(', ') || dash}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.rightsHolders')}>{a.rightsHolders.map((r) => r.name).join(', ') || dash}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.createdAt')}>
              <DateTime value={a.createdAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.publishedAt')}>{a.publishedAt ? <DateTime value={a.publishedAt} /> : t('pages.alerts.notPublished')}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.updatedAt')}>
              <DateTime value={a.updatedAt} />
            </Descriptions.Item>
          </Descriptions>
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.shipment')}</h2>}>
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
            <Descriptions.Item label={t('pages.alerts.fields.portOfLoading')}>{or(a.portOfLoading)}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.portOfDischarge')}>{or(a.portOfDischarge)}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.originCountry')}>{or(a.originCountry)}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.destinationCountry')}>{or(a.destinationCountry)}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.expectedArrival')}>{a.expectedArrival ? <DateTime value={a.expectedArrival} /> : dash}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.containerNumbers')}>
              {guarded('SHIPMENT_IDENTIFIERS', a.containerNumbers?.length ? a.containerNumbers.join(', ') : dash)}
            </Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.billOfLading')}>{guarded('SHIPMENT_IDENTIFIERS', or(a.billOfLading))}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.conveyanceReference')}>{guarded('SHIPMENT_IDENTIFIERS', or(a.conveyanceReference))}</Descriptions.Item>
          </Descriptions>
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.goods')}</h2>}>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={a.goods.map((g, i) => ({ ...g, key: String(i) }))}
            columns={[
              { key: 'category', title: t('pages.alerts.goods.category'), render: (_, g) => t(`pages.alerts.goodsCategory.${g.category}`) },
              { key: 'description', title: t('pages.alerts.goods.description'), dataIndex: 'description' },
              { key: 'hsCode', title: t('pages.alerts.goods.hsCode'), render: (_, g) => or(g.hsCode) },
              { key: 'quantity', title: t('pages.alerts.goods.quantity'), render: (_, g) => `${g.quantity} ${g.unit}` },
            ]}
          />
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.parties')}</h2>}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('pages.alerts.fields.consignor')}>{guarded('PARTY_IDENTITY', party(a.consignor))}</Descriptions.Item>
            <Descriptions.Item label={t('pages.alerts.fields.consignee')}>{guarded('PARTY_IDENTITY', party(a.consignee))}</Descriptions.Item>
          </Descriptions>
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.source')}</h2>}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            {withheld.has('SOURCE') ? (
              <Descriptions.Item label={t('pages.alerts.fields.source')}>
                <Withheld cls="SOURCE" agency={origin} />
              </Descriptions.Item>
            ) : a.source ? (
              <>
                <Descriptions.Item label={t('pages.alerts.fields.sourceKind')}>{a.source.kind}</Descriptions.Item>
                <Descriptions.Item label={t('pages.alerts.fields.sourceGrading')}>{`${a.source.reliability}${a.source.credibility}`}</Descriptions.Item>
                <Descriptions.Item label={t('pages.alerts.fields.sourceReference')}>{or(a.source.reference)}</Descriptions.Item>
              </>
            ) : (
              <Descriptions.Item label={t('pages.alerts.fields.source')}>{dash}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.notes')}</h2>}>
          {withheld.has('OPERATIONAL') ? (
            <Withheld cls="OPERATIONAL" agency={origin} />
          ) : (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{or(a.operationalNotes)}</Typography.Paragraph>
          )}
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.sections.distribution')}</h2>}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('pages.alerts.fields.distributionScope')}>{t(`pages.alerts.scope.${a.distribution.scope}`)}</Descriptions.Item>
            {a.distribution.agencies.length > 0 && (
              <Descriptions.Item label={t('pages.alerts.fields.distributionAgencies')}>
                {a.distribution.agencies.map((g) => (
                  <Tag key={g.code}>{`${g.code} — ${g.name}`}</Tag>
                ))}
              </Descriptions.Item>
            )}
            {a.distribution.operation && <Descriptions.Item label={t('pages.alerts.fields.operation')}>{a.distribution.operation.codeName}</Descriptions.Item>}
          </Descriptions>
        </Card>

        {!own && <DisclosurePanel alertId={a.id} withheld={a.withheld} origin={origin} canRequest={viewer.roles.includes('ANALYST')} />}
        {own && viewer.roles.includes('ANALYST') && <CorrelationPanel alertId={a.id} reference={a.reference} />}
        {own && <OwnAlertRecord alertId={a.id} canDecide={viewer.roles.includes('ANALYST')} />}
      </Space>
    </>
  );
}
