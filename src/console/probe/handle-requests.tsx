import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Button, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DisclosureStatusTag, EmptyText, PageLink } from '../alerts/alert-tags';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { HandleDisclosureRequestsQuery } from '../gql/graphql';

/** The agency's requests through hit handles, newest first; the hub names the alert only while approved. */
const HandleDisclosureRequestsDocument = graphql(`
  query HandleDisclosureRequests {
    handleDisclosureRequests(first: 100) {
      id
      holderAgency {
        code
        name
      }
      kind
      fieldClass
      fieldClasses
      justification
      requestedBy
      status
      decisionNote
      createdAt
      decidedAt
      expiresAt
      alert {
        id
        reference
        title
      }
    }
  }
`);

type Request = HandleDisclosureRequestsQuery['handleDisclosureRequests'][number];

/**
 * The requests the viewer's agency made through the hits it was not shown: the holder, what the
 * hit was, what was asked and where it stands; once approved, and while the approval lasts, the
 * alert itself (a link to its page, where the approved classes show).
 */
export function HandleRequests() {
  const { t } = useTranslation();
  const { data, error, loading, refetch } = useQuery(HandleDisclosureRequestsDocument, { fetchPolicy: 'cache-and-network' });
  return (
    <>
      <Flex justify="space-between" align="start" gap={16} wrap>
        <Typography.Paragraph style={{ maxWidth: 760 }}>{t('pages.probe.requests.intro')}</Typography.Paragraph>
        <Button icon={<ReloadOutlined />} loading={loading && !!data} onClick={() => void refetch()}>
          {t('pages.probe.requests.refresh')}
        </Button>
      </Flex>
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} style={{ marginBottom: 12 }} />}
      <Table<Request>
        aria-label={t('pages.probe.tabs.requests')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data?.handleDisclosureRequests ?? []}
        loading={loading && !data}
        locale={{ emptyText: <EmptyText>{t('pages.probe.requests.none')}</EmptyText> }}
        columns={[
          {
            key: 'createdAt',
            title: t('pages.probe.requests.requestedAt'),
            render: (_, r) => (
              <>
                <DateTime value={r.createdAt} />
                <div>
                  <Typography.Text type="secondary">{t('pages.probe.requests.by', { subject: r.requestedBy })}</Typography.Text>
                </div>
              </>
            ),
          },
          { key: 'holder', title: t('pages.probe.requests.holder'), render: (_, r) => `${r.holderAgency.code} — ${r.holderAgency.name}` },
          {
            key: 'hit',
            title: t('pages.probe.requests.hit'),
            render: (_, r) => t('pages.probe.requests.hitWhat', { kind: t(`pages.alerts.identifierKind.${r.kind}`), fieldClass: t(`pages.alerts.fieldClass.${r.fieldClass}`) }),
          },
          { key: 'classes', title: t('pages.probe.requests.asked'), render: (_, r) => r.fieldClasses.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ') },
          { key: 'justification', title: t('pages.probe.requests.justification'), dataIndex: 'justification' },
          {
            key: 'status',
            title: t('pages.probe.requests.state'),
            render: (_, r) => (
              <>
                <DisclosureStatusTag status={r.status} />
                {r.decidedAt && (
                  <div>
                    <DateTime value={r.decidedAt} />
                  </div>
                )}
                {r.expiresAt && (
                  <div>
                    {t('pages.alerts.disclosure.until')} <DateTime value={r.expiresAt} />
                  </div>
                )}
                {r.decisionNote && <div>{r.decisionNote}</div>}
              </>
            ),
          },
          {
            key: 'alert',
            title: t('pages.probe.requests.alert'),
            render: (_, r) =>
              r.alert ? (
                <>
                  <PageLink to={`/alerts/${r.alert.id}`}>{r.alert.reference}</PageLink>
                  <div>{r.alert.title}</div>
                </>
              ) : (
                <Typography.Text type="secondary">{r.status === 'PENDING' ? t('pages.probe.requests.namedOnceApproved') : t('pages.probe.requests.notNamed')}</Typography.Text>
              ),
          },
        ]}
      />
    </>
  );
}
