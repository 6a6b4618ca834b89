import { useMutation } from '@apollo/client/react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ClassPicker } from '../alerts/disclosure-panel';
import { graphql } from '../gql';
import type { FieldClass, IdentifierKind } from '../gql/graphql';
import { DisclosureCountsQuery } from '../inbox/inbox-count';

/** The classes one can ask a holder for: all but CORE, which is always shared. */
const ASKABLE: FieldClass[] = ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'];

const RequestDisclosureByHandleMutation = graphql(`
  mutation RequestDisclosureByHandle($handle: String!, $fieldClasses: [FieldClass!]!, $justification: String!) {
    requestDisclosureByHandle(handle: $handle, fieldClasses: $fieldClasses, justification: $justification) {
      id
      status
    }
  }
`);

/** A hit the viewer may ask about: its sealed handle and what the hub said of it. */
export interface HandleHit {
  handle: string;
  agency: string;
  kind: IdentifierKind;
  fieldClass: FieldClass;
}

/**
 * Asks the holder of a hit for classes of its alert (requestDisclosureByHandle), with a
 * justification the holder reads. The hit's class is ticked to begin with; the list of the
 * agency's requests through hits is fetched again once the request is made.
 */
export function HandleRequestModal({ hit, onClose, onSent }: { hit: HandleHit | undefined; onClose: () => void; onSent: (hit: HandleHit) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ fieldClasses: FieldClass[]; justification: string }>();
  const [request, requesting] = useMutation(RequestDisclosureByHandleMutation, { refetchQueries: ['HandleDisclosureRequests', DisclosureCountsQuery] });

  const submit = async (h: HandleHit, v: { fieldClasses: FieldClass[]; justification: string }) => {
    await request({ variables: { handle: h.handle, fieldClasses: v.fieldClasses, justification: v.justification.trim() } });
    onSent(h);
  };

  return (
    <Modal
      open={!!hit}
      title={hit ? t('pages.probe.request.title', { agency: hit.agency }) : ''}
      okText={t('pages.probe.request.send')}
      cancelText={t('pages.probe.request.cancel')}
      okButtonProps={{ loading: requesting.loading }}
      onOk={() => form.submit()}
      onCancel={() => {
        requesting.reset();
        onClose();
      }}
      destroyOnHidden
    >
      {hit && (
        <Form
          form={form}
          layout="vertical"
          name="request-by-handle"
          initialValues={{ fieldClasses: [hit.fieldClass], justification: '' }}
          onFinish={(v) => void submit(hit, v).catch(() => undefined)}
        >
          <Typography.Paragraph>
            {t('pages.probe.request.intro', { agency: hit.agency, kind: t(`pages.alerts.identifierKind.${hit.kind}`), fieldClass: t(`pages.alerts.fieldClass.${hit.fieldClass}`) })}
          </Typography.Paragraph>
          <Form.Item label={t('pages.probe.request.classes')} name="fieldClasses" rules={[{ required: true, message: t('pages.probe.request.classesRequired') }]}>
            <ClassPicker label={t('pages.probe.request.classes')} options={ASKABLE.map((c) => ({ value: c, label: t(`pages.alerts.fieldClass.${c}`) }))} />
          </Form.Item>
          <Form.Item
            label={t('pages.probe.request.justification')}
            name="justification"
            rules={[{ required: true, whitespace: true, message: t('pages.probe.request.justificationRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
          {requesting.error && <Alert type="error" showIcon title={t('errors.generic', { message: requesting.error.message })} />}
        </Form>
      )}
    </Modal>
  );
}
