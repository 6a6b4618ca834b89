import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../agencies/agency.entity';
import { requirePresent } from '../agencies/agency.service';
import type { ProjectedAlert } from './alert-projection';
import type { AlertService } from '../alerts/alert.service';
import { text } from '../alerts/alert.validation';
import { type AccessRoute, DisclosureDirection, DisclosureStatus, FieldClass, Role } from '../common/enums';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import { checkFirst, decodeCursor, encodeCursor } from '../common/pagination';
import { hasRole, requireAnyRole, type Viewer } from '../identity/viewer';
import { DisclosureRequest, SharingAgreement } from './access.entities';
import { ALL_FIELD_CLASSES } from './field-class';
import { pgArray } from '../db/sql';

/** Longest a disclosure may be granted for. */
export const MAX_GRANT_DAYS = 90;
const MAX_JUSTIFICATION = 2000;
const DAY_MS = 24 * 3600 * 1000;

/** A disclosure request with the status a reader sees (APPROVED past its expiry reads EXPIRED) and its alert. */
export interface DisclosureView {
  request: DisclosureRequest;
  status: DisclosureStatus;
  alert: ProjectedAlert;
}

/**
 * SQL condition on a disclosure_request aliased `d`: its effective status is one of `status`
 * (an APPROVED request past its expiry is EXPIRED). Pushes its parameters onto `params`.
 */
export function disclosureStatusSql(status: readonly DisclosureStatus[], params: unknown[]): string {
  const parts: string[] = [];
  for (const s of new Set(status)) {
    if (s === DisclosureStatus.EXPIRED) parts.push(`(d.status = 'APPROVED' and d.expires_at <= now())`);
    else if (s === DisclosureStatus.APPROVED) parts.push(`(d.status = 'APPROVED' and d.expires_at > now())`);
    else {
      parts.push('d.status = ?');
      params.push(s);
    }
  }
  return `(${parts.join(' or ')})`;
}

/** One read of an alert by one officer of another agency, as `alertAccessLog` lists it. */
export interface AccessLogEntry {
  cursor: string;
  at: Date;
  agency: { code: string; name: string; jurisdiction: string };
  subject: string;
  disclosed: FieldClass[];
  via: string;
  /** The alert read. */
  alertId: string;
}

export interface AccessLogPage {
  entries: AccessLogEntry[];
  hasNextPage: boolean;
  countTotal: () => Promise<number>;
}

function effectiveStatus(r: DisclosureRequest, now = new Date()): DisclosureStatus {
  return r.status === DisclosureStatus.APPROVED && r.expiresAt && r.expiresAt.getTime() <= now.getTime() ? DisclosureStatus.EXPIRED : r.status;
}

/** Classes beyond CORE, in the contract's order, without duplicates. */
function beyondCore(classes: readonly FieldClass[]): FieldClass[] {
  const set = new Set(classes);
  return ALL_FIELD_CLASSES.filter((c) => c !== FieldClass.CORE && set.has(c));
}

/**
 * What an agency gives its partners: sharing agreements (its ADMINs), disclosure requests
 * (partners' ANALYSTs ask, its ANALYSTs decide), and the log of partners' reads (its own
 * users read it). The decision of what a viewer sees is not here but in alert-access.ts.
 */
export class AccessService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly alerts: AlertService,
  ) {}

  private requireRole(role: Role, what: string): void {
    if (!hasRole(this.viewer, role)) throw new ForbiddenError(`only an ${role} may ${what}`);
  }

  // ---- sharing agreements ---------------------------------------------------------------

  /** The agreements the viewer's agency gives and those it receives. */
  async agreements(): Promise<SharingAgreement[]> {
    requireAnyRole(this.viewer, 'read sharing agreements');
    const code = this.viewer.agencyCode;
    return this.em.find(
      SharingAgreement,
      { $or: [{ fromAgency: code }, { toAgency: code }] },
      { populate: ['fromAgency', 'toAgency'], orderBy: { fromAgency: { code: 'asc' }, toAgency: { code: 'asc' } } },
    );
  }

  /**
   * Sets what flows from the viewer's agency to `partner` beyond CORE; an empty list takes
   * everything back. Takes effect on the next read of every route.
   * @throws ForbiddenError without ADMIN; BadUserInputError for SOURCE, the viewer's own
   *   agency or an unknown partner.
   */
  async setAgreement(partner: string, classes: FieldClass[]): Promise<SharingAgreement> {
    this.requireRole(Role.ADMIN, "set its agency's sharing agreements");
    const code = partner.trim().toUpperCase();
    if (classes.includes(FieldClass.SOURCE)) {
      throw new BadUserInputError('fieldClasses: SOURCE is never shared by agreement; a partner asks for it alert by alert', 'fieldClasses');
    }
    if (code === this.viewer.agencyCode) throw new BadUserInputError('partner: an agency has no agreement with itself', 'partner');
    const partnerAgency = await this.em.findOne(Agency, { code });
    if (!partnerAgency) throw new BadUserInputError(`partner: unknown agency ${code}`, 'partner');
    const fieldClasses = beyondCore(classes);
    // Taking everything back from an agency that has left is always possible; giving it more is not.
    if (fieldClasses.length) requirePresent([partnerAgency], 'partner');
    await this.em.upsert(SharingAgreement, {
      fromAgency: this.viewer.agencyCode,
      toAgency: code,
      fieldClasses,
      updatedAt: new Date(),
      updatedBy: this.viewer.subject,
    });
    this.em.clear();
    return this.em.findOneOrFail(SharingAgreement, { fromAgency: this.viewer.agencyCode, toAgency: code }, { populate: ['fromAgency', 'toAgency'] });
  }

  // ---- disclosure requests --------------------------------------------------------------

  /**
   * A partner's ANALYST asks for withheld classes on one alert it can see.
   * @throws NotFoundError for an alert the viewer cannot see (as for an unknown id);
   *   BadUserInputError for the viewer's own alert, no class, or CORE.
   */
  async requestDisclosure(alertId: string, classes: FieldClass[], justification: string): Promise<DisclosureView> {
    this.requireRole(Role.ANALYST, 'request a disclosure');
    const alert = isUuid(alertId) ? (await this.alerts.getMany([alertId])).get(alertId) : undefined;
    if (!alert) throw new NotFoundError('alert', alertId);
    if (alert.originAgency.code === this.viewer.agencyCode) {
      throw new BadUserInputError('alertId: your agency already sees everything on its own alert', 'alertId');
    }
    if (classes.includes(FieldClass.CORE)) throw new BadUserInputError('fieldClasses: CORE is always shared', 'fieldClasses');
    const fieldClasses = beyondCore(classes);
    if (fieldClasses.length === 0) throw new BadUserInputError('fieldClasses: name at least one class', 'fieldClasses');
    const request = this.em.create(DisclosureRequest, {
      alert: alertId,
      requestingAgency: this.viewer.agencyCode,
      requestedBy: this.viewer.subject,
      fieldClasses,
      justification: text(justification, 'justification', MAX_JUSTIFICATION),
      status: DisclosureStatus.PENDING,
      createdAt: new Date(),
    });
    await this.em.flush();
    return (await this.disclosuresById([request.id]))[0];
  }

  /**
   * The originator's ANALYST approves (a grant until `expiresAt`, at most 90 days) or denies a
   * pending request. Two deciders at once: one wins, the other gets CONFLICT.
   * @throws NotFoundError when the request is not the viewer's agency's to see;
   *   ForbiddenError when it is the viewer's own agency's request; ConflictError when it was
   *   already decided; BadUserInputError for a missing, past or too distant expiry.
   */
  async decideDisclosure(requestId: string, approve: boolean, expiresAt: Date | null | undefined, note: string | null | undefined): Promise<DisclosureView> {
    this.requireRole(Role.ANALYST, 'decide a disclosure');
    // Looked up through the alert's visibility: a requester that can no longer see the alert
    // gets the answer of an unknown id, as it would from disclosureRequests.
    const vis = this.alerts.visibleSql('a');
    const [row] = isUuid(requestId)
      ? await this.em.execute<{ origin: string; requester: string; visible: boolean; via_handle: boolean }[]>(
          `select a.origin_agency_code as origin, d.requesting_agency_code as requester, d.via_handle, ${vis.sql} as visible from disclosure_request d join alert a on a.id = d.alert_id where d.id = ?`,
          [...vis.params, requestId],
        )
      : [];
    // A requester learns nothing of the alert behind its own request through a handle: its
    // answer is the same whether or not it can see that alert.
    const known = row && (row.origin === this.viewer.agencyCode || (row.requester === this.viewer.agencyCode && (row.visible || row.via_handle)));
    if (!row || !known) throw new NotFoundError('disclosure request', requestId);
    if (row.origin !== this.viewer.agencyCode) throw new ForbiddenError("only the alert's originating agency decides a disclosure");
    const now = new Date();
    if (approve) {
      if (!expiresAt) throw new BadUserInputError('expiresAt is required to approve', 'expiresAt');
      if (expiresAt.getTime() <= now.getTime()) throw new BadUserInputError('expiresAt must be in the future', 'expiresAt');
      if (expiresAt.getTime() > now.getTime() + MAX_GRANT_DAYS * DAY_MS) {
        throw new BadUserInputError(`expiresAt must be at most ${MAX_GRANT_DAYS} days ahead`, 'expiresAt');
      }
    }
    if (approve) {
      // A grant is new sharing: not to an agency away from the hub. Denying stays possible.
      const requester = await this.em.findOne(Agency, { code: row.requester });
      if (requester) requirePresent([requester], 'requestId');
    }
    const decisionNote = note == null ? null : text(note, 'note', 1000);
    // The status check and the change are one statement: a concurrent decider finds it decided.
    const updated = await this.em.execute(
      `update disclosure_request set status = ?, decided_by = ?, decided_at = ?, expires_at = ?, decision_note = ? where id = ? and status = 'PENDING'`,
      [approve ? DisclosureStatus.APPROVED : DisclosureStatus.DENIED, this.viewer.subject, now, approve ? expiresAt : null, decisionNote, requestId],
      'run',
    );
    if ((updated as { affectedRows?: number }).affectedRows === 0) throw new ConflictError('the request was already decided');
    return (await this.disclosuresById([requestId]))[0];
  }

  /**
   * The requests the viewer's agency made or must decide, newest first, on alerts it can see;
   * with `alertId`, those on that one alert only; with `direction`, those it received (on its
   * own alerts) or those it sent. An alert the viewer cannot see, or on which its agency
   * neither asked nor decides, gives an empty list, exactly like an unknown id.
   * @throws BadUserInputError for `first` above 100, or an `alertId` that is not an id at all.
   */
  async disclosures(status: DisclosureStatus[] | null | undefined, first: number, alertId?: string | null, direction?: DisclosureDirection | null): Promise<DisclosureView[]> {
    requireAnyRole(this.viewer, 'read disclosure requests');
    checkFirst(first);
    // The shape alone is checked, never what exists: the answer is the same for every caller.
    if (alertId != null && !isUuid(alertId)) throw new BadUserInputError('alertId does not name an alert', 'alertId');
    if (first === 0 || (status && status.length === 0)) return [];
    const code = this.viewer.agencyCode;
    const vis = this.alerts.visibleSql('a');
    // A request made through a hit handle shows its alert to the requester only once the
    // holder has approved it (and until the grant expires): before, it would tie the probed
    // value to an alert the requester may see but without that value's class. The requester
    // follows such requests in handleDisclosureRequests.
    const conditions = [
      sideSql(direction),
      vis.sql,
      `(not d.via_handle or a.origin_agency_code = ? or (d.status = 'APPROVED' and d.expires_at > now()))`,
    ];
    const params: unknown[] = [...sideParams(direction, code), ...vis.params, code];
    if (alertId != null) {
      conditions.push('d.alert_id = ?');
      params.push(alertId);
    }
    if (status) conditions.push(disclosureStatusSql(status, params));
    const rows: { id: string }[] = await this.em.execute(
      `select d.id from disclosure_request d join alert a on a.id = d.alert_id where ${conditions.join(' and ')} order by d.created_at desc, d.id desc limit ?`,
      [...params, first],
    );
    return this.disclosuresById(rows.map((r) => r.id));
  }

  /**
   * How many requests wait for a decision: those partners made on the viewer's agency's alerts
   * (`received`), and those its agency made (`sent`, through hit handles too). Each counts what
   * disclosureRequests(direction:, status: [PENDING]) and, for sent, handleDisclosureRequests
   * list, under the same conditions, however many there are.
   */
  async disclosureCounts(): Promise<{ receivedPending: number; sentPending: number }> {
    requireAnyRole(this.viewer, 'read disclosure requests');
    const code = this.viewer.agencyCode;
    const vis = this.alerts.visibleSql('a');
    const [row] = await this.em.execute<{ received: number; sent: number }[]>(
      `select count(*) filter (where a.origin_agency_code = ? and ${vis.sql})::int as received,
              count(*) filter (where d.requesting_agency_code = ? and (d.via_handle or ${vis.sql}))::int as sent
         from disclosure_request d join alert a on a.id = d.alert_id
        where d.status = 'PENDING' and (d.requesting_agency_code = ? or a.origin_agency_code = ?)`,
      [code, ...vis.params, code, ...vis.params, code, code],
    );
    return { receivedPending: row.received, sentPending: row.sent };
  }

  /** Loads requests with their alerts (through the projection) in a constant number of statements. */
  private async disclosuresById(ids: string[]): Promise<DisclosureView[]> {
    if (ids.length === 0) return [];
    const requests = await this.em.find(DisclosureRequest, { id: { $in: ids } }, { populate: ['requestingAgency'] });
    const byId = new Map(requests.map((r) => [r.id, r]));
    const alerts = await this.alerts.getMany(requests.map((r) => r.alert.id));
    const now = new Date();
    const out: DisclosureView[] = [];
    for (const id of ids) {
      const request = byId.get(id);
      const alert = request && alerts.get(request.alert.id);
      // A request whose alert the viewer can no longer see is not shown: its alert must not leak.
      if (request && alert) out.push({ request, status: effectiveStatus(request, now), alert });
    }
    return out;
  }

  // ---- access log -----------------------------------------------------------------------

  /**
   * Partners' reads of one of the viewer's own agency's alerts, newest first.
   * @throws NotFoundError for an alert the viewer cannot see; ForbiddenError for a partner's alert.
   */
  async accessLog(alertId: string, first: number, after: string | null | undefined): Promise<AccessLogPage> {
    checkFirst(first);
    await this.alerts.requireOwn(alertId, "only the originating agency reads an alert's access log");
    const conditions = ['l.alert_id = ?'];
    const params: unknown[] = [alertId];
    if (after != null) {
      const [row, subject] = decodeLogCursor('access-log', after, true);
      conditions.push('(l.id < ? or (l.id = ? and s.ord > ?))');
      params.push(row, row, subject);
    }
    return this.logPage('', conditions, params, first, async () => {
      const [{ n }] = await this.em.execute<{ n: number }[]>('select coalesce(sum(cardinality(subjects)), 0)::int as n from alert_access_log where alert_id = ?', [alertId]);
      return n;
    });
  }

  /**
   * Partners' reads of any of the viewer's agency's alerts, newest first, for its ADMINs (who
   * answer for what the agency shares): by partner, alert, route and time (`from` inclusive,
   * `to` exclusive). Reads of the agency's own officers are not in the log, so neither are
   * they here; an alert of another agency, or none, gives an empty page like an alert never read.
   * @throws ForbiddenError without ADMIN; BadUserInputError for `first` above 100, a cursor
   *   the hub did not make, an `alertId` that is not an id, an unknown partner, the viewer's
   *   own agency as partner, or `from` not before `to`.
   */
  async agencyAccessLog(filter: AgencyAccessLogFilter, first: number, after: string | null | undefined): Promise<AccessLogPage> {
    this.requireRole(Role.ADMIN, "read its agency's access log");
    checkFirst(first);
    const code = this.viewer.agencyCode;
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.alertId != null) {
      if (!isUuid(filter.alertId)) throw new BadUserInputError('filter.alertId does not name an alert', 'filter.alertId');
      conditions.push('l.alert_id = ?');
      params.push(filter.alertId);
    }
    if (filter.partner != null) {
      const partner = filter.partner.trim().toUpperCase();
      if (partner === code) throw new BadUserInputError("filter.partner: the log holds other agencies' reads, never your own agency's", 'filter.partner');
      if (!(await this.em.findOne(Agency, { code: partner }))) throw new BadUserInputError(`filter.partner: unknown agency ${partner.slice(0, 40)}`, 'filter.partner');
      conditions.push('l.agency_code = ?');
      params.push(partner);
    }
    if (filter.from != null && filter.to != null && filter.from.getTime() >= filter.to.getTime()) {
      throw new BadUserInputError('filter.from must be before filter.to', 'filter.from');
    }
    const cursor = after == null ? undefined : decodeLogCursor('agency-access-log', after, false);
    if (filter.via != null) {
      if (filter.via.length === 0) return emptyLogPage();
      conditions.push('l.via = any(?::text[])');
      params.push(pgArray([...new Set(filter.via)].map((v) => v.toLowerCase())));
    }
    if (filter.from != null) {
      conditions.push('l.at >= ?');
      params.push(filter.from);
    }
    if (filter.to != null) {
      conditions.push('l.at < ?');
      params.push(filter.to);
    }
    // The log names alerts, not their agency: the alert row says whose it is (alerts are never deleted).
    const own = `join alert a on a.id = l.alert_id and a.origin_agency_code = ?`;
    // The count is of the filter's entries, whichever page this is.
    const where = conditions.length ? `where ${conditions.join(' and ')}` : '';
    const countParams = [code, ...params];
    if (cursor) {
      const [row, subject] = cursor;
      conditions.push('(l.id < ? or (l.id = ? and s.ord > ?))');
      params.push(row, row, subject);
    }
    return this.logPage(own, conditions, [code, ...params], first, async () => {
      const [{ n }] = await this.em.execute<{ n: number }[]>(
        `select coalesce(sum(cardinality(l.subjects)), 0)::int as n from alert_access_log l ${own} ${where}`,
        countParams,
      );
      return n;
    }, 'agency-access-log');
  }

  /** One page of the log: rows matching `conditions` (after `join`), a subject per entry, newest row first. */
  private async logPage(join: string, conditions: string[], params: unknown[], first: number, countTotal: () => Promise<number>, kind = 'access-log'): Promise<AccessLogPage> {
    // A row is one read shown to its subjects: each subject is an entry, in the order stored.
    const rows: AccessLogSqlRow[] = await this.em.execute(
      `select l.id::text as id, s.ord::int as ord, s.subject, floor(extract(epoch from l.at) * 1000)::float8 as at_ms,
              g.code, g.name, g.jurisdiction, l.disclosed, l.via, l.alert_id
         from alert_access_log l
         ${join}
        cross join lateral unnest(l.subjects) with ordinality as s(subject, ord)
         join agency g on g.code = l.agency_code
        ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
        order by l.id desc, s.ord
        limit ?`,
      [...params, first + 1],
    );
    return {
      entries: rows.slice(0, first).map((r) => ({
        cursor: encodeCursor(kind, [r.id, r.ord]),
        at: new Date(r.at_ms),
        agency: { code: r.code, name: r.name, jurisdiction: r.jurisdiction },
        subject: r.subject,
        disclosed: r.disclosed,
        via: r.via,
        alertId: r.alert_id,
      })),
      hasNextPage: rows.length > first,
      countTotal,
    };
  }
}

/** What agencyAccessLog narrows to; every part optional. */
export interface AgencyAccessLogFilter {
  partner?: string | null;
  alertId?: string | null;
  via?: readonly AccessRoute[] | null;
  from?: Date | null;
  to?: Date | null;
}

function emptyLogPage(): AccessLogPage {
  return { entries: [], hasNextPage: false, countTotal: async () => 0 };
}

/**
 * The row id and subject ordinal of an access-log cursor of `kind`.
 * @param legacy whether a cursor of the row alone (from before reads were stored a row per read) is accepted.
 * @throws BadUserInputError for anything the hub did not make.
 */
function decodeLogCursor(kind: string, after: string, legacy: boolean): [string, number] {
  const values = decodeCursor(kind, after);
  // A cursor of one value is from before reads were stored a row per read: past that row.
  const [row, subject = legacy ? LAST_SUBJECT : undefined] = values;
  if (values.length > 2 || typeof row !== 'string' || !/^\d{1,18}$/.test(row) || typeof subject !== 'number' || !Number.isInteger(subject) || subject < 1 || subject > LAST_SUBJECT) {
    throw new BadUserInputError('after is not a valid cursor', 'after');
  }
  return [row, subject];
}

/** Which requests the viewer's agency is party to, on the side asked (both when none). */
function sideSql(direction: DisclosureDirection | null | undefined): string {
  if (direction === DisclosureDirection.RECEIVED) return 'a.origin_agency_code = ?';
  if (direction === DisclosureDirection.SENT) return 'd.requesting_agency_code = ?';
  return '(d.requesting_agency_code = ? or a.origin_agency_code = ?)';
}

function sideParams(direction: DisclosureDirection | null | undefined, code: string): string[] {
  return direction ? [code] : [code, code];
}

/** Past the last subject of a row: a cursor that names only the row continues after all of it. */
const LAST_SUBJECT = 2 ** 31 - 1;

interface AccessLogSqlRow {
  id: string;
  ord: number;
  subject: string;
  at_ms: number;
  code: string;
  name: string;
  jurisdiction: string;
  disclosed: FieldClass[];
  via: string;
  alert_id: string;
}
