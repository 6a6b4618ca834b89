import { FieldClass } from '../common/enums';
import { ALL_FIELD_CLASSES } from './field-class';

/*
 * The one place that decides what an agency may see of an alert. Two questions, answered in
 * SQL so that lists, counts, filters, nested relations, mutation payloads and subscription
 * events all get the same answer from the same rows:
 *
 *   1. may this agency see this alert at all?  visibleAlertSql
 *        its own alerts always; another agency's once out of DRAFT and distributed to it
 *        (ALL_PARTNERS when it had joined by the alert's publication or last share,
 *        SELECTED_AGENCIES naming it, or OPERATION naming a joint operation it takes part
 *        in, until the operation has been closed for longer than the window), or, out of
 *        DRAFT, while a disclosure it asked through a hit handle is approved and unexpired.
 *      a joint operation: its participants alone see it and all that hangs off it.
 *   2. which field classes of it?               grantedClassesSql
 *        everything on its own alerts; on a partner's: CORE, plus the classes of the
 *        originator's sharing agreement with it (never SOURCE; and not on an alert it sees
 *        only through a handle's grant, which shows what the originator approved and no
 *        more), plus the classes of a disclosure approved for it on that very alert and not
 *        yet expired.
 *
 * The projection (alert-projection.ts) turns the answer into what GraphQL sees.
 */

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** Settings the access rules depend on (from HubConfig). */
export interface AccessSettings {
  /** Days after an operation closes during which its OPERATION-scoped alerts stay visible to participants. */
  operationWindowDays: number;
}

/** SQL predicate over the `alert` row aliased `alias`: true when `agencyCode` may see it. */
export function visibleAlertSql(alias: string, agencyCode: string, settings: AccessSettings): SqlFragment {
  const distributed = distributedAlertSql(alias, agencyCode, settings);
  const handle = handleGrantSql(alias, agencyCode);
  return {
    sql: `(${alias}.origin_agency_code = ? or (${alias}.status <> 'DRAFT' and (${distributed.sql} or ${handle.sql})))`,
    params: [agencyCode, ...distributed.params, ...handle.params],
  };
}

/**
 * SQL predicate over a partner's `alert` row aliased `alias`: its distribution reaches
 * `agencyCode` (the caller checks that it is out of DRAFT).
 */
function distributedAlertSql(alias: string, agencyCode: string, settings: AccessSettings): SqlFragment {
  const op = operationOpenSql('vo', settings);
  return {
    sql:
      // The joining time is one uncorrelated lookup, evaluated once per statement.
      `((${alias}.distribution_scope = 'ALL_PARTNERS' and ${alias}.shared_at >= (select vj.joined_at from agency vj where vj.code = ?))` +
      // A probe of the primary key (alert_id, agency_code) per alert row the statement looks
      // at. `offset 0` keeps PostgreSQL from turning it into a hashed subplan, which reads every
      // distribution row naming the viewer's agency on each statement (12,749 rows for HK at
      // 100,000 alerts, most of a page's time): the page now costs what its rows cost.
      ` or (${alias}.distribution_scope = 'SELECTED_AGENCIES' and exists (` +
      `select 1 from alert_distribution_agency vd where vd.alert_id = ${alias}.id and vd.agency_code = ? offset 0))` +
      ` or (${alias}.distribution_scope = 'OPERATION' and exists (` +
      `select 1 from joint_operation vo join joint_operation_participant vp on vp.operation_id = vo.id ` +
      `where vo.id = ${alias}.distribution_operation_id and vp.agency_code = ? and ${op.sql})))`,
    params: [agencyCode, agencyCode, agencyCode, ...op.params],
  };
}

/**
 * SQL predicate over the `alert` row aliased `alias`: `agencyCode` holds an approved,
 * unexpired disclosure on it asked through a hit handle (src/correlation/handle-requests.ts).
 * An agency holds few such grants: the set is read once per statement (a hashed subplan over
 * disclosure_request_handle_grant_idx) and each row is one hash lookup.
 */
function handleGrantSql(alias: string, agencyCode: string): SqlFragment {
  return {
    sql:
      `${alias}.id in (select hg.alert_id from disclosure_request hg where hg.requesting_agency_code = ? ` +
      `and hg.via_handle and hg.status = 'APPROVED' and hg.expires_at > now())`,
    params: [agencyCode],
  };
}

/**
 * SQL predicate over the `joint_operation` row aliased `alias`: it has not closed, or closed
 * less than the window ago. Its alerts and its reporting stay open that long.
 */
export function operationOpenSql(alias: string, settings: AccessSettings): SqlFragment {
  return {
    sql: `(${alias}.closed_at is null or ${alias}.closed_at > now() - make_interval(days => ?))`,
    params: [settings.operationWindowDays],
  };
}

/** SQL predicate over the `joint_operation` row aliased `alias`: `agencyCode` takes part in it. */
export function operationVisibleSql(alias: string, agencyCode: string): SqlFragment {
  return {
    sql: `exists (select 1 from joint_operation_participant op_p where op_p.operation_id = ${alias}.id and op_p.agency_code = ?)`,
    params: [agencyCode],
  };
}

const ALL_CLASSES_SQL = `array[${ALL_FIELD_CLASSES.map((c) => `'${c}'`).join(',')}]::text[]`;

/**
 * SQL text[] expression over the `alert` row aliased `alias`: the field classes `agencyCode`
 * is granted on it. Only meaningful together with visibleAlertSql.
 */
export function grantedClassesSql(alias: string, agencyCode: string, settings: AccessSettings): SqlFragment {
  const handle = handleGrantSql(alias, agencyCode);
  const distributed = distributedAlertSql(alias, agencyCode, settings);
  return {
    sql:
      `(case when ${alias}.origin_agency_code = ? then ${ALL_CLASSES_SQL} else array(` +
      `select distinct g.c from (` +
      `select 'CORE'::text as c ` +
      // An agreement never carries SOURCE, whatever the row says: it is refused on write too.
      `union all select unnest(array_remove(sa.field_classes, 'SOURCE')) from sharing_agreement sa ` +
      `where sa.from_agency_code = ${alias}.origin_agency_code and sa.to_agency_code = ? ` +
      // Not on an alert seen through a handle's grant alone. The grant is asked first: for
      // nearly every row it is no, and the distribution is never looked at again.
      `and (not (${handle.sql}) or ${distributed.sql}) ` +
      `union all select unnest(dr.field_classes) from disclosure_request dr ` +
      `where dr.alert_id = ${alias}.id and dr.requesting_agency_code = ? and dr.status = 'APPROVED' and dr.expires_at > now()` +
      `) g) end)`,
    params: [agencyCode, agencyCode, ...handle.params, ...distributed.params, agencyCode],
  };
}

/**
 * SQL predicate: `agencyCode` is granted `cls` on the row. Filters on a field of class `cls`
 * AND this in, so that filtering on a withheld field never matches: its count would tell.
 */
export function grantedClassSql(alias: string, agencyCode: string, cls: FieldClass, settings: AccessSettings): SqlFragment {
  if (cls === FieldClass.CORE) return { sql: 'true', params: [] };
  const granted = grantedClassesSql(alias, agencyCode, settings);
  return { sql: `(? = any(${granted.sql}))`, params: [cls, ...granted.params] };
}

/** One read-only set per subset of the classes, by the bits of the classes it holds. */
const parsedGrants = new Map<number, ReadonlySet<FieldClass>>();

/**
 * Parses the text[] the database returns for grantedClassesSql into known classes only. The
 * same grant gives the same (read-only) set, so the projection works out what it withholds once.
 * Called for every alert read: it makes nothing but the first set of each grant.
 */
export function parseGranted(raw: unknown): ReadonlySet<FieldClass> {
  const list: readonly unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.replace(/^\{|\}$/g, '').split(',') : [];
  // Known classes only, in the contract's order: at most one set per subset of them.
  let bits = 0;
  for (const c of list) {
    const i = ALL_FIELD_CLASSES.indexOf(c as FieldClass);
    if (i >= 0) bits |= 1 << i;
  }
  let set = parsedGrants.get(bits);
  if (!set) {
    set = new Set(ALL_FIELD_CLASSES.filter((_, i) => bits & (1 << i)));
    parsedGrants.set(bits, set);
  }
  return set;
}
