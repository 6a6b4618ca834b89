import { Alert, Button, Space, Table, Typography } from 'antd';
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
  const fields = [...new Set<ComparedField>([...differingFields(conflict.mine, conflict.newer), ...differingFields(conflict.base, conflict.newer)])];
  const mineChanged = new Set(differingFields(conflict.base, conflict.mine));
  const theirsChanged = new Set(differingFields(conflict.base, conflict.newer));
  const rows = fields.map((f) => ({
    key: f,
    field: t(`pages.compose.fields.${f}`),
    base: describeField(conflict.base, f),
    mine: describeField(conflict.mine, f),
    newer: describeField(conflict.newer, f),
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
              <Table
                size="small"
                pagination={false}
                dataSource={rows}
                aria-label={t('pages.compose.conflict.table')}
                columns={[
                  { title: t('pages.compose.conflict.field'), dataIndex: 'field', key: 'field', width: 160 },
                  { title: t('pages.compose.conflict.base', { version: conflict.baseVersion }), dataIndex: 'base', key: 'base' },
                  { title: t('pages.compose.conflict.mine'), dataIndex: 'mine', key: 'mine' },
                  { title: t('pages.compose.conflict.newer', { version: conflict.newerVersion }), dataIndex: 'newer', key: 'newer' },
                  { title: t('pages.compose.conflict.changedBy'), dataIndex: 'who', key: 'who', width: 140 },
                ]}
              />
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
