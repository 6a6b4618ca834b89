import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OperationStatus, TaskStatus } from '../gql/graphql';

// Solid colours with white text (WCAG AA), as alert-tags.tsx does for alerts.
const OPERATION_COLOURS: Record<OperationStatus, string | undefined> = { PLANNED: '#614700', ACTIVE: '#237804', CONCLUDED: '#0958d9', CANCELLED: undefined };
const TASK_COLOURS: Record<TaskStatus, string | undefined> = { OPEN: undefined, IN_PROGRESS: '#614700', DONE: '#237804' };

export function OperationStatusTag({ status }: { status: OperationStatus }) {
  const { t } = useTranslation();
  return <Tag color={OPERATION_COLOURS[status]}>{t(`pages.compose.enums.operationStatus.${status}`)}</Tag>;
}

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { t } = useTranslation();
  return <Tag color={TASK_COLOURS[status]}>{t(`pages.operations.tasks.status.${status}`)}</Tag>;
}
