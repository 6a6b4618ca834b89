/*
 * The alert lifecycle of shared/domain.md:
 *   DRAFT → PUBLISHED → UNDER_INSPECTION → SEIZED or CLEARED → CLOSED
 *   WITHDRAWN from any state after publication (with a reason, through withdrawAlert).
 * Statuses by name, no imports: the web console offers the same moves (src/console/compose/).
 * The hub's AlertStatus enum (common/enums.ts) has these values and passes for them.
 */

/** An alert's status by name. */
export type LifecycleStatus = 'DRAFT' | 'PUBLISHED' | 'UNDER_INSPECTION' | 'SEIZED' | 'CLEARED' | 'CLOSED' | 'WITHDRAWN';

const NEXT: Record<LifecycleStatus, readonly LifecycleStatus[]> = {
  DRAFT: ['PUBLISHED'],
  PUBLISHED: ['UNDER_INSPECTION'],
  UNDER_INSPECTION: ['SEIZED', 'CLEARED'],
  SEIZED: ['CLOSED'],
  CLEARED: ['CLOSED'],
  CLOSED: [],
  WITHDRAWN: [],
};

/** States an alert can be withdrawn from: every state once published, but WITHDRAWN itself. */
export const WITHDRAWABLE: readonly LifecycleStatus[] = ['PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED'];

/** True when `setAlertStatus` may move an alert from `from` to `to`. */
export function canMove(from: LifecycleStatus, to: LifecycleStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses reachable from `from` by setAlertStatus, for error messages. */
export function nextStatuses(from: LifecycleStatus): readonly LifecycleStatus[] {
  return NEXT[from];
}
