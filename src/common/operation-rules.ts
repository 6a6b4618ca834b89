/*
 * Which joint operations take new alerts. No imports: the hub's checks (linkAlertToOperation in
 * src/operations/operation.service.ts, and a distribution of scope OPERATION in
 * src/alerts/alert.service.ts) and the web console's compose form (src/console/compose/) use
 * this one list. The hub's OperationStatus enum (common/enums.ts) has these values.
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
