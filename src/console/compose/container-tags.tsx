import { CloseOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Tag, Typography } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { containerRule } from './compose-rules';

/**
 * Container numbers as tags: a number is checked while it is typed (ISO 6346 shape and check
 * digit, the hub's own rule) and becomes a tag on Enter, a comma or leaving the field. A wrong
 * number still becomes a tag, shown in red with its reason, so the form's rule refuses the
 * submit and the person sees which one is wrong.
 */
export function ContainerTags({ id, value, onChange, disabled }: { id?: string; value?: string[]; onChange?: (v: string[]) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const list = value ?? [];
  const draftProblem = draft.trim() ? containerRule(draft) : null;

  const commit = () => {
    const parts = draft
      .split(/[,;]/)
      .map((p) => p.trim().toUpperCase())
      .filter(Boolean);
    setDraft('');
    const added = parts.filter((p) => !list.includes(p));
    if (added.length) onChange?.([...list, ...added]);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      // Enter adds the number; it never submits the form.
      e.preventDefault();
      commit();
    } else if (e.key === 'Backspace' && draft === '' && list.length) {
      onChange?.(list.slice(0, -1));
    }
  };

  return (
    <Flex vertical gap={4}>
      {list.length > 0 && (
        <Flex wrap gap={4} role="list" aria-label={t('pages.compose.containers.list')}>
          {list.map((c) => {
            const problem = containerRule(c);
            return (
              <span role="listitem" key={c}>
                <Tag color={problem ? 'error' : undefined} title={problem ? t(problem.key, problem.params) : undefined}>
                  {c}
                  {!disabled && (
                    <Button
                      type="text"
                      size="small"
                      icon={<CloseOutlined />}
                      aria-label={t('pages.compose.containers.remove', { number: c })}
                      onClick={() => onChange?.(list.filter((x) => x !== c))}
                      style={{ marginInlineStart: 4, height: 18, width: 18, minWidth: 18 }}
                    />
                  )}
                </Tag>
              </span>
            );
          })}
        </Flex>
      )}
      {!disabled && (
        <Input
          id={id}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={commit}
          placeholder={t('pages.compose.containers.placeholder')}
          status={draftProblem ? 'error' : undefined}
          aria-describedby={id ? `${id}-draft` : undefined}
          autoComplete="off"
        />
      )}
      <Typography.Text id={id ? `${id}-draft` : undefined} type={draftProblem ? 'danger' : 'secondary'} role="status" aria-live="polite">
        {draftProblem ? t(draftProblem.key, draftProblem.params) : draft.trim() ? t('pages.compose.containers.valid') : t('pages.compose.containers.help')}
      </Typography.Text>
    </Flex>
  );
}
