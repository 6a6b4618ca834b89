import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Result, Select, Space, Spin, Steps, Typography, type FormRule } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { normalizeLocode } from '../../common/codes';
import { OPERATION_LIMITS } from '../../common/operation-rules';
import { HubDateTimePicker } from '../components/hub-date-time-picker';
import { CATEGORIES, CHANNELS } from '../compose/compose-form';
import { dateTimeRule, locodeRule, textRule, type Problem } from '../compose/compose-rules';
import { graphql } from '../gql';
import type { CreateJointOperationInput, GoodsCategory, TransportChannel } from '../gql/graphql';
import { formatDateTime } from '../i18n/datetime';
import { hubError } from './hub-error';

const PlanOperationSetup = graphql(`
  query PlanOperationSetup {
    viewer {
      roles
      agency {
        code
        name
      }
    }
    agencies {
      code
      name
      leftAt
    }
  }
`);

const PlanOperationMutation = graphql(`
  mutation PlanOperation($input: CreateJointOperationInput!) {
    createJointOperation(input: $input) {
      id
      codeName
    }
  }
`);

interface PlanValues {
  codeName: string;
  objective: string;
  participants: string[];
  startsOn: string | null;
  endsOn: string | null;
  targetChannels: TransportChannel[];
  targetCategories: GoodsCategory[];
  targetPorts: string[];
}

/** The form's steps, and the fields each checks before the next. */
const STEPS: { key: string; fields: (keyof PlanValues)[] }[] = [
  { key: 'what', fields: ['codeName', 'objective'] },
  { key: 'who', fields: ['participants', 'startsOn', 'endsOn'] },
  { key: 'targets', fields: ['targetChannels', 'targetCategories', 'targetPorts'] },
  { key: 'review', fields: [] },
];

/** The step holding a field the hub named (`input.targetPorts[1]` → the targets step). */
function stepOf(field: string | undefined): number {
  const name = field?.replace(/^input\./, '').replace(/\[.*$/, '');
  const i = STEPS.findIndex((s) => s.fields.includes(name as keyof PlanValues));
  return i < 0 ? STEPS.length - 1 : i;
}

/**
 * Plan an operation at /operations/plan (COORDINATORs): a guided form in four steps (what and
 * why; who and when; channels, commodities and ports; review), each checked with the hub's own
 * rules before the next; the hub's refusal comes back under the field it names.
 */
export function PlanOperation() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const navigate = useNavigate();
  const [form] = Form.useForm<PlanValues>();
  const [step, setStep] = useState(0);
  const [refused, setRefused] = useState<string | undefined>();
  const { data, loading, error } = useQuery(PlanOperationSetup, { fetchPolicy: 'network-only' });
  const [plan, planning] = useMutation(PlanOperationMutation);
  // Only the current step's fields are on the form (a submit checks those); the others keep their values (preserve).
  const values = Form.useWatch([], { form, preserve: true }) as PlanValues | undefined;

  const rule = (check: (v: never) => Problem | null): FormRule => ({
    validator: (_, v) => {
      const p = check(v as never);
      return p ? Promise.reject(new Error(t(p.key, p.params))) : Promise.resolve();
    },
  });

  if (!data) {
    if (loading) return <Spin />;
    return <Alert type="error" showIcon title={t('errors.generic', { message: error?.message ?? '' })} />;
  }
  const own = data.viewer.agency;
  if (!data.viewer.roles.includes('COORDINATOR')) {
    return (
      <>
        <Typography.Title level={1}>{t('pages.operations.plan.title')}</Typography.Title>
        <Result status="403" title={t('pages.operations.notAllowed')} subTitle={t('pages.operations.plan.coordinatorsOnly')} />
      </>
    );
  }
  const partners = data.agencies.filter((a) => a.code !== own.code && !a.leftAt);

  const next = async () => {
    try {
      await form.validateFields(STEPS[step].fields);
      setStep(step + 1);
    } catch {
      // The fields say what is wrong.
    }
  };

  const submit = async () => {
    setRefused(undefined);
    const v = form.getFieldsValue(true) as PlanValues;
    const input: CreateJointOperationInput = {
      codeName: v.codeName.trim(),
      objective: v.objective.trim(),
      participants: v.participants ?? [],
      startsOn: v.startsOn!,
      endsOn: v.endsOn ?? null,
      targetChannels: v.targetChannels ?? [],
      targetCategories: v.targetCategories ?? [],
      targetPorts: (v.targetPorts ?? []).map((p) => normalizeLocode(p) ?? p),
    };
    try {
      const res = await plan({ variables: { input } });
      navigate(`/operations/${res.data!.createJointOperation.id}`);
    } catch (e) {
      const h = hubError(e);
      setRefused(`${h.code ? `${h.code}: ` : ''}${h.message}`);
      const name = h.field?.replace(/^input\./, '').replace(/\[.*$/, '');
      if (name && STEPS.some((s) => s.fields.includes(name as keyof PlanValues))) {
        form.setFields([{ name: name as keyof PlanValues, errors: [h.message] }]);
        setStep(stepOf(h.field));
      }
    }
  };

  const enumLabel = (kind: 'channel' | 'category', v: string) => t(`pages.compose.enums.${kind}.${v}`);
  const none = t('pages.operations.plan.none');

  return (
    <>
      <Typography.Title level={1}>{t('pages.operations.plan.title')}</Typography.Title>
      <Typography.Paragraph>{t('pages.operations.plan.intro', { agency: own.code })}</Typography.Paragraph>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={STEPS.map((s) => ({ title: t(`pages.operations.plan.steps.${s.key}`) }))}
        aria-label={t('pages.operations.plan.progress')}
      />
      <Card>
        <Form<PlanValues>
          form={form}
          layout="vertical"
          initialValues={{ participants: [], targetChannels: [], targetCategories: [], targetPorts: [], startsOn: null, endsOn: null }}
          onFinish={() => (step === STEPS.length - 1 ? submit() : next())}
          style={{ maxWidth: 720 }}
        >
          {step === 0 && (
          <div>
            <Form.Item name="codeName" label={t('pages.operations.fields.codeName')} rules={[rule((v: string) => textRule(v, OPERATION_LIMITS.codeName, true))]} extra={t('pages.operations.plan.codeNameHelp')}>
              <Input maxLength={OPERATION_LIMITS.codeName} />
            </Form.Item>
            <Form.Item name="objective" label={t('pages.operations.fields.objective')} rules={[rule((v: string) => textRule(v, OPERATION_LIMITS.objective, true))]}>
              <Input.TextArea rows={4} maxLength={OPERATION_LIMITS.objective} />
            </Form.Item>
          </div>
          )}
          {step === 1 && (
          <div>
            <Form.Item name="participants" label={t('pages.operations.plan.partners', { agency: own.code })} extra={t('pages.operations.plan.partnersHelp')}>
              <Checkbox.Group options={partners.map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` }))} style={{ display: 'flex', flexDirection: 'column', gap: 8 }} />
            </Form.Item>
            <Space wrap size="large">
              <Form.Item name="startsOn" label={t('pages.operations.fields.startsOn')} rules={[{ required: true, message: t('pages.compose.rules.required') }, rule((v: string | null) => dateTimeRule(v))]}>
                <HubDateTimePicker />
              </Form.Item>
              <Form.Item
                name="endsOn"
                label={t('pages.operations.fields.endsOn')}
                dependencies={['startsOn']}
                rules={[
                  rule((v: string | null) => dateTimeRule(v)),
                  ({ getFieldValue }) => ({
                    validator: (_, v: string | null) =>
                      v && getFieldValue('startsOn') && Date.parse(v) < Date.parse(getFieldValue('startsOn')) ? Promise.reject(new Error(t('pages.operations.plan.endBeforeStart'))) : Promise.resolve(),
                  }),
                ]}
              >
                <HubDateTimePicker />
              </Form.Item>
            </Space>
          </div>
          )}
          {step === 2 && (
          <div>
            <Form.Item name="targetChannels" label={t('pages.operations.fields.channels')}>
              <Checkbox.Group options={CHANNELS.map((c) => ({ value: c, label: enumLabel('channel', c) }))} />
            </Form.Item>
            <Form.Item name="targetCategories" label={t('pages.operations.fields.categories')} rules={[rule((v: string[] | undefined) => ((v?.length ?? 0) > OPERATION_LIMITS.targets ? { key: 'pages.compose.rules.tooMany', params: { max: OPERATION_LIMITS.targets } } : null))]}>
              <Select mode="multiple" allowClear options={CATEGORIES.map((c) => ({ value: c, label: enumLabel('category', c) }))} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
            <Form.Item
              name="targetPorts"
              label={t('pages.operations.fields.ports')}
              extra={t('pages.operations.plan.portsHelp')}
              rules={[
                rule((v: string[] | undefined): Problem | null => {
                  if ((v?.length ?? 0) > OPERATION_LIMITS.targets) return { key: 'pages.compose.rules.tooMany', params: { max: OPERATION_LIMITS.targets } };
                  const bad = (v ?? []).find((p) => locodeRule(p));
                  return bad ? { key: 'pages.operations.plan.badPort', params: { port: bad } } : null;
                }),
              ]}
            >
              <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />
            </Form.Item>
          </div>
          )}
          {step === 3 && values && (
            <Descriptions
              bordered
              column={1}
              size="small"
              title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.operations.plan.steps.review')}</h2>}
              items={[
                { key: 'codeName', label: t('pages.operations.fields.codeName'), children: form.getFieldValue('codeName') },
                { key: 'objective', label: t('pages.operations.fields.objective'), children: form.getFieldValue('objective') },
                { key: 'lead', label: t('pages.operations.fields.lead'), children: own.code },
                { key: 'participants', label: t('pages.operations.fields.participants'), children: [own.code, ...(form.getFieldValue('participants') ?? [])].join(', ') },
                {
                  key: 'period',
                  label: t('pages.operations.fields.period'),
                  children: `${form.getFieldValue('startsOn') ? formatDateTime(form.getFieldValue('startsOn'), language) : '—'} – ${form.getFieldValue('endsOn') ? formatDateTime(form.getFieldValue('endsOn'), language) : t('pages.operations.fields.openEnded')}`,
                },
                { key: 'channels', label: t('pages.operations.fields.channels'), children: (form.getFieldValue('targetChannels') ?? []).map((c: string) => enumLabel('channel', c)).join(', ') || none },
                { key: 'categories', label: t('pages.operations.fields.categories'), children: (form.getFieldValue('targetCategories') ?? []).map((c: string) => enumLabel('category', c)).join(', ') || none },
                { key: 'ports', label: t('pages.operations.fields.ports'), children: (form.getFieldValue('targetPorts') ?? []).map((p: string) => normalizeLocode(p) ?? p).join(', ') || none },
              ]}
            />
          )}
          {refused && <Alert type="error" showIcon title={t('pages.operations.refused', { message: refused })} style={{ marginTop: 16 }} />}
          <Space style={{ marginTop: 24 }}>
            <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
              {t('pages.operations.plan.back')}
            </Button>
            {step < STEPS.length - 1 ? (
              <Button type="primary" htmlType="submit">
                {t('pages.operations.plan.next')}
              </Button>
            ) : (
              <Button type="primary" htmlType="submit" loading={planning.loading}>
                {t('pages.operations.plan.submit')}
              </Button>
            )}
            <Button onClick={() => navigate('/operations')}>{t('pages.operations.plan.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
