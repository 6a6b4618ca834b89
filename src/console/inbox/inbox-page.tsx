import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { useViewer } from '../app/viewer';
import { DisclosureStatusTag, EmptyText, PageLink } from '../alerts/alert-tags';
import { DecideDisclosureDialog, type Deciding } from '../alerts/decide-disclosure';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { DisclosureStatus, InboxReceivedQuery, InboxSentQuery } from '../gql/graphql';
import { DisclosureCountsQuery } from './inbox-count';

/** The newest this many of each side are shown (the hub's largest page). */
const SHOWN = 100;

const InboxReceivedQueryDocument = graphql(`
  query InboxReceived($status: [DisclosureStatus!]) {
    disclosureRequests(direction: RECEIVED, status: $status, first: 100) {
      id
      alert {
        id
        reference
        title
      }
      requestingAgency {
        code
        name
      }
      requestedBy
      fieldClasses
      justification
      status
      createdAt
      decidedAt
      decidedBy
      decisionNote
      expiresAt
      viaHandle
      matchedKind
    }
  }
`);

/**
 * What the viewer's agency asked for. Requests made on alerts come with the alert as the
 * viewer may see it (CORE); those made through hit handles name the holder, the kind and class
 * of the hit and nothing of the alert until the holder approves (handleDisclosureRequests gives
 * the alert only then, and only while the grant lasts).
 */
const InboxSentQueryDocument = graphql(`
  query InboxSent($status: [DisclosureStatus!]) {
    disclosureRequests(direction: SENT, status: $status, first: 100) {
      id
      viaHandle
      alert {
        id
        reference
        title
        originAgency {
          code
        }
      }
      requestedBy
      fieldClasses
      justification
      status
      createdAt
      decidedAt
      decisionNote
      expiresAt
    }
    handleDisclosureRequests(status: $status, first: 100) {
      id
      holderAgency {
        code
      }
      kind
      fieldClass
      alert {
        id
        reference
        title
      }
      requestedBy
      fieldClasses
      justification
      status
      createdAt
      decidedAt
      decisionNote
      expiresAt
    }
  }
`);

type Received = InboxReceivedQuery['disclosureRequests'][number];
type Handle = InboxSentQuery['handleDisclosureRequests'][number];

/** A request the agency sent, on an alert or through a hit handle, as one row. */
interface SentRow {
  id: string;
  holder: string;
  alert: { id: string; reference: string; title: string } | null;
  /** Through a hit handle: the kind and class of the hit (the alert stays hidden until approved). */
  hit: Pick<Handle, 'kind' | 'fieldClass'> | null;
  requestedBy: string;
  fieldClasses: Received['fieldClasses'];
  justification: string;
  status: DisclosureStatus;
  createdAt: string;
  decidedAt?: string | null;
  decisionNote?: string | null;
  expiresAt?: string | null;
}

/** The state filter: one state, or all of them. */
type StateChoice = DisclosureStatus | 'ALL';
const STATES: StateChoice[] = ['PENDING', 'APPROVED', 'DENIED', 'EXPIRED', 'ALL'];

function StateFilter({ value, onChange }: { value: StateChoice; onChange: (v: StateChoice) => void }) {
  const { t } = useTranslation();
  return (
    <div role="group" aria-label={t('pages.inbox.stateFilter')} style={{ marginBottom: 12 }}>
      <Segmented<StateChoice>
        value={value}
        onChange={onChange}
        options={STATES.map((s) => ({ value: s, label: s === 'ALL' ? t('pages.inbox.allStates') : t(`pages.alerts.disclosure.status.${s}`) }))}
      />
    </div>
  );
}

const statusVariable = (s: StateChoice): DisclosureStatus[] | null => (s === 'ALL' ? null : [s]);

/** The decision's date, who took it, the grant's expiry and the note to the requester. */
function Decision({ r }: { r: { decidedAt?: string | null; decidedBy?: string | null; expiresAt?: string | null; decisionNote?: string | null } }) {
  const { t } = useTranslation();
  if (!r.decidedAt) return <>—</>;
  return (
    <>
      <DateTime value={r.decidedAt} /> {r.decidedBy && `· ${r.decidedBy}`}
      {r.expiresAt && (
        <div>
          {t('pages.alerts.disclosure.until')} <DateTime value={r.expiresAt} />
        </div>
      )}
      {r.decisionNote && <div>{r.decisionNote}</div>}
    </>
  );
}

/** Partners' requests on the agency's alerts; its ANALYSTs approve (until an expiry) or deny (with a reason). */
function ReceivedTab({ canDecide }: { canDecide: boolean }) {
  const { t } = useTranslation();
  const [state, setState] = useState<StateChoice>('PENDING');
  const { data, error, loading, refetch } = useQuery(InboxReceivedQueryDocument, { variables: { status: statusVariable(state) }, fetchPolicy: 'network-only', notifyOnNetworkStatusChange: false });
  const [deciding, setDeciding] = useState<Deciding | undefined>();
  const rows = data?.disclosureRequests ?? [];

  const columns = [
    { key: 'createdAt', title: t('pages.alerts.disclosure.requestedAt'), render: (_: unknown, r: Received) => <DateTime value={r.createdAt} /> },
    {
      key: 'alert',
      title: t('pages.inbox.alert'),
      render: (_: unknown, r: Received) => (
        <>
          <PageLink to={`/alerts/${r.alert.id}`}>{r.alert.reference}</PageLink>
          <div>{r.alert.title}</div>
        </>
      ),
    },
    { key: 'by', title: t('pages.alerts.disclosure.requestedBy'), render: (_: unknown, r: Received) => `${r.requestingAgency.code} · ${r.requestedBy}` },
    { key: 'classes', title: t('pages.alerts.disclosure.classes'), render: (_: unknown, r: Received) => r.fieldClasses.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ') },
    {
      key: 'justification',
      title: t('pages.alerts.disclosure.justification'),
      render: (_: unknown, r: Received) => (
        <>
          {r.justification}
          {r.viaHandle && r.matchedKind && (
            <div>
              <Tag>{t('pages.inbox.viaProbe', { kind: t(`pages.alerts.identifierKind.${r.matchedKind}`) })}</Tag>
            </div>
          )}
        </>
      ),
    },
    { key: 'status', title: t('pages.alerts.disclosure.state'), render: (_: unknown, r: Received) => <DisclosureStatusTag status={r.status} /> },
    { key: 'decision', title: t('pages.alerts.disclosure.decision'), render: (_: unknown, r: Received) => <Decision r={r} /> },
  ];
  const actions = {
    key: 'actions',
    title: t('pages.alerts.disclosure.actions'),
    render: (_: unknown, r: Received) =>
      r.status === 'PENDING' ? (
        <Space>
          <Button size="small" type="primary" onClick={() => setDeciding({ request: r, approve: true })} aria-label={t('pages.inbox.approveOn', { agency: r.requestingAgency.code, reference: r.alert.reference })}>
            {t('pages.alerts.disclosure.approve')}
          </Button>
          <Button size="small" onClick={() => setDeciding({ request: r, approve: false })} aria-label={t('pages.inbox.denyOn', { agency: r.requestingAgency.code, reference: r.alert.reference })}>
            {t('pages.alerts.disclosure.deny')}
          </Button>
        </Space>
      ) : null,
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t(canDecide ? 'pages.inbox.receivedIntro' : 'pages.inbox.receivedIntroReadOnly', { shown: SHOWN })}</Typography.Paragraph>
      <StateFilter value={state} onChange={setState} />
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} style={{ marginBottom: 12 }} />}
      <Table<Received>
        rowKey="id"
        size="small"
        pagination={false}
        loading={loading && !data}
        dataSource={rows}
        columns={canDecide ? [...columns, actions] : columns}
        aria-label={t('pages.inbox.received')}
        locale={{ emptyText: <EmptyText>{t('pages.inbox.noneReceived')}</EmptyText> }}
      />
      {canDecide && <DecideDisclosureDialog deciding={deciding} onClose={() => setDeciding(undefined)} onDecided={() => refetch()} />}
    </>
  );
}

/** What the agency asked partners for: on alerts, and through hit handles (the alert hidden until approved). */
function SentTab() {
  const { t } = useTranslation();
  const [state, setState] = useState<StateChoice>('PENDING');
  const { data, error, loading } = useQuery(InboxSentQueryDocument, { variables: { status: statusVariable(state) }, fetchPolicy: 'network-only' });
  // A request through a handle is in handleDisclosureRequests; once approved it is in
  // disclosureRequests too (its alert then visible): it is shown once, from the former.
  const rows: SentRow[] = [
    ...(data?.disclosureRequests ?? [])
      .filter((r) => !r.viaHandle)
      .map((r) => ({ ...r, holder: r.alert.originAgency.code, alert: r.alert, hit: null })),
    ...(data?.handleDisclosureRequests ?? []).map((r) => ({ ...r, holder: r.holderAgency.code, alert: r.alert ?? null, hit: { kind: r.kind, fieldClass: r.fieldClass } })),
  ].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

  return (
    <>
      <Typography.Paragraph type="secondary">{t('pages.inbox.sentIntro', { shown: SHOWN })}</Typography.Paragraph>
      <StateFilter value={state} onChange={setState} />
      {error && <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} style={{ marginBottom: 12 }} />}
      <Table<SentRow>
        rowKey="id"
        size="small"
        pagination={false}
        loading={loading && !data}
        dataSource={rows}
        aria-label={t('pages.inbox.sent')}
        columns={[
          { key: 'createdAt', title: t('pages.alerts.disclosure.requestedAt'), render: (_, r) => <DateTime value={r.createdAt} /> },
          { key: 'holder', title: t('pages.inbox.holder'), render: (_, r) => r.holder },
          {
            key: 'alert',
            title: t('pages.inbox.alert'),
            render: (_, r) =>
              r.alert ? (
                <>
                  <PageLink to={`/alerts/${r.alert.id}`}>{r.alert.reference}</PageLink>
                  <div>{r.alert.title}</div>
                </>
              ) : (
                <Typography.Text type="secondary">
                  {t('pages.inbox.hiddenUntilApproved', { agency: r.holder, kind: r.hit ? t(`pages.alerts.identifierKind.${r.hit.kind}`) : '' })}
                </Typography.Text>
              ),
          },
          { key: 'by', title: t('pages.alerts.disclosure.requestedBy'), render: (_, r) => r.requestedBy },
          { key: 'classes', title: t('pages.alerts.disclosure.classes'), render: (_, r) => r.fieldClasses.map((c) => t(`pages.alerts.fieldClass.${c}`)).join(', ') },
          { key: 'justification', title: t('pages.alerts.disclosure.justification'), render: (_, r) => r.justification },
          { key: 'status', title: t('pages.alerts.disclosure.state'), render: (_, r) => <DisclosureStatusTag status={r.status} /> },
          { key: 'decision', title: t('pages.alerts.disclosure.decision'), render: (_, r) => <Decision r={r} /> },
        ]}
        locale={{ emptyText: <EmptyText>{t('pages.inbox.noneSent')}</EmptyText> }}
      />
    </>
  );
}

/**
 * The disclosure inbox at /inbox (received) and /inbox/sent: partners' requests on the agency's
 * alerts, decided here by its ANALYSTs, and the agency's own requests with their state and
 * expiry. The tabs carry the pending counts (disclosureCounts), as the menu does.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const { roles } = useViewer();
  const navigate = useNavigate();
  const location = useLocation();
  const counts = useQuery(DisclosureCountsQuery, { fetchPolicy: 'cache-and-network' });
  const received = counts.data?.disclosureCounts.receivedPending ?? 0;
  const sent = counts.data?.disclosureCounts.sentPending ?? 0;
  const active = location.pathname.replace(/\/+$/, '').endsWith('/sent') ? 'sent' : 'received';
  const label = (text: string, n: number, hint: string) => (
    <Space size={6}>
      {text}
      <Badge count={n} showZero color={n ? '#0958d9' : '#595959'} title={hint} />
    </Space>
  );
  return (
    <>
      <Typography.Title level={1}>{t('pages.inbox.title')}</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(k === 'sent' ? '/inbox/sent' : '/inbox')}
        items={[
          { key: 'received', label: label(t('pages.inbox.received'), received, t('pages.inbox.toDecide', { count: received })) },
          { key: 'sent', label: label(t('pages.inbox.sent'), sent, t('pages.inbox.awaiting', { count: sent })) },
        ]}
      />
      <Routes>
        <Route index element={<ReceivedTab canDecide={roles.includes('ANALYST')} />} />
        <Route path="sent" element={<SentTab />} />
      </Routes>
    </>
  );
}
