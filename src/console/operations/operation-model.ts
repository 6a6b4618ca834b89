import type { OperationDetailQuery } from '../gql/graphql';

/** An operation as its page reads it (operation-detail.tsx), with tasks, alerts, results and statistics. */
export type OperationDetail = NonNullable<OperationDetailQuery['jointOperation']>;
export type OperationResultRow = OperationDetail['results'][number];

/** Who is looking: the hub's answer to `viewer`. */
export interface ViewerInfo {
  agency: string;
  roles: string[];
}

/**
 * What the viewer may do with an operation it takes part in, as the hub's rules say (the hub
 * refuses the rest anyway; the page only leaves out what would be refused).
 */
export function abilities(op: { leadAgency: { code: string } }, viewer: ViewerInfo) {
  const coordinator = viewer.roles.includes('COORDINATOR');
  return {
    /** The lead's COORDINATORs: move the operation, assign tasks, move any task. */
    leads: op.leadAgency.code === viewer.agency && coordinator,
    /** COORDINATORs and ANALYSTs: link and unlink their agency's alerts, report and correct its results, move its tasks. */
    works: coordinator || viewer.roles.includes('ANALYST'),
  };
}

/** The results that count: those no later result corrects (the hub's statistics count these). */
export function countedResults<R extends { id: string; correctsResultId?: string | null }>(results: readonly R[]): R[] {
  const corrected = new Set(results.map((r) => r.correctsResultId).filter(Boolean));
  return results.filter((r) => !corrected.has(r.id));
}
