import { useApolloClient, useQuery } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Result, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate, useParams } from 'react-router';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
// The form's enum values come from the schema's enums (compose-form.tsx); the rules module keeps them as strings.
import type { AlertStatus, ComposeAlertFieldsFragment, ComposeOperationFragment, CreateAlertInput, DistributionInput, OperationStatus, UpdateAlertInput } from '../gql/graphql';
import { ComposeFields, type OperationChoice, type PartnerAgency } from './compose-form';
import {
  EMPTY_VALUES,
  LIMITS,
  OPERATION_STATES_TAKING_ALERTS,
  canWithdraw,
  createInputFrom,
  differingFields,
  distributionInput,
  fieldPath,
  rebase,
  statusMoves,
  textRule,
  updateInputFrom,
  valuesFromAlert,
  type ComposeValues,
} from './compose-rules';
import { ConflictView, type ConflictState } from './conflict-view';

const ComposeViewerQuery = graphql(`
  query ComposeViewer($operationStates: [OperationStatus!]) {
    viewer {
      roles
      agency {
        code
      }
    }
    agencies {
      code
      name
      leftAt
    }
    jointOperations(first: 100, status: $operationStates) {
      edges {
        node {
          ...ComposeOperation
        }
      }
    }
  }
`);

export const ComposeOperation = graphql(`
  fragment ComposeOperation on JointOperation {
    id
    codeName
    status
    leadAgency {
      code
    }
    participants {
      code
    }
  }
`);

export const ComposeAlertFields = graphql(`
  fragment ComposeAlertFields on Alert {
    id
    reference
    status
    version
    updatedAt
    originAgency {
      code
    }
    title
    summary
    riskLevel
    channel
    direction
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
    containerNumbers
    billOfLading
    conveyanceReference
    consignor {
      name
      address
      country
      identifier
      phone
      email
    }
    consignee {
      name
      address
      country
      identifier
      phone
      email
    }
    source {
      kind
      reliability
      credibility
      reference
    }
    operationalNotes
    distribution {
      scope
      agencies {
        code
      }
      operation {
        ...ComposeOperation
      }
    }
  }
`);

const ComposeAlertQuery = graphql(`
  query ComposeAlert($id: ID!) {
    alert(id: $id) {
      ...ComposeAlertFields
    }
  }
`);

const ComposeCreateMutation = graphql(`
  mutation ComposeCreateAlert($input: CreateAlertInput!) {
    createAlert(input: $input) {
      ...ComposeAlertFields
    }
  }
`);

const ComposeUpdateMutation = graphql(`
  mutation ComposeUpdateAlert($id: ID!, $version: Int!, $input: UpdateAlertInput!) {
    updateAlert(id: $id, version: $version, input: $input) {
      ...ComposeAlertFields
    }
  }
`);

const ComposePublishMutation = graphql(`
  mutation ComposePublishAlert($id: ID!, $version: Int!) {
    publishAlert(id: $id, version: $version) {
      ...ComposeAlertFields
    }
  }
`);

const ComposeShareMutation = graphql(`
  mutation ComposeShareAlert($id: ID!, $version: Int!, $distribution: DistributionInput!) {
    shareAlert(id: $id, version: $version, distribution: $distribution) {
      ...ComposeAlertFields
    }
  }
`);

const ComposeSetStatusMutation = graphql(`
  mutation ComposeSetAlertStatus($id: ID!, $version: Int!, $status: AlertStatus!, $note: String) {
    setAlertStatus(id: $id, version: $version, status: $status, note: $note) {
      ...ComposeAlertFields
    }
  }
`);

const ComposeWithdrawMutation = graphql(`
  mutation ComposeWithdrawAlert($id: ID!, $version: Int!, $reason: String!) {
    withdrawAlert(id: $id, version: $version, reason: $reason) {
      ...ComposeAlertFields
    }
  }
`);

type StoredAlert = ComposeAlertFieldsFragment;

/** What the hub said no with: its code, message and input path. */
function hubError(e: unknown): { code?: string; message: string; field?: string } {
  if (CombinedGraphQLErrors.is(e)) {
    const first = e.errors[0];
    return { code: first?.extensions?.code as string | undefined, message: first?.message ?? e.message, field: first?.extensions?.field as string | undefined };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

/**
 * Compose (issue 19): an analyst creates an alert of the viewer's agency at /compose, and edits,
 * publishes, shares, moves along its lifecycle or withdraws one of its own at /compose/:id.
 * The menu offers the page to ANALYSTs only; anyone else who opens the URL is told it is not
 * theirs (and the hub would refuse the mutations anyway).
 */
export function ComposePage() {
  return <ComposeRoutes />;
}

/** A joint operation as the form offers it. */
function operationChoice(o: ComposeOperationFragment): OperationChoice {
  return { id: o.id, codeName: o.codeName, status: o.status, leadAgency: o.leadAgency.code, participants: o.participants.map((p) => p.code) };
}

function ComposeRoutes() {
  const { t } = useTranslation();
  // Only the operations whose state takes new alerts (the hub's rule, src/common/operation-rules.ts).
  const { data, loading, error } = useQuery(ComposeViewerQuery, {
    variables: { operationStates: OPERATION_STATES_TAKING_ALERTS as OperationStatus[] },
    fetchPolicy: 'network-only',
  });
  // A refetch (Apollo reports `loading` again when a mutation's answer leaves the cached query
  // incomplete) keeps the editor mounted: unmounting it would close an open dialog mid-action.
  if (!data) {
    if (loading) return <Spin />;
    return <Alert type="error" showIcon title={t('errors.generic', { message: error?.message ?? '' })} />;
  }
  const own = data.viewer.agency.code;
  if (!data.viewer.roles.includes('ANALYST')) {
    return (
      <>
        <Typography.Title level={1}>{t('pages.compose.title')}</Typography.Title>
        <Result status="403" title={t('pages.compose.notAllowed.title')} subTitle={t('pages.compose.notAllowed.roles')} />
      </>
    );
  }
  const partners = data.agencies.filter((a) => a.code !== own && !a.leftAt).map((a) => ({ code: a.code, name: a.name }));
  const operations = data.jointOperations.edges.map((e) => operationChoice(e.node));
  return (
    <Routes>
      <Route index element={<AlertEditor key="new" partners={partners} operations={operations} />} />
      <Route path=":id" element={<EditRoute own={own} partners={partners} operations={operations} />} />
    </Routes>
  );
}

function EditRoute({ own, partners, operations }: { own: string; partners: PartnerAgency[]; operations: OperationChoice[] }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data, loading, error } = useQuery(ComposeAlertQuery, { variables: { id }, fetchPolicy: 'network-only' });
  // As above: only the first load shows the spinner; a refetch keeps the editor and its dialogs.
  if (!data) {
    if (loading) return <Spin />;
    return <Alert type="error" showIcon title={t('errors.generic', { message: error?.message ?? '' })} />;
  }
  const alert = data.alert;
  if (!alert) {
    return (
      <>
        <Typography.Title level={1}>{t('pages.compose.title')}</Typography.Title>
        <Result status="404" title={t('pages.compose.notFound')} />
      </>
    );
  }
  if (alert.originAgency.code !== own) {
    return (
      <>
        <Typography.Title level={1}>{t('pages.compose.title')}</Typography.Title>
        <Result status="403" title={t('pages.compose.notAllowed.title')} subTitle={t('pages.compose.notAllowed.notOwn', { agency: alert.originAgency.code })} />
      </>
    );
  }
  return <AlertEditor key={alert.id} stored={alert} partners={partners} operations={operations} />;
}

type Busy = 'create' | 'save' | 'publish' | 'share' | 'status' | 'withdraw';

/** The form and the actions an alert's state allows; `stored` absent: a new alert. */
function AlertEditor({ stored, partners, operations }: { stored?: StoredAlert; partners: PartnerAgency[]; operations: OperationChoice[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useApolloClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<ComposeValues>();
  /** The version the form's edits start from: replaced only by a mutation's answer, or by the person's choice after a conflict. */
  const [base, setBase] = useState<StoredAlert | undefined>(stored);
  const [conflict, setConflict] = useState<{ view: ConflictState; newer: StoredAlert } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState<Busy | undefined>();
  const [statusOpen, setStatusOpen] = useState(false);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [, setTick] = useState(0);
  const rerender = () => setTick((n) => n + 1);
  // The form's store has its values once <Form> has mounted: read them again then.
  useEffect(rerender, []);

  const creating = !base;
  const status = base?.status ?? 'DRAFT';
  const readOnly = status === 'WITHDRAWN';
  const current = form.getFieldsValue(true) as ComposeValues;
  const baseValues = base ? valuesFromAlert(base) : undefined;
  const changed = baseValues ? differingFields(baseValues, current) : [];
  const contentChanged = changed.some((f) => f !== 'distribution');
  const hasErrors = form.getFieldsError().some((f) => f.errors.length > 0);
  const blocked = !!busy || !!conflict;
  // The operation the alert is shared with stays on offer once closed (the hub keeps it named).
  const sharedOperation = base?.distribution.operation ? operationChoice(base.distribution.operation) : undefined;
  const operationChoices = sharedOperation && !operations.some((o) => o.id === sharedOperation.id) ? [...operations, sharedOperation] : operations;

  const show = (alert: StoredAlert) => {
    setBase(alert);
    form.setFieldsValue(valuesFromAlert(alert));
    rerender();
  };

  /** Runs one mutation with the version read; a CONFLICT shows the newer version, a refused field its message. */
  const run = async (kind: Busy, mutate: () => Promise<StoredAlert | undefined>, done: string) => {
    setBusy(kind);
    setProblem(undefined);
    const mine = form.getFieldsValue(true) as ComposeValues;
    try {
      const alert = await mutate();
      if (!alert) return;
      message.success(t(done, { reference: alert.reference }));
      if (kind === 'create') {
        navigate(`/compose/${alert.id}`);
        return;
      }
      show(alert);
    } catch (e) {
      const err = hubError(e);
      if (err.code === 'CONFLICT' && base) {
        const again = await client.query({ query: ComposeAlertQuery, variables: { id: base.id }, fetchPolicy: 'network-only' }).catch(() => undefined);
        const newer = again?.data?.alert;
        if (newer) {
          setConflict({
            view: {
              mine,
              base: valuesFromAlert(base),
              baseVersion: base.version,
              newer: valuesFromAlert(newer),
              newerVersion: newer.version,
              newerStatus: newer.status,
              newerUpdatedAt: newer.updatedAt,
            },
            newer,
          });
          return;
        }
        setProblem(t('pages.compose.conflict.gone'));
        return;
      }
      const path = err.code === 'BAD_USER_INPUT' ? fieldPath(err.field) : null;
      if (path) {
        form.setFields([{ name: path as never, errors: [err.message] }]);
        form.scrollToField(path as never);
        rerender();
      }
      setProblem(t('pages.compose.hubRefused', { message: err.message }));
    } finally {
      setBusy(undefined);
    }
  };

  const values = () => form.getFieldsValue(true) as ComposeValues;
  const create = () =>
    run('create', async () => (await client.mutate({ mutation: ComposeCreateMutation, variables: { input: createInputFrom(values()) as CreateAlertInput } })).data?.createAlert, 'pages.compose.done.created');
  const save = () =>
    run(
      'save',
      async () => (await client.mutate({ mutation: ComposeUpdateMutation, variables: { id: base!.id, version: base!.version, input: updateInputFrom(values()) as UpdateAlertInput } })).data?.updateAlert,
      'pages.compose.done.saved',
    );
  const publish = () =>
    run('publish', async () => (await client.mutate({ mutation: ComposePublishMutation, variables: { id: base!.id, version: base!.version } })).data?.publishAlert, 'pages.compose.done.published');
  const share = async () => {
    try {
      await form.validateFields([['distribution', 'scope'], ['distribution', 'agencies'], ['distribution', 'operationId']]);
    } catch {
      rerender();
      return;
    }
    await run(
      'share',
      async () => (await client.mutate({ mutation: ComposeShareMutation, variables: { id: base!.id, version: base!.version, distribution: distributionInput(values()) as DistributionInput } })).data?.shareAlert,
      'pages.compose.done.shared',
    );
  };

  const submit = () => (creating ? create() : save());

  const reapply = () => {
    if (!conflict) return;
    const { view, newer } = conflict;
    setBase(newer);
    form.setFieldsValue(rebase(view.base, view.mine, view.newer));
    setConflict(undefined);
    setProblem(undefined);
    void form.validateFields().catch(() => undefined).finally(rerender);
  };
  const discard = () => {
    if (!conflict) return;
    setConflict(undefined);
    setProblem(undefined);
    show(conflict.newer);
  };

  const actions = readOnly ? null : (
    <Space wrap>
      <Button type="primary" htmlType="submit" loading={busy === 'create' || busy === 'save'} disabled={blocked || hasErrors || (!creating && !contentChanged)}>
        {creating ? t('pages.compose.actions.create') : t('pages.compose.actions.save')}
      </Button>
      {!creating && status === 'DRAFT' && (
        <Button onClick={publish} loading={busy === 'publish'} disabled={blocked || contentChanged}>
          {t('pages.compose.actions.publish')}
        </Button>
      )}
      {!creating && statusMoves(status).length > 0 && (
        <Button onClick={() => setStatusOpen(true)} disabled={blocked || contentChanged}>
          {t('pages.compose.actions.setStatus')}
        </Button>
      )}
      {!creating && canWithdraw(status) && (
        <Button danger onClick={() => setWithdrawOpen(true)} disabled={blocked || contentChanged}>
          {t('pages.compose.actions.withdraw')}
        </Button>
      )}
      {!creating && contentChanged && <Typography.Text type="secondary">{t('pages.compose.actions.unsaved')}</Typography.Text>}
    </Space>
  );
  const distributionActions =
    creating || readOnly ? (
      <Typography.Text type="secondary">{creating ? t('pages.compose.distribution.onCreate') : null}</Typography.Text>
    ) : (
      <Button onClick={share} loading={busy === 'share'} disabled={blocked}>
        {t('pages.compose.actions.share')}
      </Button>
    );

  return (
    <>
      <Typography.Title level={1}>{creating ? t('pages.compose.title') : t('pages.compose.editTitle', { reference: base.reference })}</Typography.Title>
      {base && (
        <Descriptions
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            { key: 'status', label: t('pages.compose.state.status'), children: <Tag color={status === 'WITHDRAWN' ? 'red' : status === 'DRAFT' ? 'default' : 'blue'}>{t(`pages.compose.enums.status.${status}`)}</Tag> },
            { key: 'version', label: t('pages.compose.state.version'), children: base.version },
            { key: 'updated', label: t('pages.compose.state.updated'), children: <DateTime value={base.updatedAt} /> },
            {
              key: 'shared',
              label: t('pages.compose.state.shared'),
              children: `${t(`pages.compose.enums.scope.${base.distribution.scope}`)}${
                base.distribution.agencies.length
                  ? `: ${base.distribution.agencies.map((a) => a.code).join(', ')}`
                  : base.distribution.operation
                    ? `: ${base.distribution.operation.codeName} (${base.distribution.operation.participants.map((p) => p.code).join(', ')})`
                    : ''
              }`,
            },
          ]}
        />
      )}
      {readOnly && <Alert type="info" showIcon title={t('pages.compose.withdrawnReadOnly')} style={{ marginBottom: 16 }} />}
      {conflict && (
        <div style={{ marginBottom: 16 }}>
          <ConflictView conflict={conflict.view} onReapply={reapply} onDiscard={discard} />
        </div>
      )}
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 16 }} />}
      <Form<ComposeValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={stored ? valuesFromAlert(stored) : EMPTY_VALUES}
        onValuesChange={rerender}
        onFieldsChange={rerender}
        onFinish={() => (blocked ? undefined : submit())}
        onFinishFailed={rerender}
        aria-label={creating ? t('pages.compose.title') : t('pages.compose.editTitle', { reference: base.reference })}
      >
        <ComposeFields
          form={form}
          creating={creating}
          readOnly={readOnly}
          partners={partners}
          operations={operationChoices}
          sharedOperationId={base?.distribution.operation?.id ?? null}
          actions={actions}
          distributionActions={distributionActions}
        />
      </Form>
      {base && (
        <StatusDialog
          open={statusOpen}
          moves={statusMoves(status)}
          onCancel={() => setStatusOpen(false)}
          onOk={async (to, note) => {
            setStatusOpen(false);
            await run(
              'status',
              async () =>
                (await client.mutate({ mutation: ComposeSetStatusMutation, variables: { id: base.id, version: base.version, status: to as AlertStatus, note: note?.trim() ? note.trim() : null } })).data
                  ?.setAlertStatus,
              'pages.compose.done.statusSet',
            );
          }}
        />
      )}
      {base && (
        <WithdrawDialog
          open={withdrawOpen}
          reference={base.reference}
          onCancel={() => setWithdrawOpen(false)}
          onOk={async (reason) => {
            setWithdrawOpen(false);
            await run(
              'withdraw',
              async () => (await client.mutate({ mutation: ComposeWithdrawMutation, variables: { id: base.id, version: base.version, reason: reason.trim() } })).data?.withdrawAlert,
              'pages.compose.done.withdrawn',
            );
          }}
        />
      )}
    </>
  );
}

/** setAlertStatus: the next state of the lifecycle, and a note for the history. */
function StatusDialog({ open, moves, onCancel, onOk }: { open: boolean; moves: readonly string[]; onCancel: () => void; onOk: (to: string, note?: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ status: string; note?: string }>();
  const noteRule = { validator: (_: unknown, v?: string) => (textRule(v, LIMITS.note, false) ? Promise.reject(new Error(t('pages.compose.rules.tooLong', { max: LIMITS.note }))) : Promise.resolve()) };
  return (
    <Modal
      open={open}
      title={t('pages.compose.statusDialog.title')}
      okText={t('pages.compose.statusDialog.ok')}
      cancelText={t('pages.compose.cancel')}
      onCancel={onCancel}
      destroyOnHidden
      // Rendered in place: a modal on <body> locks scrolling with a <style> element that carries no CSP nonce.
      getContainer={false}
      onOk={() => form.validateFields().then((v) => onOk(v.status, v.note), () => undefined)}
    >
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ status: moves[0] }} preserve={false}>
        <Form.Item name="status" label={t('pages.compose.statusDialog.status')} rules={[{ required: true, message: t('pages.compose.rules.required') }]}>
          <Select options={moves.map((m) => ({ value: m, label: t(`pages.compose.enums.status.${m}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('pages.compose.statusDialog.note')} rules={[noteRule]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** withdrawAlert: a confirmation with the reason the hub requires. */
function WithdrawDialog({ open, reference, onCancel, onOk }: { open: boolean; reference: string; onCancel: () => void; onOk: (reason: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reasonRule = {
    validator: (_: unknown, v?: string) => {
      const p = textRule(v, LIMITS.note, true);
      return p ? Promise.reject(new Error(t(p.key, p.params))) : Promise.resolve();
    },
  };
  return (
    <Modal
      open={open}
      title={t('pages.compose.withdrawDialog.title', { reference })}
      okText={t('pages.compose.withdrawDialog.ok')}
      okButtonProps={{ danger: true }}
      cancelText={t('pages.compose.cancel')}
      onCancel={onCancel}
      destroyOnHidden
      // Rendered in place: a modal on <body> locks scrolling with a <style> element that carries no CSP nonce.
      getContainer={false}
      onOk={() => form.validateFields().then((v) => onOk(v.reason), () => undefined)}
    >
      <Typography.Paragraph>{t('pages.compose.withdrawDialog.explain')}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
        <Form.Item name="reason" label={t('pages.compose.withdrawDialog.reason')} rules={[reasonRule]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
