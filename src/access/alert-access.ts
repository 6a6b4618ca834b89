import { AlertStatus, DistributionScope, FieldClass } from '../common/enums';
import type { Viewer } from '../identity/viewer';
import { ALL_FIELD_CLASSES } from './field-class';

/*
 * The one place that decides what an agency may see of an alert. Two questions, asked the
 * same way for every route (queries, nested relations, mutation payloads, and later
 * subscriptions and exports):
 *   1. may this agency see this alert at all?     -> visibleAlertSql (in SQL, so lists,
 *      counts and filters never see the others)
 *   2. which field classes of it?                  -> grantedClasses
 */

/** The facts about an alert that its visibility depends on. */
export interface AlertAccessFacts {
  originAgencyCode: string;
  status: AlertStatus;
  distributionScope: DistributionScope;
  distributionAgencyCodes: readonly string[];
}

/**
 * SQL predicate over the `alert` row aliased `alias` that is true exactly when the agency
 * bound to the returned parameter may see it: its own alerts always; another agency's once
 * out of DRAFT and distributed to it (ALL_PARTNERS, or SELECTED_AGENCIES naming it).
 * OPERATION scope shows nothing to partners until joint operations exist.
 */
export function visibleAlertSql(alias: string, agencyCode: string): { sql: string; params: unknown[] } {
  return {
    sql:
      `(${alias}.origin_agency_code = ? or (${alias}.status <> 'DRAFT' and (` +
      `${alias}.distribution_scope = 'ALL_PARTNERS' or (${alias}.distribution_scope = 'SELECTED_AGENCIES' and exists (` +
      `select 1 from alert_distribution_agency vd where vd.alert_id = ${alias}.id and vd.agency_code = ?)))))`,
    params: [agencyCode, agencyCode],
  };
}

/** The same rule as visibleAlertSql, for an alert already in memory. */
export function canSeeAlert(alert: AlertAccessFacts, viewer: Viewer): boolean {
  if (alert.originAgencyCode === viewer.agencyCode) return true;
  if (alert.status === AlertStatus.DRAFT) return false;
  switch (alert.distributionScope) {
    case DistributionScope.ALL_PARTNERS:
      return true;
    case DistributionScope.SELECTED_AGENCIES:
      return alert.distributionAgencyCodes.includes(viewer.agencyCode);
    default:
      return false;
  }
}

/**
 * SQL predicate, over a row the agency can already see, that is true exactly when
 * grantedClasses would include `cls` for it. Filters on a field of class `cls` AND this in,
 * so that filtering on a withheld field never matches: its result count would tell.
 */
export function grantedClassSql(alias: string, agencyCode: string, cls: FieldClass): { sql: string; params: unknown[] } {
  if (cls === FieldClass.CORE) return { sql: 'true', params: [] };
  return { sql: `${alias}.origin_agency_code = ?`, params: [agencyCode] };
}

const EVERYTHING: ReadonlySet<FieldClass> = new Set(ALL_FIELD_CLASSES);
const CORE_ONLY: ReadonlySet<FieldClass> = new Set([FieldClass.CORE]);

/**
 * The field classes `viewer` may see on an alert it can see: everything on its own agency's
 * alerts, CORE on a partner's. (Sharing agreements and disclosure grants widen this later.)
 */
export function grantedClasses(alert: AlertAccessFacts, viewer: Viewer): ReadonlySet<FieldClass> {
  return alert.originAgencyCode === viewer.agencyCode ? EVERYTHING : CORE_ONLY;
}
