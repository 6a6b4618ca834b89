import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Alert, Button, Flex, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyText, PageLink } from '../alerts/alert-tags';
import { graphql } from '../gql';
import type { IdentifierKind, MatchIdentifiersQuery, ProbeQuotaQuery } from '../gql/graphql';
import { formatDateTime } from '../i18n/datetime';
import { HandleRequestModal, type HandleHit } from './handle-request-modal';

/** The kinds an identifier can be checked as (schema `enum IdentifierKind`), in the order offered. */
export const IDENTIFIER_KINDS: IdentifierKind[] = ['PHONE', 'PARTY_NAME', 'ADDRESS', 'COMPANY_REGISTRATION', 'EMAIL', 'CONTAINER', 'BILL_OF_LADING', 'AIR_WAYBILL', 'TRACKING_NUMBER'];

/** Most values the hub takes in one check (MAX_PROBE_VALUES in src/correlation/probe.service.ts). */
const MAX_VALUES = 50;

export const ProbeQuotaDocument = graphql(`
  query ProbeQuota {
    probeQuota {
      limit
      used
      remaining
      resetsAt
    }
  }
`);

const MatchIdentifiersDocument = graphql(`
  query MatchIdentifiers($identifiers: [IdentifierProbeInput!]!) {
    matchIdentifiers(identifiers: $identifiers) {
      kind
      value
      normalized
      hits {
        agency {
          code
          name
        }
        fieldClass
        role
        reference
        handle
        alert {
          id
          title
        }
      }
    }
  }
`);

type Match = MatchIdentifiersQuery['matchIdentifiers'][number];
type Hit = Match['hits'][number];
interface Row {
  kind: IdentifierKind;
  values?: string;
}

/** The values of the form's rows, one a line, blank lines left out. */
function identifiersOf(rows: readonly Row[]): { kind: IdentifierKind; value: string }[] {
  return rows.flatMap((r) =>
    (r.values ?? '')
      .split(/\r?\n/)
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((value) => ({ kind: r.kind, value })),
  );
}

/** The day's allowance, as the hub counts it (per officer, per UTC day; shown in UTC+8). */
function Quota({ quota: q, error }: { quota: ProbeQuotaQuery['probeQuota'] | undefined; error: Error | undefined }) {
  const { t, i18n } = useTranslation();
  if (error) return <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />;
  if (!q) return null;
  return (
    <Typography.Paragraph aria-live="polite" style={{ marginBottom: 0 }}>
      {t('pages.probe.quota', { used: q.used, limit: q.limit, remaining: q.remaining, time: formatDateTime(q.resetsAt, i18n.resolvedLanguage ?? 'en') })}
    </Typography.Paragraph>
  );
}

/** One hit: the alert named (a link) where the hub names it, else the holding agency and a request through the handle. */
function HitLine({ hit, requested, onRequest }: { hit: Hit; requested: boolean; onRequest: () => void }) {
  const { t } = useTranslation();
  const what = [t(`pages.alerts.fieldClass.${hit.fieldClass}`), hit.role ? t(`pages.probe.role.${hit.role}`) : null].filter(Boolean).join(', ');
  if (hit.alert && hit.reference) {
    return (
      <li>
        <PageLink to={`/alerts/${hit.alert.id}`}>{hit.reference}</PageLink> {hit.alert.title}{' '}
        <Typography.Text type="secondary">{t('pages.probe.openHit', { agency: hit.agency.code, what })}</Typography.Text>
      </li>
    );
  }
  return (
    <li>
      <Flex gap={8} align="center" wrap>
        <span>
          {t('pages.probe.hitAt', { agency: hit.agency.code })} <Typography.Text type="secondary">({what})</Typography.Text>
        </span>
        {requested ? (
          <Typography.Text>{t('pages.probe.request.requested')}</Typography.Text>
        ) : (
          <Button size="small" aria-label={t('pages.probe.request.buttonFor', { agency: hit.agency.code, fieldClass: t(`pages.alerts.fieldClass.${hit.fieldClass}`) })} onClick={onRequest}>
            {t('pages.probe.request.button')}
          </Button>
        )}
      </Flex>
    </li>
  );
}

/**
 * The check: kinds and values (one a line) in, per value no hit or its hits out; the hub keys the
 * values and compares keys only. Answers are kept in this page's state alone (`no-cache`): a
 * check is a moment's answer, and what was probed stays out of the client's cache.
 */
export function IdentifierCheck({ onShowRequests }: { onShowRequests: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useApolloClient();
  const quota = useQuery(ProbeQuotaDocument, { fetchPolicy: 'network-only' });
  const [form] = Form.useForm<{ rows: Row[] }>();
  const [checking, setChecking] = useState(false);
  const [results, setResults] = useState<Match[]>();
  const [failure, setFailure] = useState<{ limitUntil?: string; message?: string }>();
  const [asking, setAsking] = useState<HandleHit>();
  const [requested, setRequested] = useState<ReadonlySet<string>>(new Set());
  const [sentTo, setSentTo] = useState<string>();

  const check = async ({ rows }: { rows: Row[] }) => {
    const identifiers = identifiersOf(rows);
    setChecking(true);
    setFailure(undefined);
    setSentTo(undefined);
    try {
      const { data } = await client.query({ query: MatchIdentifiersDocument, variables: { identifiers }, fetchPolicy: 'no-cache' });
      setResults(data?.matchIdentifiers ?? []);
      setRequested(new Set());
    } catch (e) {
      setResults(undefined);
      const first = CombinedGraphQLErrors.is(e) ? e.errors[0] : undefined;
      if (first?.extensions?.code === 'TOO_MANY_REQUESTS') {
        // retryAfter: seconds to the next UTC midnight, when the count starts again.
        setFailure({ limitUntil: new Date(Date.now() + Number(first.extensions.retryAfter ?? 0) * 1000).toISOString() });
      } else {
        setFailure({ message: first?.message ?? (e as Error).message });
      }
    } finally {
      setChecking(false);
      void quota.refetch();
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Form
        form={form}
        layout="vertical"
        name="identifier-check"
        initialValues={{ rows: [{ kind: 'PHONE', values: '' }] }}
        onFinish={(v) => void check(v)}
        style={{ maxWidth: 760 }}
      >
        <Form.List
          name="rows"
          rules={[
            {
              validator: async () => {
                const count = identifiersOf(form.getFieldValue('rows') ?? []).length;
                if (count === 0) throw new Error(t('pages.probe.form.none'));
                if (count > MAX_VALUES) throw new Error(t('pages.probe.form.tooMany', { max: MAX_VALUES, count }));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, i) => (
                <div key={field.key} role="group" aria-label={t('pages.probe.form.row', { n: i + 1 })}>
                  <Flex gap={12} align="start" wrap>
                    <Form.Item label={t('pages.probe.form.kind')} name={[field.name, 'kind']} style={{ width: 220 }}>
                      <Select options={IDENTIFIER_KINDS.map((k) => ({ value: k, label: t(`pages.probe.kind.${k}`) }))} />
                    </Form.Item>
                    <Form.Item label={t('pages.probe.form.values')} name={[field.name, 'values']} style={{ flex: 1, minWidth: 260 }}>
                      <Input.TextArea rows={3} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button style={{ marginTop: 30 }} icon={<DeleteOutlined />} aria-label={t('pages.probe.form.removeRow', { n: i + 1 })} onClick={() => remove(field.name)} />
                    )}
                  </Flex>
                </div>
              ))}
              <Form.ErrorList errors={errors} />
              <Space style={{ marginTop: 8 }}>
                <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'PHONE', values: '' })}>
                  {t('pages.probe.form.addRow')}
                </Button>
                <Button type="primary" htmlType="submit" loading={checking}>
                  {t('pages.probe.form.check')}
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
      <Quota quota={quota.data?.probeQuota} error={quota.error} />
      {failure?.limitUntil && (
        <Alert
          type="error"
          showIcon
          title={t('pages.probe.limit.title')}
          description={t('pages.probe.limit.body', { time: formatDateTime(failure.limitUntil, i18n.resolvedLanguage ?? 'en') })}
        />
      )}
      {failure?.message && <Alert type="error" showIcon title={t('errors.generic', { message: failure.message })} />}
      {sentTo && (
        <Alert
          type="success"
          showIcon
          title={t('pages.probe.request.sent', { agency: sentTo })}
          action={
            <Button size="small" onClick={onShowRequests}>
              {t('pages.probe.request.follow')}
            </Button>
          }
        />
      )}
      {results && (
        <Table<Match>
          aria-label={t('pages.probe.results.title')}
          title={() => <h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.probe.results.title')}</h2>}
          rowKey={(_, i) => String(i)}
          size="small"
          pagination={false}
          dataSource={results}
          locale={{ emptyText: <EmptyText>{t('pages.probe.form.none')}</EmptyText> }}
          columns={[
            { key: 'kind', title: t('pages.probe.results.kind'), render: (_, m) => t(`pages.probe.kind.${m.kind}`) },
            {
              key: 'value',
              title: t('pages.probe.results.value'),
              render: (_, m) => (
                <>
                  <div>{m.value}</div>
                  {m.normalized && m.normalized !== m.value && <Typography.Text type="secondary">{t('pages.probe.results.comparedAs', { normalized: m.normalized })}</Typography.Text>}
                </>
              ),
            },
            {
              key: 'result',
              title: t('pages.probe.results.result'),
              render: (_, m) =>
                m.normalized === null ? (
                  <Typography.Text type="secondary">{t('pages.probe.results.unusable', { kind: t(`pages.alerts.identifierKind.${m.kind}`) })}</Typography.Text>
                ) : m.hits.length === 0 ? (
                  <Tag>{t('pages.probe.results.noHit')}</Tag>
                ) : (
                  <ul style={{ margin: 0, paddingInlineStart: 18 }} aria-label={t('pages.probe.results.hits', { count: m.hits.length })}>
                    {m.hits.map((h, i) => (
                      <HitLine
                        key={h.handle ?? `${h.alert?.id}-${h.role}-${i}`}
                        hit={h}
                        requested={!!h.handle && requested.has(h.handle)}
                        onRequest={() => setAsking({ handle: h.handle!, agency: h.agency.code, kind: m.kind, fieldClass: h.fieldClass })}
                      />
                    ))}
                  </ul>
                ),
            },
          ]}
        />
      )}
      <HandleRequestModal
        hit={asking}
        onClose={() => setAsking(undefined)}
        onSent={(hit) => {
          setRequested((s) => new Set(s).add(hit.handle));
          setSentTo(hit.agency);
          setAsking(undefined);
        }}
      />
    </Space>
  );
}
