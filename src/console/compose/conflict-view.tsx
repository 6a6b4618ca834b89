import { Alert, Button, Space, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../components/time';
import { describeField, differingFields, type ComparedField, type ComposeValues } from './compose-rules';

export interface ConflictState {
  /** The form's values when the hub answered CONFLICT. */
  mine: ComposeValues;
  /** The version the edits started from. */
  base: ComposeValues;
  baseVersion: number;
  /** The newer version, read again from the hub. */
  newer: ComposeValues;
  newerVersion: number;
  newerStatus: string;
  newerUpdatedAt: string;
}

/**
 * "Changed by someone else": the hub refused a change made on an older version. Nothing was
 * saved. The fields that differ are listed side by side (the version the edits started from,
 * the person's edits, the newer version); the person reapplies the edits on the newer version
 * (then saves again, explicitly) or discards them. Nothing is resubmitted by itself.
 */
export function ConflictView({ conflict, onReapply, onDiscard }: { conflict: ConflictState; onReapply: () => void; onDiscard: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const cell = { border: `1px solid ${token.colorBorderSecondary}`, padding: '4px 8px', textAlign: 'start' as const, verticalAlign: 'top' as const, overflowWrap: 'anywhere' as const };
  const fields = [...new Set<ComparedField>([...differingFields(conflict.mine, conflict.newer), ...differingFields(conflict.base, conflict.newer)])];
  const mineChanged = new Set(differingFields(conflict.base, conflict.mine));
  const theirsChanged = new Set(differingFields(conflict.base, conflict.newer));
  // The expected arrival in UTC+8, as everywhere else; the rest as describeField gives it.
  const shown = (v: ComposeValues, f: ComparedField): ReactNode => (f === 'expectedArrival' && v.expectedArrival ? <DateTime value={v.expectedArrival} /> : describeField(v, f));
  const rows = fields.map((f) => ({
    key: f,
    field: t(`pages.compose.fields.${f}`),
    base: shown(conflict.base, f),
    mine: shown(conflict.mine, f),
    newer: shown(conflict.newer, f),
    mineChanged: mineChanged.has(f),
    theirsChanged: theirsChanged.has(f),
    who: mineChanged.has(f) && theirsChanged.has(f) ? t('pages.compose.conflict.both') : mineChanged.has(f) ? t('pages.compose.conflict.you') : t('pages.compose.conflict.them'),
  }));
  return (
    <section aria-labelledby="compose-conflict-title">
      <Alert
        type="warning"
        showIcon
        role="alert"
        title={<span id="compose-conflict-title">{t('pages.compose.conflict.title')}</span>}
        description={
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph style={{ margin: 0 }}>
              {t('pages.compose.conflict.explain', { version: conflict.newerVersion, status: t(`pages.compose.enums.status.${conflict.newerStatus}`) })}{' '}
              <DateTime value={conflict.newerUpdatedAt} />
            </Typography.Paragraph>
            {rows.length === 0 ? (
              <Typography.Paragraph style={{ margin: 0 }}>{t('pages.compose.conflict.noDifferences')}</Typography.Paragraph>
            ) : (
              // A plain table: antd's Table measures the scrollbar with a <style> element that carries no CSP nonce.
              <table aria-label={t('pages.compose.conflict.table')} style={{ width: '100%', borderCollapse: 'collapse', background: token.colorBgContainer }}>
                <thead>
                  <tr>
                    {[t('pages.compose.conflict.field'), t('pages.compose.conflict.base', { version: conflict.baseVersion }), t('pages.compose.conflict.mine'), t('pages.compose.conflict.newer', { version: conflict.newerVersion }), t('pages.compose.conflict.changedBy')].map((h) => (
                      <th key={h} scope="col" style={{ ...cell, background: token.colorFillAlter, fontWeight: 600 }}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row" style={{ ...cell, fontWeight: 600, whiteSpace: 'nowrap' }}>
                        {r.field}
                      </th>
                      <td style={cell}>{r.base}</td>
                      <td style={{ ...cell, background: r.mineChanged ? token.colorWarningBg : undefined }}>{r.mine}</td>
                      <td style={{ ...cell, background: r.theirsChanged ? token.colorInfoBg : undefined }}>{r.newer}</td>
                      <td style={cell}>{r.who}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('pages.compose.conflict.choose')}
            </Typography.Paragraph>
            <Space wrap>
              <Button type="primary" onClick={onReapply}>
                {t('pages.compose.conflict.reapply')}
              </Button>
              <Button onClick={onDiscard}>{t('pages.compose.conflict.discard')}</Button>
            </Space>
          </Space>
        }
      />
    </section>
  );
}
