import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Checkbox, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { AlertDisclosureRequestsQuery, FieldClass } from '../gql/graphql';
import { DisclosureStatusTag, EmptyText } from './alert-tags';
import { DisclosureCountsQuery } from '../inbox/inbox-count';

/**
 * The disclosure requests on one alert that the viewer's agency made or must decide, newest
 * first (the hub filters by alert and applies its visibility; a partner's requests never come).
 */
export const AlertDisclosureRequestsQueryDocument = graphql(`
  query AlertDisclosureRequests($alertId: ID!) {
    disclosureRequests(alertId: $alertId, first: 100) {
      id
      fieldClasses
      justification
      status
      requestedBy
      requestingAgency {
        code
        name
      }
      createdAt
      decidedAt
      decidedBy
      decisionNote
      expiresAt
    }
  }
`);

const RequestDisclosureMutation = graphql(`
  mutation RequestDisclosure($alertId: ID!, $fieldClasses: [FieldClass!]!, $justification: String!) {
    requestDisclosure(alertId: $alertId, fieldClasses: $fieldClasses, justification: $justification) {
      id
      status
    }
  }
`);

/**
 * The classes to ask for, as a labelled group of checkboxes. Form.Item hands its control ARIA
 * attributes (aria-required, …) that a group may not carry: they stay here, the group gets its name.
 */
export function ClassPicker({ id, value, onChange, label, options }: { id?: string; value?: FieldClass[]; onChange?: (v: FieldClass[]) => void; label: string; options: { value: FieldClass; label: string }[] }) {
  return (
    <div role="group" id={id} aria-label={label}>
      <Checkbox.Group value={value} onChange={(v) => onChange?.(v as FieldClass[])} options={options} />
    </div>
  );
}

export type DisclosureRow = AlertDisclosureRequestsQuery['disclosureRequests'][number];

/** The columns every view of requests shares: what was asked, why, and where it stands. */
export function useDisclosureColumns() {
  const { t } = useTranslation();
  return [
    { key: 'createdAt', title: t('pages.alerts.disclosure.requestedAt'), render: (_: unknown, r: DisclosureRow) => <DateTime value={r.createdAt} /> },
    { key: 'by', title: t('pages.alerts.disclosure.requestedBy'), render: (_: unknown, r: DisclosureRow) => `${r.requestingAgency.code} · ${r.requestedBy}` },
    { key: 'classes', title: t('pages.alerts.disclosure.classes'), render: (_: unknown, r: DisclosureRow) => r.fieldClasses.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ') },
    { key: 'justification', title: t('pages.alerts.disclosure.justification'), dataIndex: 'justification' },
    { key: 'status', title: t('pages.alerts.disclosure.state'), render: (_: unknown, r: DisclosureRow) => <DisclosureStatusTag status={r.status} /> },
    {
      key: 'decision',
      title: t('pages.alerts.disclosure.decision'),
      render: (_: unknown, r: DisclosureRow) =>
        r.decidedAt ? (
          <>
            <DateTime value={r.decidedAt} /> {r.decidedBy && `· ${r.decidedBy}`}
            {r.expiresAt && (
              <div>
                {t('pages.alerts.disclosure.until')} <DateTime value={r.expiresAt} />
              </div>
            )}
            {r.decisionNote && <div>{r.decisionNote}</div>}
          </>
        ) : (
          '—'
        ),
    },
  ];
}

/**
 * On a partner's alert: what is withheld can be asked for (ANALYSTs only: the hub refuses
 * others), and this agency's requests for the alert show where they stand.
 */
export function DisclosurePanel({ alertId, withheld, origin, canRequest }: { alertId: string; withheld: FieldClass[]; origin: string; canRequest: boolean }) {
  const { t } = useTranslation();
  const requests = useQuery(AlertDisclosureRequestsQueryDocument, { variables: { alertId }, fetchPolicy: 'network-only' });
  const [request, requesting] = useMutation(RequestDisclosureMutation, { refetchQueries: [DisclosureCountsQuery] });
  const [form] = Form.useForm<{ fieldClasses: FieldClass[]; justification: string }>();
  const [sent, setSent] = useState(false);
  const columns = useDisclosureColumns();
  const mine = requests.data?.disclosureRequests ?? [];
  // CORE is never withheld and cannot be asked for.
  const askable = withheld.filter((c) => c !== 'CORE');

  const submit = async (v: { fieldClasses: FieldClass[]; justification: string }) => {
    setSent(false);
    await request({ variables: { alertId, fieldClasses: v.fieldClasses, justification: v.justification.trim() } });
    form.resetFields();
    setSent(true);
    await requests.refetch();
  };

  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.alerts.disclosure.title')}</h2>}>
      {canRequest && askable.length > 0 && (
        <Form form={form} layout="vertical" name="request-disclosure" onFinish={(v) => void submit(v).catch(() => undefined)} style={{ maxWidth: 640 }}>
          <Typography.Paragraph>{t('pages.alerts.disclosure.intro', { agency: origin })}</Typography.Paragraph>
          <Form.Item
            label={t('pages.alerts.disclosure.classes')}
            name="fieldClasses"
            rules={[{ required: true, message: t('pages.alerts.disclosure.classesRequired') }]}
          >
            <ClassPicker label={t('pages.alerts.disclosure.classes')} options={askable.map((c) => ({ value: c, label: t(`pages.alerts.fieldClass.${c}`) }))} />
          </Form.Item>
          <Form.Item
            label={t('pages.alerts.disclosure.justification')}
            name="justification"
            rules={[{ required: true, whitespace: true, message: t('pages.alerts.disclosure.justificationRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
          {requesting.error && <Alert type="error" showIcon title={t('errors.generic', { message: requesting.error.message })} style={{ marginBottom: 12 }} />}
          {sent && <Alert type="success" showIcon title={t('pages.alerts.disclosure.sent')} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" loading={requesting.loading}>
            {t('pages.alerts.disclosure.submit')}
          </Button>
        </Form>
      )}
      {!canRequest && askable.length > 0 && <Typography.Paragraph type="secondary">{t('pages.alerts.disclosure.analystsOnly')}</Typography.Paragraph>}
      {askable.length === 0 && <Typography.Paragraph type="secondary">{t('pages.alerts.disclosure.nothingWithheld')}</Typography.Paragraph>}

      <h3 style={{ fontSize: 14, marginTop: 16 }}>{t('pages.alerts.disclosure.yourRequests')}</h3>
      {requests.error && <Alert type="error" showIcon title={t('errors.generic', { message: requests.error.message })} />}
      <Table<DisclosureRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={mine}
        columns={columns}
        loading={requests.loading && !requests.data}
        locale={{ emptyText: <EmptyText>{t('pages.alerts.disclosure.none')}</EmptyText> }}
      />
    </Card>
  );
}
