import { useMutation } from '@apollo/client/react';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { HubDateTimePicker } from '../components/hub-date-time-picker';
import { graphql } from '../gql';
import type { FieldClass } from '../gql/graphql';
import { formatDateTime } from '../i18n/datetime';
import { DisclosureCountsQuery } from '../inbox/inbox-count';

const DecideDisclosureMutation = graphql(`
  mutation DecideDisclosure($requestId: ID!, $approve: Boolean!, $expiresAt: DateTime, $note: String) {
    decideDisclosure(requestId: $requestId, approve: $approve, expiresAt: $expiresAt, note: $note) {
      id
      status
      expiresAt
      decidedAt
      decidedBy
      decisionNote
    }
  }
`);

/** How long an approval grants, offered as choices: the hub takes at most 90 days. */
const GRANT_DAYS = [1, 7, 30, 90] as const;
export const MAX_GRANT_DAYS = 90;
const DAY_MS = 24 * 3600_000;

/** The request being decided, and which way. */
export interface Deciding {
  request: { id: string; fieldClasses: readonly FieldClass[]; requestingAgency: { code: string } };
  approve: boolean;
}

interface DecideValues {
  /** Days from now, or 'until' for a chosen instant. */
  days: number | 'until';
  until?: string | null;
  note?: string;
}

/**
 * Approve (a grant until an expiry: 1, 7, 30 or 90 days, or a chosen date and time in UTC+8) or
 * deny (a note to the requester is required) one partner's request. Its answer updates the
 * request in Apollo's cache and the inbox counts; `onDecided` runs after.
 */
export function DecideDisclosureDialog({ deciding, onClose, onDecided }: { deciding: Deciding | undefined; onClose: () => void; onDecided?: () => unknown }) {
  const { t, i18n } = useTranslation();
  const [decide, state] = useMutation(DecideDisclosureMutation, { refetchQueries: [DisclosureCountsQuery] });
  const [form] = Form.useForm<DecideValues>();
  const language = i18n.resolvedLanguage ?? 'en';
  const chosen = Form.useWatch('days', form);

  const submit = async (v: DecideValues) => {
    if (!deciding) return;
    let expiresAt: string | null = null;
    if (deciding.approve) {
      // 90 days is the hub's limit measured when it decides: a minute's margin keeps "90" inside it.
      expiresAt = v.days === 'until' ? v.until ?? null : new Date(Date.now() + v.days * DAY_MS - (v.days === MAX_GRANT_DAYS ? 60_000 : 0)).toISOString();
    }
    await decide({ variables: { requestId: deciding.request.id, approve: deciding.approve, expiresAt, note: v.note?.trim() || null } });
    onClose();
    form.resetFields();
    await onDecided?.();
  };

  return (
    <Modal
      open={!!deciding}
      title={deciding ? t(deciding.approve ? 'pages.alerts.disclosure.approveTitle' : 'pages.alerts.disclosure.denyTitle', { agency: deciding.request.requestingAgency.code }) : ''}
      okText={deciding?.approve ? t('pages.alerts.disclosure.approve') : t('pages.alerts.disclosure.deny')}
      cancelText={t('pages.alerts.disclosure.cancel')}
      // Ant Design's danger red (#ff4d4f) under white text is short of AA contrast: Deny is a plain button.
      okButtonProps={{ loading: state.loading }}
      onOk={() => form.submit()}
      onCancel={() => {
        state.reset();
        onClose();
      }}
      destroyOnHidden
    >
      {deciding && (
        <Form form={form} layout="vertical" name="decide-disclosure" initialValues={{ days: 30 }} onFinish={(v) => void submit(v).catch(() => undefined)}>
          <Typography.Paragraph>
            {t('pages.alerts.disclosure.decideIntro', {
              agency: deciding.request.requestingAgency.code,
              classes: deciding.request.fieldClasses.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', '),
            })}
          </Typography.Paragraph>
          {deciding.approve && (
            <Form.Item label={t('pages.alerts.disclosure.grantFor')} name="days">
              <Select
                options={[
                  ...GRANT_DAYS.map((d) => ({
                    value: d as DecideValues['days'],
                    label: t(`pages.alerts.disclosure.grant.d${d}`, { until: formatDateTime(Date.now() + d * DAY_MS, language) }),
                  })),
                  { value: 'until', label: t('pages.alerts.disclosure.grant.until') },
                ]}
              />
            </Form.Item>
          )}
          {deciding.approve && chosen === 'until' && (
            <Form.Item
              label={t('pages.alerts.disclosure.expiresAt')}
              name="until"
              rules={[
                { required: true, message: t('pages.alerts.disclosure.expiresAtRequired') },
                {
                  validator: async (_, value: string | null | undefined) => {
                    if (!value) return;
                    const at = new Date(value).getTime();
                    if (at <= Date.now() || at > Date.now() + MAX_GRANT_DAYS * DAY_MS) throw new Error(t('pages.alerts.disclosure.expiresAtRange', { days: MAX_GRANT_DAYS }));
                  },
                },
              ]}
            >
              <HubDateTimePicker />
            </Form.Item>
          )}
          <Form.Item
            label={t('pages.alerts.disclosure.note')}
            name="note"
            rules={deciding.approve ? [] : [{ required: true, whitespace: true, message: t('pages.alerts.disclosure.noteRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          {state.error && <Alert type="error" showIcon title={t('errors.generic', { message: state.error.message })} />}
        </Form>
      )}
    </Modal>
  );
}
