import { AlertStatus } from '../common/enums';

/*
 * The alert lifecycle of shared/domain.md:
 *   DRAFT → PUBLISHED → UNDER_INSPECTION → SEIZED or CLEARED → CLOSED
 *   WITHDRAWN from any state after publication (with a reason, through withdrawAlert).
 */
const NEXT: Record<AlertStatus, readonly AlertStatus[]> = {
  [AlertStatus.DRAFT]: [AlertStatus.PUBLISHED],
  [AlertStatus.PUBLISHED]: [AlertStatus.UNDER_INSPECTION],
  [AlertStatus.UNDER_INSPECTION]: [AlertStatus.SEIZED, AlertStatus.CLEARED],
  [AlertStatus.SEIZED]: [AlertStatus.CLOSED],
  [AlertStatus.CLEARED]: [AlertStatus.CLOSED],
  [AlertStatus.CLOSED]: [],
  [AlertStatus.WITHDRAWN]: [],
};

/** States an alert can be withdrawn from: every state once published, but WITHDRAWN itself. */
export const WITHDRAWABLE: readonly AlertStatus[] = [
  AlertStatus.PUBLISHED,
  AlertStatus.UNDER_INSPECTION,
  AlertStatus.SEIZED,
  AlertStatus.CLEARED,
  AlertStatus.CLOSED,
];

/** True when `setAlertStatus` may move an alert from `from` to `to`. */
export function canMove(from: AlertStatus, to: AlertStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses reachable from `from` by setAlertStatus, for error messages. */
export function nextStatuses(from: AlertStatus): readonly AlertStatus[] {
  return NEXT[from];
}
