import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@apollo/client/react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography, type FormRule } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OPERATION_LIMITS } from '../../common/operation-rules';
import { EmptyText } from '../alerts/alert-tags';
import { DateTime } from '../components/time';
import { CATEGORIES, CHANNELS, INFRINGEMENTS } from '../compose/compose-form';
import type { Picked } from '../compose/compose-rules';
import { RightsHolderPicker } from '../compose/rights-holder-picker';
import { graphql } from '../gql';
import type { GoodsCategory, InfringementType, OperationResultInput, TransportChannel } from '../gql/graphql';
import { useCount } from '../statistics/seizure-charts';
import { hubError } from './hub-error';
import { abilities, countedResults, type OperationDetail, type OperationResultRow, type ViewerInfo } from './operation-model';
import './operations.css';

const ReportResultDocument = graphql(`
  mutation ReportOperationResult($operationId: ID!, $input: OperationResultInput!) {
    reportOperationResult(operationId: $operationId, input: $input) {
      ...OperationResultFields
    }
  }
`);

interface SeizureValues {
  category?: GoodsCategory;
  infringement?: InfringementType;
  channel?: TransportChannel;
  pieces?: number | null;
  place?: string;
  rightsHolders?: Picked[];
}
interface ResultValues {
  casesOpened: number | null;
  seizures: SeizureValues[];
  notes?: string;
  alertIds?: string[];
}

/** The form's values from a result being corrected: what it said, to change what was wrong. */
function valuesOf(r: OperationResultRow | undefined): ResultValues {
  if (!r) return { casesOpened: null, seizures: [{}], notes: '', alertIds: [] };
  return {
    casesOpened: r.casesOpened,
    notes: r.notes ?? '',
    alertIds: [],
    seizures: r.seizures.map((s) => ({
      category: s.category,
      infringement: s.infringement,
      channel: s.channel,
      pieces: s.pieces,
      place: s.place ?? '',
      rightsHolders: s.rightsHolders.map((h) => ({ value: h.id, label: h.name })),
    })),
  };
}

/**
 * Report a result, or correct one (`corrects`): cases opened and seizure lines by category,
 * infringement, channel, pieces, place and rights holders, with notes and the linked alerts it
 * answers. The hub's limits are checked as typed; what only the hub can refuse shows its message.
 */
function ResultForm({ op, corrects, onDone, onCancel }: { op: OperationDetail; corrects?: OperationResultRow; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResultValues>();
  const [report, reporting] = useMutation(ReportResultDocument);
  const [refused, setRefused] = useState<string | undefined>();
  const required = { required: true, message: t('pages.compose.rules.required') };
  const enumOptions = (kind: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`pages.compose.enums.${kind}.${v}`) }));
  const whole = (min: number, max: number): FormRule => ({
    validator: (_, v: number | null) => (v == null || (Number.isInteger(v) && v >= min && v <= max) ? Promise.resolve() : Promise.reject(new Error(t('pages.operations.results.whole', { min, max })))),
  });

  const submit = async (v: ResultValues) => {
    setRefused(undefined);
    const input: OperationResultInput = {
      casesOpened: v.casesOpened ?? 0,
      notes: v.notes?.trim() || null,
      alertIds: v.alertIds?.length ? v.alertIds : null,
      correctsResultId: corrects?.id ?? null,
      seizures: v.seizures.map((s) => ({
        category: s.category!,
        infringement: s.infringement!,
        channel: s.channel!,
        pieces: s.pieces!,
        place: s.place?.trim() || null,
        rightsHolderIds: (s.rightsHolders ?? []).map((h) => h.value),
      })),
    };
    try {
      await report({ variables: { operationId: op.id, input } });
      onDone();
    } catch (e) {
      const h = hubError(e);
      setRefused(h.code === 'CONFLICT' ? t('pages.operations.results.conflict') : h.message);
    }
  };

  return (
    <Form<ResultValues> form={form} layout="vertical" initialValues={valuesOf(corrects)} onFinish={submit}>
      {corrects && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <>
              {t('pages.operations.results.correcting')} <DateTime value={corrects.reportedAt} />
            </>
          }
          description={t('pages.operations.results.countsOnce')}
        />
      )}
      <Form.Item name="casesOpened" label={t('pages.operations.results.casesOpened')} rules={[required, whole(0, OPERATION_LIMITS.cases)]}>
        <InputNumber min={0} max={OPERATION_LIMITS.cases} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.List
        name="seizures"
        rules={[
          {
            validator: (_, list: unknown[]) =>
              list && list.length > OPERATION_LIMITS.seizures ? Promise.reject(new Error(t('pages.compose.rules.tooMany', { max: OPERATION_LIMITS.seizures }))) : Promise.resolve(),
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{t('pages.operations.results.seizures')}</Typography.Text>
            {fields.map((field, i) => (
              <Card
                key={field.key}
                size="small"
                title={t('pages.operations.results.line', { n: i + 1 })}
                extra={
                  <Button size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('pages.operations.results.removeLine', { n: i + 1 })}>
                    {t('pages.operations.results.remove')}
                  </Button>
                }
              >
                <Row gutter={12}>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'category']} label={t('pages.operations.results.category')} rules={[required]}>
                      <Select options={enumOptions('category', CATEGORIES)} showSearch={{ optionFilterProp: 'label' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'infringement']} label={t('pages.operations.results.infringement')} rules={[required]}>
                      <Select options={enumOptions('infringement', INFRINGEMENTS)} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'channel']} label={t('pages.operations.results.channel')} rules={[required]}>
                      <Select options={enumOptions('channel', CHANNELS)} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'pieces']} label={t('pages.operations.results.pieces')} rules={[required, whole(1, OPERATION_LIMITS.pieces)]}>
                      <InputNumber min={1} max={OPERATION_LIMITS.pieces} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={16}>
                    <Form.Item name={[field.name, 'place']} label={t('pages.operations.results.place')} extra={t('pages.operations.results.placeHelp')}>
                      <Input maxLength={OPERATION_LIMITS.place} />
                    </Form.Item>
                  </Col>
                  <Col span={24}>
                    <Form.Item name={[field.name, 'rightsHolders']} label={t('pages.operations.results.rightsHolders')}>
                      <RightsHolderPicker />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({})}>
              {t('pages.operations.results.addLine')}
            </Button>
            <Form.ErrorList errors={errors} />
          </Space>
        )}
      </Form.List>
      <Form.Item name="alertIds" label={t('pages.operations.results.alerts')} extra={t('pages.operations.results.alertsHelp')} style={{ marginTop: 16 }}>
        <Select mode="multiple" allowClear options={op.alerts.edges.map((e) => ({ value: e.node.id, label: `${e.node.reference} — ${e.node.title}` }))} />
      </Form.Item>
      <Form.Item name="notes" label={t('pages.operations.results.notes')}>
        <Input.TextArea rows={3} maxLength={OPERATION_LIMITS.notes} />
      </Form.Item>
      {refused && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('pages.operations.refused', { message: refused })} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={reporting.loading}>
          {corrects ? t('pages.operations.results.submitCorrection') : t('pages.operations.results.submit')}
        </Button>
        <Button onClick={onCancel}>{t('pages.operations.plan.cancel')}</Button>
      </Space>
    </Form>
  );
}

/**
 * Results reported by the participants, oldest first. A correction is a new result naming the
 * one it replaces: the replaced one stays on record, struck through, and only the latest of each
 * chain counts in the statistics (the hub's rule). Participants' COORDINATORs and ANALYSTs
 * report while the operation is ACTIVE, or for a while after it concluded (the hub says when not).
 */
export function ResultsPanel({ op, viewer, onChanged }: { op: OperationDetail; viewer: ViewerInfo; onChanged: () => void }) {
  const { t } = useTranslation();
  const count = useCount();
  const [editing, setEditing] = useState<{ corrects?: OperationResultRow } | undefined>();
  const can = abilities(op, viewer);
  const mayReport = can.works && (op.status === 'ACTIVE' || op.status === 'CONCLUDED');
  const counted = new Set(countedResults(op.results).map((r) => r.id));
  const byId = new Map(op.results.map((r) => [r.id, r]));
  const pieces = (r: OperationResultRow) => r.seizures.reduce((n, s) => n + s.pieces, 0);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('pages.operations.results.intro')}
      </Typography.Paragraph>
      {mayReport && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} style={{ alignSelf: 'flex-start' }}>
          {t('pages.operations.results.report')}
        </Button>
      )}
      <Table<OperationResultRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={op.results}
        aria-label={t('pages.operations.results.title')}
        rowClassName={(r) => (counted.has(r.id) ? '' : 'hub-superseded')}
        expandable={{
          expandedRowRender: (r) => (
            <ul style={{ margin: 0 }}>
              {r.seizures.map((s, i) => (
                <li key={i}>
                  {t('pages.operations.results.lineText', {
                    pieces: count(s.pieces),
                    category: t(`pages.compose.enums.category.${s.category}`),
                    infringement: t(`pages.compose.enums.infringement.${s.infringement}`),
                    channel: t(`pages.compose.enums.channel.${s.channel}`),
                    place: s.place ?? '—',
                  })}
                  {s.rightsHolders.length > 0 && ` · ${t('pages.operations.results.rightsHolders')}: ${s.rightsHolders.map((h) => h.name).join(', ')}`}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { key: 'at', title: t('pages.operations.results.reportedAt'), render: (_, r) => <DateTime value={r.reportedAt} /> },
          { key: 'agency', title: t('pages.operations.results.agency'), render: (_, r) => r.reportingAgency.code },
          { key: 'cases', title: t('pages.operations.results.cases'), align: 'end', render: (_, r) => count(r.casesOpened) },
          { key: 'pieces', title: t('pages.operations.results.piecesTotal'), align: 'end', render: (_, r) => count(pieces(r)) },
          { key: 'notes', title: t('pages.operations.results.notes'), render: (_, r) => r.notes ?? '—' },
          {
            key: 'state',
            title: t('pages.operations.results.state'),
            className: 'hub-keep',
            render: (_, r) => {
              const replaced = byId.get(r.correctsResultId ?? '');
              return (
                <Space size={4} wrap>
                  {counted.has(r.id) ? <Tag color="#237804">{t('pages.operations.results.counted')}</Tag> : <Tag>{t('pages.operations.results.superseded')}</Tag>}
                  {replaced && (
                    <Typography.Text type="secondary">
                      {t('pages.operations.results.replaces')} <DateTime value={replaced.reportedAt} />
                    </Typography.Text>
                  )}
                </Space>
              );
            },
          },
          {
            key: 'actions',
            title: t('pages.operations.results.actions'),
            className: 'hub-keep',
            render: (_, r) =>
              mayReport && counted.has(r.id) && r.reportingAgency.code === viewer.agency ? (
                <Button size="small" onClick={() => setEditing({ corrects: r })} aria-label={t('pages.operations.results.correctLabel', { agency: r.reportingAgency.code, cases: r.casesOpened, pieces: count(pieces(r)) })}>
                  {t('pages.operations.results.correct')}
                </Button>
              ) : null,
          },
        ]}
        locale={{ emptyText: <EmptyText>{t('pages.operations.results.none')}</EmptyText> }}
      />
      <Modal
        open={!!editing}
        title={editing?.corrects ? t('pages.operations.results.correctTitle') : t('pages.operations.results.reportTitle', { codeName: op.codeName })}
        footer={null}
        width={860}
        destroyOnHidden
        onCancel={() => setEditing(undefined)}
      >
        {editing && (
          <ResultForm
            op={op}
            corrects={editing.corrects}
            onCancel={() => setEditing(undefined)}
            onDone={() => {
              setEditing(undefined);
              onChanged();
            }}
          />
        )}
      </Modal>
    </Space>
  );
}
