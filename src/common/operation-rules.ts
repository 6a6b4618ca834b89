/*
 * Which joint operations take new alerts, and how operations and their tasks move. No imports:
 * the hub's checks (linkAlertToOperation in src/operations/operation.service.ts, and a
 * distribution of scope OPERATION in
 * src/alerts/alert.service.ts) and the web console's compose form (src/console/compose/) use
 * these lists; the console's operations workspace (src/console/operations/) offers the moves the
 * hub's setOperationStatus and setTaskStatus allow. The hub's OperationStatus and TaskStatus
 * enums (common/enums.ts) have these values.
 */

/** A joint operation's status by name. */
export type OperationState = 'PLANNED' | 'ACTIVE' | 'CONCLUDED' | 'CANCELLED';

/**
 * The states in which an operation takes new alerts, linked to it or shared with its closed
 * group: planned or running. A CONCLUDED or CANCELLED one takes none (its participants still see
 * the alerts it had for the window after it closed).
 */
export const TAKES_ALERTS: readonly OperationState[] = ['PLANNED', 'ACTIVE'];

/** True when an operation in `status` takes new alerts. */
export function takesAlerts(status: string): boolean {
  return (TAKES_ALERTS as readonly string[]).includes(status);
}

/** A task's status by name. */
export type TaskState = 'OPEN' | 'IN_PROGRESS' | 'DONE';

/** Allowed moves of an operation: PLANNED → ACTIVE → CONCLUDED; PLANNED or ACTIVE → CANCELLED. */
export const OPERATION_MOVES: Readonly<Record<OperationState, readonly OperationState[]>> = {
  PLANNED: ['ACTIVE', 'CANCELLED'],
  ACTIVE: ['CONCLUDED', 'CANCELLED'],
  CONCLUDED: [],
  CANCELLED: [],
};

/** Allowed moves of a task: forward only, OPEN → IN_PROGRESS → DONE. */
export const TASK_MOVES: Readonly<Record<TaskState, readonly TaskState[]>> = {
  OPEN: ['IN_PROGRESS'],
  IN_PROGRESS: ['DONE'],
  DONE: [],
};

/** True when a CONCLUDED or CANCELLED operation: its plan, tasks and linked alerts stay as they were. */
export function isClosed(status: string): boolean {
  return status === 'CONCLUDED' || status === 'CANCELLED';
}

/**
 * What the hub takes in a joint operation and its results (characters once trimmed, list
 * lengths, counts). Statistics are GraphQL Ints (at most 2,147,483,647), so reports are bounded:
 * no seizure line above 10 million pieces (the largest reported seizures are below two
 * million); the hub also refuses a report that would carry the hub-wide totals past an Int.
 */
export const OPERATION_LIMITS = {
  codeName: 100,
  objective: 4000,
  participants: 20,
  /** Each of targetChannels, targetCategories and targetPorts. */
  targets: 50,
  title: 200,
  description: 4000,
  seizures: 200,
  notes: 4000,
  place: 100,
  alerts: 200,
  search: 100,
  /** Pieces of one seizure line, from 1. */
  pieces: 10_000_000,
  /** Cases opened in one result, from 0. */
  cases: 1_000_000,
} as const;
