import { LockOutlined } from '@ant-design/icons';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Checkbox, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyText } from '../alerts/alert-tags';
import { DateTime } from '../components/time';
import { graphql } from '../gql';
import type { FieldClass } from '../gql/graphql';

const SharingAgreementsQuery = graphql(`
  query SharingAgreements {
    viewer {
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
    sharingAgreements {
      fromAgency {
        code
      }
      toAgency {
        code
      }
      fieldClasses
      updatedAt
    }
  }
`);

const SetSharingAgreementMutation = graphql(`
  mutation SetSharingAgreement($partner: ID!, $fieldClasses: [FieldClass!]!) {
    setSharingAgreement(partner: $partner, fieldClasses: $fieldClasses) {
      toAgency {
        code
      }
      fieldClasses
      updatedAt
    }
  }
`);

/** The classes an agreement can give, in the contract's order. CORE always flows; SOURCE never does by agreement. */
export const AGREEABLE: FieldClass[] = ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'OPERATIONAL'];
const ORDER: FieldClass[] = ['CORE', 'SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'];

/** What flows to each partner: partner code → classes beyond CORE. */
type Matrix = Record<string, FieldClass[]>;

interface Change {
  partner: string;
  granted: FieldClass[];
  revoked: FieldClass[];
  after: FieldClass[];
}

/** The partners whose classes differ between `saved` and `draft`, with what is added and taken back. */
function changesOf(saved: Matrix, draft: Matrix): Change[] {
  return Object.keys(draft)
    .sort()
    .flatMap((partner) => {
      const before = new Set(saved[partner] ?? []);
      const after = new Set(draft[partner]);
      const granted = AGREEABLE.filter((c) => after.has(c) && !before.has(c));
      const revoked = AGREEABLE.filter((c) => before.has(c) && !after.has(c));
      return granted.length || revoked.length ? [{ partner, granted, revoked, after: AGREEABLE.filter((c) => after.has(c)) }] : [];
    });
}

/**
 * The agency's sharing agreements as a matrix, partner × field class (ADMIN). Ticking and
 * unticking only drafts; what the draft means is said in words, partner by partner, before
 * "Save" sends it (setSharingAgreement, one partner at a time). The hub applies an agreement
 * on every route from the partner's next read. Below, what the partners share with the agency.
 */
export function AgreementMatrix() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useApolloClient();
  const { data, error, loading, refetch } = useQuery(SharingAgreementsQuery, { fetchPolicy: 'network-only' });
  const [draft, setDraft] = useState<Matrix | undefined>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();

  const own = data?.viewer.agency.code ?? '';
  const partners = useMemo(() => (data?.agencies ?? []).filter((a) => a.code !== own), [data, own]);
  const saved: Matrix = useMemo(() => {
    const m: Matrix = Object.fromEntries(partners.map((p) => [p.code, []]));
    for (const a of data?.sharingAgreements ?? []) if (a.fromAgency.code === own) m[a.toAgency.code] = AGREEABLE.filter((c) => a.fieldClasses.includes(c));
    return m;
  }, [data, partners, own]);
  const updated = new Map((data?.sharingAgreements ?? []).filter((a) => a.fromAgency.code === own).map((a) => [a.toAgency.code, a.updatedAt]));
  const received = (data?.sharingAgreements ?? []).filter((a) => a.toAgency.code === own);
  const current = draft ?? saved;
  const changes = changesOf(saved, current);

  if (!data) {
    if (error) return <Alert type="error" showIcon title={t('errors.generic', { message: error.message })} />;
    return loading ? <Card loading /> : null;
  }

  const toggle = (partner: string, cls: FieldClass, on: boolean) => {
    setSaveError(undefined);
    const next = { ...current, [partner]: on ? [...current[partner], cls] : current[partner].filter((c) => c !== cls) };
    setDraft(next);
  };

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    const done: string[] = [];
    try {
      // One partner at a time: a refusal stops there, and says which were saved before it.
      for (const c of changes) {
        await client.mutate({ mutation: SetSharingAgreementMutation, variables: { partner: c.partner, fieldClasses: c.after } });
        done.push(c.partner);
      }
      setDraft(undefined);
      message.success(t('pages.sharing.saved'));
    } catch (e) {
      setSaveError(t('pages.sharing.saveFailed', { message: (e as Error).message, saved: done.join(', ') || '—' }));
    } finally {
      setSaving(false);
      await refetch();
    }
  };

  const classLabel = (c: FieldClass) => t(`pages.alerts.fieldClass.${c}`);
  const sentence = (c: Change) => [
    ...c.granted.map((cls) => t('pages.sharing.change.grant', { partner: c.partner, agency: own, fieldClass: classLabel(cls), what: t(`pages.sharing.classMeaning.${cls}`) })),
    ...c.revoked.map((cls) => t('pages.sharing.change.revoke', { partner: c.partner, agency: own, fieldClass: classLabel(cls) })),
    c.after.length
      ? t('pages.sharing.change.after', { partner: c.partner, classes: ['CORE' as FieldClass, ...c.after].map(classLabel).join(', ') })
      : t('pages.sharing.change.coreOnly', { partner: c.partner }),
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.sharing.givenTitle', { agency: own })}</h2>}>
        <Typography.Paragraph type="secondary">{t('pages.sharing.givenIntro', { agency: own })}</Typography.Paragraph>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={partners}
          aria-label={t('pages.sharing.matrix')}
          columns={[
            {
              key: 'partner',
              title: t('pages.sharing.partner'),
              render: (_, p) => (
                <Space size={4} wrap>
                  <strong>{p.code}</strong>
                  <span>{p.name}</span>
                  {p.leftAt && <Tag>{t('pages.sharing.left')}</Tag>}
                  {changes.some((c) => c.partner === p.code) && <Tag color="#614700">{t('pages.sharing.unsaved')}</Tag>}
                </Space>
              ),
            },
            ...ORDER.map((cls) => ({
              key: cls,
              title: classLabel(cls),
              align: 'center' as const,
              render: (_: unknown, p: (typeof partners)[number]) => {
                const name = t('pages.sharing.cell', { fieldClass: classLabel(cls), partner: p.code });
                if (cls === 'CORE') return <Checkbox checked disabled aria-label={`${name}: ${t('pages.sharing.always')}`} />;
                if (cls === 'SOURCE')
                  return (
                    <Tag icon={<LockOutlined />} aria-label={`${name}: ${t('pages.sharing.never')}`}>
                      {t('pages.sharing.never')}
                    </Tag>
                  );
                const on = current[p.code]?.includes(cls) ?? false;
                // A partner that has left the hub can be given nothing more; taking back stays possible.
                return <Checkbox checked={on} disabled={saving || (!!p.leftAt && !on)} onChange={(e) => toggle(p.code, cls, e.target.checked)} aria-label={name} />;
              },
            })),
            { key: 'updated', title: t('pages.sharing.updatedAt'), render: (_, p) => (updated.get(p.code) ? <DateTime value={updated.get(p.code)!} /> : '—') },
          ]}
          locale={{ emptyText: <EmptyText>{t('pages.sharing.noPartners')}</EmptyText> }}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('pages.sharing.sourceNote')}
        </Typography.Paragraph>
      </Card>

      {changes.length > 0 && (
        <section aria-labelledby="sharing-changes">
          <Card title={<h2 id="sharing-changes" style={{ margin: 0, fontSize: 16 }}>{t('pages.sharing.changesTitle')}</h2>}>
            {changes.map((c) => (
              <div key={c.partner} style={{ marginBottom: 12 }}>
                <Typography.Text strong>{c.partner}</Typography.Text>
                <ul style={{ marginTop: 4 }}>
                  {sentence(c).map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ul>
              </div>
            ))}
            <Typography.Paragraph type="secondary">{t('pages.sharing.grantsUntouched')}</Typography.Paragraph>
            {saveError && <Alert type="error" showIcon title={saveError} style={{ marginBottom: 12 }} />}
            <Space>
              <Button type="primary" loading={saving} onClick={() => void save()}>
                {t('pages.sharing.save')}
              </Button>
              <Button disabled={saving} onClick={() => (setDraft(undefined), setSaveError(undefined))}>
                {t('pages.sharing.discard')}
              </Button>
            </Space>
          </Card>
        </section>
      )}

      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('pages.sharing.receivedTitle', { agency: own })}</h2>}>
        <Table
          rowKey={(a) => a.fromAgency.code}
          size="small"
          pagination={false}
          dataSource={received}
          columns={[
            { key: 'from', title: t('pages.sharing.partner'), render: (_, a) => a.fromAgency.code },
            { key: 'classes', title: t('pages.sharing.classesReceived'), render: (_, a) => ['CORE' as FieldClass, ...a.fieldClasses].map(classLabel).join(', ') },
            { key: 'updated', title: t('pages.sharing.updatedAt'), render: (_, a) => <DateTime value={a.updatedAt} /> },
          ]}
          locale={{ emptyText: <EmptyText>{t('pages.sharing.noneReceived', { agency: own })}</EmptyText> }}
        />
      </Card>
    </Space>
  );
}
