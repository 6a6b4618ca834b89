import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Typography, type FormInstance, type FormRule } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HubDateTimePicker } from '../components/hub-date-time-picker';
import { HUB_ZONE_LABEL } from '../i18n/datetime';
import { ContainerTags } from './container-tags';
import {
  LIMITS,
  containerRule,
  countryRule,
  dateTimeRule,
  hsCodeRule,
  locodeRule,
  operationRule,
  quantityRule,
  rightsHoldersRule,
  textRule,
  type ComposeValues,
  type Picked,
  type Problem,
} from './compose-rules';
import { RightsHolderPicker } from './rights-holder-picker';

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const CHANNELS = ['SEA_CONTAINER', 'AIR_CARGO', 'LAND_BORDER', 'CROSS_BORDER_ECOMMERCE', 'POSTAL_EXPRESS', 'PASSENGER'] as const;
export const DIRECTIONS = ['IMPORT', 'EXPORT', 'TRANSIT'] as const;
export const CATEGORIES = [
  'AUDIO_EQUIPMENT', 'BAGS', 'CLOTHING', 'COSMETICS', 'ELECTRONICS', 'INTEGRATED_CIRCUITS', 'PHARMACEUTICALS', 'SHOES', 'TOBACCO', 'TOYS', 'WATCHES_JEWELLERY', 'OTHER',
] as const;
export const INFRINGEMENTS = ['TRADEMARK', 'PATENT', 'COPYRIGHT', 'DESIGN'] as const;
export const MODI = ['SEPARATED_MARKS', 'SMALL_PARCEL_SPLITTING', 'ANT_MOVING', 'FAST_TRACK_ABUSE', 'CONCEALMENT', 'MISDECLARATION', 'OTHER'] as const;
export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const SCOPES = ['ORIGINATOR_ONLY', 'SELECTED_AGENCIES', 'ALL_PARTNERS', 'OPERATION'] as const;

export interface PartnerAgency {
  code: string;
  name: string;
}

/** A joint operation an OPERATION distribution may name: its participants see the alert. */
export interface OperationChoice {
  id: string;
  codeName: string;
  status: string;
  leadAgency: string;
  participants: string[];
}

/**
 * The compose form's fields (CreateAlertInput / UpdateAlertInput, and the distribution). Every
 * check runs as the person types, with the hub's own rules (compose-rules.ts); the page owns
 * the actions.
 */
export function ComposeFields({
  form,
  creating,
  readOnly,
  partners,
  operations,
  sharedOperationId,
  actions,
  distributionActions,
}: {
  form: FormInstance<ComposeValues>;
  creating: boolean;
  readOnly: boolean;
  partners: PartnerAgency[];
  /** Those the viewer's agency takes part in whose state takes new alerts, and the one the alert is shared with. */
  operations: OperationChoice[];
  /** The operation the stored alert is shared with, if any. */
  sharedOperationId?: string | null;
  actions: ReactNode;
  distributionActions?: ReactNode;
}) {
  const { t } = useTranslation();
  const rule = (check: (v: never) => Problem | null): FormRule => ({
    validator: (_, v) => {
      const p = check(v as never);
      return p ? Promise.reject(new Error(t(p.key, p.params))) : Promise.resolve();
    },
  });
  const text = (max: number, required = false) => rule((v: string) => textRule(v, max, required));
  const picked = rule((v: string | undefined) => (v ? null : { key: 'pages.compose.rules.required' }));
  const someOf = rule((v: string[] | undefined) => (v?.length ? null : { key: 'pages.compose.rules.pickOne' }));
  const containers = rule((v: string[] | undefined) => (v ?? []).map(containerRule).find((p) => p) ?? null);
  const operationById = new Map(operations.map((o) => [o.id, o]));
  const operation = rule((v: Picked | null | undefined) =>
    operationRule(v ? { id: v.value, status: operationById.get(v.value)?.status ?? '' } : null, sharedOperationId),
  );
  const enumOptions = (group: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`pages.compose.enums.${group}.${v}`) }));
  const party = (name: 'consignor' | 'consignee') => (
    <Card size="small" title={t(`pages.compose.fields.${name}`)} styles={{ title: { fontWeight: 600 } }}>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name={[name, 'name']} label={t('pages.compose.party.name')} rules={[text(LIMITS.partyName)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={[name, 'identifier']} label={t('pages.compose.party.identifier')} rules={[text(LIMITS.partyIdentifier)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name={[name, 'address']} label={t('pages.compose.party.address')} rules={[text(LIMITS.partyAddress)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'country']} label={t('pages.compose.party.country')} rules={[rule(countryRule)]} extra={t('pages.compose.hints.country')}>
            <Input maxLength={2} style={{ textTransform: 'uppercase' }} />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.sections.what')}</h2>}>
        <Form.Item name="title" label={t('pages.compose.fields.title')} rules={[text(LIMITS.title, true)]}>
          <Input disabled={readOnly} />
        </Form.Item>
        <Form.Item name="summary" label={t('pages.compose.fields.summary')} rules={[text(LIMITS.summary, true)]}>
          <Input.TextArea rows={3} disabled={readOnly} />
        </Form.Item>
        <Form.Item name="riskLevel" label={t('pages.compose.fields.riskLevel')} rules={[picked]}>
          <Radio.Group options={enumOptions('riskLevel', RISK_LEVELS)} disabled={readOnly} />
        </Form.Item>
        <Form.Item name="channel" label={t('pages.compose.fields.channel')} rules={[picked]} extra={creating ? undefined : t('pages.compose.hints.setOnce')}>
          <Radio.Group options={enumOptions('channel', CHANNELS)} disabled={readOnly || !creating} />
        </Form.Item>
        <Form.Item name="direction" label={t('pages.compose.fields.direction')} rules={[picked]}>
          <Radio.Group options={enumOptions('direction', DIRECTIONS)} disabled={readOnly || !creating} />
        </Form.Item>
        <Form.Item name="infringements" label={t('pages.compose.fields.infringements')} rules={[someOf]}>
          <Checkbox.Group options={enumOptions('infringement', INFRINGEMENTS)} disabled={readOnly} />
        </Form.Item>
        <Form.Item name="modusOperandi" label={t('pages.compose.fields.modusOperandi')}>
          <Checkbox.Group options={enumOptions('modus', MODI)} disabled={readOnly} />
        </Form.Item>
        <Form.Item name="rightsHolderIds" label={t('pages.compose.fields.rightsHolderIds')} rules={[rule(rightsHoldersRule)]} extra={t('pages.compose.hints.rightsHolders')}>
          <RightsHolderPicker disabled={readOnly} />
        </Form.Item>
      </Card>

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.fields.goods')}</h2>}>
        <Form.List name="goods" rules={[{ validator: (_, v?: unknown[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('pages.compose.rules.goodsLine')))) }]}>
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <fieldset key={f.key} style={{ border: 0, padding: 0, margin: 0 }} aria-label={t('pages.compose.goods.line', { n: i + 1 })}>
                  <Row gutter={12} align="top">
                    <Col xs={24} md={5}>
                      <Form.Item name={[f.name, 'category']} label={t('pages.compose.goods.category')} rules={[picked]}>
                        <Select options={enumOptions('category', CATEGORIES)} disabled={readOnly} showSearch={{ optionFilterProp: 'label' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={7}>
                      <Form.Item name={[f.name, 'description']} label={t('pages.compose.goods.description')} rules={[text(LIMITS.goodsDescription, true)]}>
                        <Input disabled={readOnly} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[f.name, 'hsCode']} label={t('pages.compose.goods.hsCode')} rules={[rule(hsCodeRule)]}>
                        <Input disabled={readOnly} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={3}>
                      <Form.Item name={[f.name, 'quantity']} label={t('pages.compose.goods.quantity')} rules={[rule(quantityRule)]}>
                        <InputNumber min={1} precision={0} style={{ width: '100%' }} disabled={readOnly} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={3}>
                      <Form.Item name={[f.name, 'unit']} label={t('pages.compose.goods.unit')} rules={[text(LIMITS.unit, true)]}>
                        <Input disabled={readOnly} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={2}>
                      {!readOnly && fields.length > 1 && (
                        <Form.Item label={<span aria-hidden>&nbsp;</span>}>
                          <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('pages.compose.goods.remove', { n: i + 1 })} />
                        </Form.Item>
                      )}
                    </Col>
                  </Row>
                </fieldset>
              ))}
              <Form.ErrorList errors={errors} />
              {!readOnly && fields.length < LIMITS.goodsLines && (
                <Button icon={<PlusOutlined />} onClick={() => add({ quantity: 1, unit: 'pcs' })}>
                  {t('pages.compose.goods.add')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Card>

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.sections.route')}</h2>}>
        <Row gutter={12}>
          {(['portOfLoading', 'portOfDischarge'] as const).map((n) => (
            <Col xs={24} md={6} key={n}>
              <Form.Item name={n} label={t(`pages.compose.fields.${n}`)} rules={[rule(locodeRule)]} extra={t('pages.compose.hints.locode')}>
                <Input disabled={readOnly} style={{ textTransform: 'uppercase' }} />
              </Form.Item>
            </Col>
          ))}
          {(['originCountry', 'destinationCountry'] as const).map((n) => (
            <Col xs={24} md={6} key={n}>
              <Form.Item name={n} label={t(`pages.compose.fields.${n}`)} rules={[rule(countryRule)]} extra={t('pages.compose.hints.country')}>
                <Input disabled={readOnly} maxLength={2} style={{ textTransform: 'uppercase' }} />
              </Form.Item>
            </Col>
          ))}
          <Col xs={24} md={12}>
            <Form.Item name="expectedArrival" label={t('pages.compose.fields.expectedArrival')} rules={[rule(dateTimeRule)]} extra={t('pages.compose.hints.expectedArrival', { zone: HUB_ZONE_LABEL })}>
              <HubDateTimePicker disabled={readOnly} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.sections.shipment')}</h2>}>
        <Form.Item name="containerNumbers" label={t('pages.compose.fields.containerNumbers')} rules={[containers]}>
          <ContainerTags disabled={readOnly} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="billOfLading" label={t('pages.compose.fields.billOfLading')} rules={[text(LIMITS.billOfLading)]}>
              <Input disabled={readOnly} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="conveyanceReference" label={t('pages.compose.fields.conveyanceReference')} rules={[text(LIMITS.conveyanceReference)]}>
              <Input disabled={readOnly} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.sections.parties')}</h2>}>
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {party('consignor')}
            {party('consignee')}
          </Space>
        </fieldset>
      </Card>

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.fields.source')}</h2>}>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name={['source', 'kind']} label={t('pages.compose.source.kind')} rules={[text(LIMITS.sourceKind)]}>
              <Input disabled={readOnly} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={['source', 'reliability']} label={t('pages.compose.source.reliability')}>
              <Select options={RELIABILITIES.map((r) => ({ value: r, label: r }))} disabled={readOnly} allowClear />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={['source', 'credibility']} label={t('pages.compose.source.credibility')}>
              <Select options={[1, 2, 3, 4, 5, 6].map((c) => ({ value: c, label: String(c) }))} disabled={readOnly} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['source', 'reference']} label={t('pages.compose.source.reference')} rules={[text(LIMITS.sourceReference)]}>
              <Input disabled={readOnly} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="operationalNotes" label={t('pages.compose.fields.operationalNotes')} rules={[text(LIMITS.operationalNotes)]}>
          <Input.TextArea rows={3} disabled={readOnly} />
        </Form.Item>
      </Card>

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.compose.fields.distribution')}</h2>}>
        <Form.Item name={['distribution', 'scope']} label={t('pages.compose.distribution.scope')} rules={[picked]}>
          <Radio.Group options={enumOptions('scope', SCOPES)} disabled={readOnly} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.distribution?.scope !== b.distribution?.scope || a.distribution?.operationId?.value !== b.distribution?.operationId?.value}>
          {() => {
            const scope = form.getFieldValue(['distribution', 'scope']);
            if (scope === 'SELECTED_AGENCIES') {
              return (
                <Form.Item name={['distribution', 'agencies']} label={t('pages.compose.distribution.agencies')} rules={[someOf]}>
                  <Checkbox.Group options={partners.map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` }))} disabled={readOnly} />
                </Form.Item>
              );
            }
            if (scope !== 'OPERATION') return null;
            const picked = operationById.get((form.getFieldValue(['distribution', 'operationId']) as Picked | null | undefined)?.value ?? '');
            return (
              <>
                <Form.Item
                  name={['distribution', 'operationId']}
                  label={t('pages.compose.distribution.operation')}
                  rules={[operation]}
                  extra={operations.length ? t('pages.compose.distribution.operationHint') : t('pages.compose.distribution.noOperations')}
                >
                  <Select
                    labelInValue
                    disabled={readOnly}
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('pages.compose.distribution.operationPlaceholder')}
                    options={operations.map((o) => ({ value: o.id, label: o.codeName }))}
                    optionRender={(o) => {
                      const op = operationById.get(String(o.value));
                      return op ? `${op.codeName} · ${t(`pages.compose.enums.operationStatus.${op.status}`)} · ${op.participants.join(', ')}` : o.label;
                    }}
                  />
                </Form.Item>
                {picked && (
                  <Typography.Paragraph type="secondary">
                    {t('pages.compose.distribution.operationSeenBy', {
                      status: t(`pages.compose.enums.operationStatus.${picked.status}`),
                      lead: picked.leadAgency,
                      participants: picked.participants.join(', '),
                    })}
                  </Typography.Paragraph>
                )}
              </>
            );
          }}
        </Form.Item>
        {distributionActions}
      </Card>

      {actions}
    </Space>
  );
}
