import { useMutation } from '@apollo/client/react';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OPERATION_LIMITS, TASK_MOVES, isClosed, type TaskState } from '../../common/operation-rules';
import { HubDateTimePicker } from '../components/hub-date-time-picker';
import { DateTime } from '../components/time';
import { textRule } from '../compose/compose-rules';
import { graphql } from '../gql';
import type { TaskStatus } from '../gql/graphql';
import { hubError } from './hub-error';
import { abilities, type OperationDetail, type ViewerInfo } from './operation-model';
import { TaskStatusTag } from './operation-tags';
import './operations.css';

const AddTaskDocument = graphql(`
  mutation AddOperationTask($operationId: ID!, $input: OperationTaskInput!) {
    addOperationTask(operationId: $operationId, input: $input) {
      id
      status
    }
  }
`);

const SetTaskStatusDocument = graphql(`
  mutation SetTaskStatus($taskId: ID!, $status: TaskStatus!) {
    setTaskStatus(taskId: $taskId, status: $status) {
      id
      status
    }
  }
`);

const COLUMNS: TaskStatus[] = ['OPEN', 'IN_PROGRESS', 'DONE'];
type Task = OperationDetail['tasks'][number];

interface TaskValues {
  assignedAgency: string;
  title: string;
  description?: string;
  dueAt?: string | null;
}

/** The lead's COORDINATORs assign a task to a participant. */
function AddTask({ op, onChanged }: { op: OperationDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TaskValues>();
  const [add, adding] = useMutation(AddTaskDocument);
  const [refused, setRefused] = useState<string | undefined>();
  const submit = async (v: TaskValues) => {
    setRefused(undefined);
    try {
      await add({ variables: { operationId: op.id, input: { assignedAgency: v.assignedAgency, title: v.title.trim(), description: v.description?.trim() || null, dueAt: v.dueAt ?? null } } });
      form.resetFields();
      onChanged();
    } catch (e) {
      setRefused(hubError(e).message);
    }
  };
  const required = (max: number) => ({ validator: (_: unknown, v: string) => (textRule(v, max, true) ? Promise.reject(new Error(t(textRule(v, max, true)!.key, textRule(v, max, true)!.params))) : Promise.resolve()) });
  return (
    <Card size="small" title={<h3 className="hub-card-title">{t('pages.operations.tasks.add')}</h3>}>
      <Form<TaskValues> form={form} layout="inline" onFinish={submit} style={{ rowGap: 8 }}>
        <Form.Item name="assignedAgency" label={t('pages.operations.tasks.agency')} rules={[{ required: true, message: t('pages.compose.rules.required') }]}>
          <Select style={{ width: 120 }} options={op.participants.map((p) => ({ value: p.code, label: p.code }))} />
        </Form.Item>
        <Form.Item name="title" label={t('pages.operations.tasks.taskTitle')} rules={[required(OPERATION_LIMITS.title)]}>
          <Input style={{ width: 280 }} maxLength={OPERATION_LIMITS.title} />
        </Form.Item>
        <Form.Item name="description" label={t('pages.operations.tasks.description')}>
          <Input style={{ width: 280 }} maxLength={OPERATION_LIMITS.description} />
        </Form.Item>
        <Form.Item name="dueAt" label={t('pages.operations.tasks.due')}>
          <HubDateTimePicker />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={adding.loading}>
            {t('pages.operations.tasks.addButton')}
          </Button>
        </Form.Item>
      </Form>
      {refused && <Alert style={{ marginTop: 8 }} type="error" showIcon title={t('pages.operations.refused', { message: refused })} />}
    </Card>
  );
}

/** One task on the board, with the move the viewer may make. */
function TaskCard({ task, canMove, onMoved }: { task: Task; canMove: boolean; onMoved: (message?: string) => void }) {
  const { t } = useTranslation();
  const [move, moving] = useMutation(SetTaskStatusDocument);
  const next = TASK_MOVES[task.status as TaskState][0] as TaskStatus | undefined;
  return (
    <article className="hub-task" aria-label={`${task.title} — ${t(`pages.operations.tasks.status.${task.status}`)}`}>
      <Typography.Text strong>{task.title}</Typography.Text>
      {task.description && <Typography.Paragraph style={{ margin: '4px 0' }}>{task.description}</Typography.Paragraph>}
      {task.dueAt && (
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {t('pages.operations.tasks.dueOn')} <DateTime value={task.dueAt} />
        </Typography.Text>
      )}
      <Space style={{ marginTop: 6 }}>
        <TaskStatusTag status={task.status} />
        {canMove && next && (
          <Button
            size="small"
            loading={moving.loading}
            onClick={async () => {
              try {
                await move({ variables: { taskId: task.id, status: next } });
                onMoved();
              } catch (e) {
                onMoved(hubError(e).message);
              }
            }}
          >
            {t(`pages.operations.tasks.move.${next}`)}
          </Button>
        )}
      </Space>
    </article>
  );
}

/**
 * The operation's tasks as a board: one row per participating agency, one column per status.
 * A task moves forward only (OPEN → IN_PROGRESS → DONE), by the assigned agency's COORDINATORs
 * and ANALYSTs or the lead's COORDINATORs; the lead's COORDINATORs add tasks.
 */
export function TaskBoard({ op, viewer, onChanged }: { op: OperationDetail; viewer: ViewerInfo; onChanged: () => void }) {
  const { t } = useTranslation();
  const [refused, setRefused] = useState<string | undefined>();
  const can = abilities(op, viewer);
  const mayMove = (task: Task) => can.leads || (can.works && task.assignedAgency.code === viewer.agency);
  const agencies = op.participants.map((p) => p.code);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {can.leads && !isClosed(op.status) && <AddTask op={op} onChanged={onChanged} />}
      {refused && <Alert type="error" showIcon closable={{ onClose: () => setRefused(undefined) }} title={t('pages.operations.refused', { message: refused })} />}
      <div className="hub-board" role="table" aria-label={t('pages.operations.tasks.board')}>
        <div role="rowgroup">
          <div className="hub-board-row hub-board-head" role="row">
            <div role="columnheader">{t('pages.operations.tasks.agency')}</div>
            {COLUMNS.map((c) => (
              <div key={c} role="columnheader">
                {t(`pages.operations.tasks.status.${c}`)}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup">
          {agencies.map((code) => (
            <div key={code} className="hub-board-row" role="row">
              <div role="rowheader" className="hub-board-agency">
                {code}
              </div>
              {COLUMNS.map((c) => {
                const tasks = op.tasks.filter((task) => task.assignedAgency.code === code && task.status === c);
                return (
                  <div key={c} role="cell" className="hub-board-cell">
                    {tasks.map((task) => (
                      <TaskCard
                        key={task.id}
                        task={task}
                        canMove={mayMove(task)}
                        onMoved={(message) => {
                          setRefused(message);
                          onChanged();
                        }}
                      />
                    ))}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {op.tasks.length === 0 && <Typography.Text type="secondary">{t('pages.operations.tasks.none')}</Typography.Text>}
    </Space>
  );
}
