import type { EntityManager } from '@mikro-orm/postgresql';
import { OptimisticLockError } from '@mikro-orm/core';
import { grantedClassSql, grantedClassesSql, operationVisibleSql, parseGranted, visibleAlertSql, type AccessSettings, type SqlFragment } from '../access/alert-access';
import { JointOperation } from '../operations/operation.entities';
import type { AccessLogCollector } from '../access/access-log';
import { projectAlert, type ProjectedAlert } from '../access/alert-projection';
import { Agency } from '../agencies/agency.entity';
import { requirePresent } from '../agencies/agency.service';
import { AlertChangeKind, AlertEventKind, AlertOrderField, AlertStatus, FieldClass, OrderDirection, RISK_RANK, Role, type DistributionScope } from '../common/enums';
import { normalizeLocode } from '../common/codes';
import { MAX_SEARCH_TEXT, toTsQuery } from './alert-search';
import { pgArray, preparedQuery } from '../db/sql';
import { appendAlertEvent, type Query } from '../events/event-log';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import { TAKES_ALERTS, takesAlerts } from '../common/operation-rules';
import { checkFirst, decodeCursor, type CursorPosition } from '../common/pagination';
import { hasRole, requireAnyRole, type Viewer } from '../identity/viewer';
import { RightsHolder } from '../rights-holders/rights-holder.entity';
import { Alert, AlertHistoryEntry, GoodsLine, PartyData, SourceData } from './alert.entity';
import { deriveMatchKeys, matchKeySourceOf, replaceMatchKeys, type MatchKeyring } from '../correlation/match-keys';
import { correlate, lockKeys } from '../correlation/correlate';
import { FULL_SELECTION, loadAlertRecords, loadVisibleAlertPage, loadVisibleAlertRecords, type AlertRecord, type AlertRecordLoader, type AlertSelection } from './alert-record';
import { WITHDRAWABLE, canMove, nextStatuses } from './alert-lifecycle';
import type { AlertFilter, AlertOrder, CreateAlertInput, DistributionInput, UpdateAlertInput } from './alert.inputs';
import { LIMITS, checkCreateInput, checkDistribution, checkUpdateInput, text, type AlertData, type DistributionData } from './alert.validation';

/** The collections a change may replace, loaded only for the change that does. */
type ChangedCollection = 'goods' | 'rightsHolders' | 'distributionAgencies';

/** An alert a visibility statement found: its id, the version it saw, the viewer's classes on it (raw). */
interface VisibleRow {
  id: string;
  version: number;
  granted: unknown;
}

/** What alerts need beyond the access rules' settings. */
export interface AlertSettings extends AccessSettings {
  /** Keys each alert's identifiers for matching, in the transaction of every change (src/correlation). */
  matchKeys: MatchKeyring;
  /** Values an officer may probe per UTC day (HUB_PROBE_DAILY_LIMIT); default DEFAULT_PROBE_DAILY_LIMIT. */
  probeDailyLimit?: number;
}

/** Statements of `em`'s connection (in its transaction, if it has one) as a Query. */
export function rawQuery(em: EntityManager): Query {
  return (sql, params) => em.execute(sql, params);
}

/** References are numbered per agency and calendar year in the Greater Bay Area's time zone. */
const REFERENCE_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' });

export interface AlertPage {
  /** Each alert with its position in the order (its cursor, encoded only when asked for: see AlertEdge). */
  nodes: { position: CursorPosition; alert: ProjectedAlert }[];
  hasNextPage: boolean;
  /** Counts every visible alert matching the filter; runs a statement only when called. */
  countTotal: () => Promise<number>;
}

/** A list's condition, and whether its statements are planned for their values (see preparedQuery). */
interface WhereClause extends SqlFragment {
  custom: boolean;
}

/** Most values one list filter may name. */
const MAX_FILTER_VALUES = 50;

/** Sort keys: a SQL expression per order field, and how its cursor value is checked. */
const ORDER_KEYS: Record<AlertOrderField, { sql: string; cast: string; valid: (v: unknown) => boolean }> = {
  // Drafts have no publication time; they sort as the oldest.
  [AlertOrderField.PUBLISHED_AT]: {
    sql: "coalesce(a.published_at, '-infinity'::timestamptz)",
    cast: 'timestamptz',
    valid: isTimestampText,
  },
  [AlertOrderField.UPDATED_AT]: { sql: 'a.updated_at', cast: 'timestamptz', valid: isTimestampText },
  [AlertOrderField.RISK_LEVEL]: {
    sql: "array_position(array['LOW','MEDIUM','HIGH','CRITICAL']::text[], a.risk_level::text)",
    cast: 'int',
    valid: (v) => typeof v === 'string' && /^[1-4]$/.test(v),
  },
};

/**
 * A timestamp as PostgreSQL writes one (the keyset value of a cursor), that PostgreSQL will
 * read back: a real day of a month in years 1 to 9999, a real time of day, an offset within
 * a day. A forged `2024-13-45` is the client's error, not the database's.
 */
export function isTimestampText(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  if (v === '-infinity') return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:Z|[+-](\d{2})(?::(\d{2}))?)$/.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const offsetHours = m[8] === undefined ? 0 : Number(m[8]);
  const offsetMinutes = m[9] === undefined ? 0 : Number(m[9]);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Alerts as one viewer may see and change them. Reads go through the access rules in
 * src/access; writes are for the originating agency's ANALYSTs and carry the version the
 * writer read.
 */
export class AlertService {
  /**
   * @param accessLog records what this viewer's agency reads of other agencies' alerts.
   */
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly settings: AlertSettings,
    private readonly accessLog?: Pick<AccessLogCollector, 'reader'>,
    /** Loads the entities of alerts already found visible, when they come from elsewhere (a cache). */
    private readonly loadRecords?: AlertRecordLoader,
  ) {}

  /** The visibility predicate for this viewer over the alert row aliased `alias`. */
  visibleSql(alias: string): SqlFragment {
    return visibleAlertSql(alias, this.viewer.agencyCode, this.settings);
  }

  /**
   * The alert as the viewer may see it, or null when it does not exist for the viewer.
   * @param sel the collections to read (what GraphQL selected); the others come back empty.
   */
  async get(id: string, sel: AlertSelection = FULL_SELECTION): Promise<ProjectedAlert | null> {
    if (!isUuid(id)) return null;
    return (await this.getMany([id], null, sel)).get(id) ?? null;
  }

  /**
   * The alerts of `ids` that the viewer may see (and that match `filter`), projected, by id:
   * a constant number of statements however many ids. Unknown and invisible ids are absent.
   */
  async getMany(ids: readonly string[], filter: AlertFilter | null | undefined = null, sel: AlertSelection = FULL_SELECTION): Promise<Map<string, ProjectedAlert>> {
    this.requireReader();
    const wanted = [...new Set(ids.filter(isUuid))];
    if (wanted.length === 0) return new Map();
    const where = this.whereClause(filter);
    const granted = grantedClassesSql('a', this.viewer.agencyCode, this.settings);
    let found: { record: AlertRecord; granted: unknown }[];
    if (this.loadRecords) {
      // Records shared with other viewers (the fan-out): visibility first, then the shared load.
      const rows = await preparedQuery(this.em, where)<VisibleRow>(
        `select a.id, a.version, ${granted.sql} as granted from alert a where a.id = any(?::uuid[]) and ${where.sql}`,
        [...granted.params, pgArray(wanted), ...where.params],
      );
      found = await this.recordsAsSeen(rows, where, granted);
    } else {
      found = await loadVisibleAlertRecords(preparedQuery(this.em, where), wanted, where, granted, sel);
    }
    const projected = new Map(found.map((f) => [f.record.id, this.project(f.record, f.granted)]));
    // Keyed as asked: a UUID in capitals names the same alert, and finds it.
    const byAsked = new Map<string, ProjectedAlert>();
    for (const id of ids) {
      const found = projected.get(id.toLowerCase());
      if (found) byAsked.set(id, found);
    }
    return byAsked;
  }

  /**
   * One page of the alerts the viewer may see, in keyset order (stable under inserts).
   * @throws BadUserInputError for `first` above the limit or a cursor this hub did not make.
   */
  async list(
    filter: AlertFilter | null | undefined,
    first: number,
    after: string | null | undefined,
    orderBy: AlertOrder | null | undefined,
    sel: AlertSelection = FULL_SELECTION,
  ): Promise<AlertPage> {
    this.requireReader();
    checkFirst(first);
    const field = orderBy?.field ?? AlertOrderField.PUBLISHED_AT;
    const desc = (orderBy?.direction ?? OrderDirection.DESC) === OrderDirection.DESC;
    const key = ORDER_KEYS[field];
    const where = this.whereClause(filter);

    const cursorKind = `alerts:${field}:${desc ? 'd' : 'a'}`;
    const conditions = [where.sql];
    const params = [...where.params];
    if (after != null) {
      const values = decodeCursor(cursorKind, after);
      if (values.length !== 2 || !key.valid(values[0]) || typeof values[1] !== 'string' || !isUuid(values[1])) {
        throw new BadUserInputError('after is not a valid cursor', 'after');
      }
      conditions.push(`(${key.sql}, a.id) ${desc ? '<' : '>'} (?::${key.cast}, ?::uuid)`);
      params.push(values[0], values[1]);
    }
    const granted = grantedClassesSql('a', this.viewer.agencyCode, this.settings);
    const countTotal = async () => {
      const [{ n }] = await preparedQuery(this.em, where)<{ n: number }>(`select count(*)::int as n from alert a where ${where.sql}`, where.params);
      return n;
    };
    if (first === 0) return { nodes: [], hasNextPage: false, countTotal };
    const condition = { sql: conditions.join(' and '), params };
    if (!this.loadRecords) {
      // Visibility, classes, order and records in one statement (src/alerts/alert-record.ts).
      const rows = await loadVisibleAlertPage(preparedQuery(this.em, where), condition, granted, { key: key.sql, desc }, first + 1, sel);
      return {
        nodes: rows.slice(0, first).map((r) => ({ position: { kind: cursorKind, values: [r.key, r.record.id] }, alert: this.project(r.record, r.granted) })),
        hasNextPage: rows.length > first,
        countTotal,
      };
    }
    // Records shared with other viewers (the fan-out): the page first, then the shared load.
    const dir = desc ? 'desc' : 'asc';
    // The limit is written into the text (a checked integer): see loadVisibleAlertPage.
    const rows: (VisibleRow & { k: string })[] = await preparedQuery(this.em, where)(
      `select a.id, a.version, (${key.sql})::text as k, ${granted.sql} as granted from alert a ` +
        `where ${condition.sql} order by ${key.sql} ${dir}, a.id ${dir} limit ${first + 1}`,
      [...granted.params, ...params],
    );
    const page = rows.slice(0, first);
    const found = new Map((await this.recordsAsSeen(page, where, granted)).map((f) => [f.record.id, f]));
    return {
      nodes: page
        .filter((r) => found.has(r.id))
        .map((r) => ({ position: { kind: cursorKind, values: [r.k, r.id] }, alert: this.project(found.get(r.id)!.record, found.get(r.id)!.granted) })),
      hasNextPage: rows.length > first,
      countTotal,
    };
  }

  /**
   * Checks a filter as the list query would, without reading anything (subscriptions check
   * theirs when they start).
   * @throws BadUserInputError naming the filter field that is wrong.
   */
  checkFilter(filter: AlertFilter | null | undefined): void {
    this.requireReader();
    this.whereClause(filter);
  }

  /**
   * Projects an alert for the viewer with the classes the database granted. A partner's read
   * is logged as its fields are resolved, with the classes shown: projected and not shown
   * (a count, a cursor), it is not a read.
   */
  private project(alert: AlertRecord, grantedRaw: unknown): ProjectedAlert {
    const granted = parseGranted(grantedRaw);
    return projectAlert(alert, granted, this.viewer.agencyCode, this.accessLog?.reader(alert.id, alert.originAgency.code));
  }

  /** Every role reads; a token without any role reads nothing. */
  private requireReader(): void {
    requireAnyRole(this.viewer, 'read alerts');
  }

  /**
   * Visibility first, then the filter, all ANDed: a filter can only narrow what the viewer may
   * see, and a filter on a field of a withheld class matches only where the class is granted.
   * @throws BadUserInputError for a filter value that is too long or of the wrong shape.
   */
  private whereClause(filter: AlertFilter | null | undefined): WhereClause {
    const vis = this.visibleSql('a');
    const sql = [vis.sql];
    const params: unknown[] = [...vis.params];
    const add = (clause: { sql: string; params: unknown[] }) => {
      sql.push(clause.sql);
      params.push(...clause.params);
    };
    const anyOf = (column: string, field: string, values: readonly string[] | null | undefined) => {
      if (values == null) return;
      if (values.length > MAX_FILTER_VALUES) throw new BadUserInputError(`filter.${field} may list at most ${MAX_FILTER_VALUES} values`, `filter.${field}`);
      if (values.length === 0) return add({ sql: 'false', params: [] });
      add({ sql: `${column}::text = any(?::text[])`, params: [pgArray(values)] });
    };
    if (!filter) return { sql: sql.join(' and '), params, custom: false };

    anyOf('a.status', 'status', filter.status);
    anyOf('a.channel', 'channel', filter.channel);
    const origins = filter.originAgency?.map((c) => c.trim().toUpperCase());
    if (origins?.some((c) => !/^[A-Z]{2,16}$/.test(c))) throw new BadUserInputError('filter.originAgency must list agency codes such as GD', 'filter.originAgency');
    anyOf('a.origin_agency_code', 'originAgency', origins);
    if (filter.goodsCategory != null) {
      if (filter.goodsCategory.length === 0) add({ sql: 'false', params: [] });
      else add({ sql: 'exists (select 1 from alert_goods_line fg where fg.alert_id = a.id and fg.category::text = any(?::text[]))', params: [pgArray(filter.goodsCategory)] });
    }
    if (filter.riskLevelAtLeast != null) {
      add({ sql: `${ORDER_KEYS[AlertOrderField.RISK_LEVEL].sql} >= ?`, params: [RISK_RANK[filter.riskLevelAtLeast]] });
    }
    if (filter.port != null) {
      if (filter.port.length > 16) throw new BadUserInputError('filter.port must be a UN/LOCODE such as CNSHK', 'filter.port');
      const port = normalizeLocode(filter.port);
      if (!port) throw new BadUserInputError('filter.port must be a UN/LOCODE such as CNSHK', 'filter.port');
      add({ sql: '(a.port_of_loading = ? or a.port_of_discharge = ?)', params: [port, port] });
    }
    if (filter.containerNumber != null) {
      const c = filter.containerNumber.toUpperCase().replace(/[\s-]/g, '');
      if (!/^[A-Z]{4}\d{7}$/.test(c)) {
        throw new BadUserInputError('filter.containerNumber must be an ISO 6346 container number such as CSQU3054383', 'filter.containerNumber');
      }
      add({ sql: 'a.container_numbers @> array[?]::text[]', params: [c] });
      add(grantedClassSql('a', this.viewer.agencyCode, FieldClass.SHIPMENT_IDENTIFIERS, this.settings));
    }
    if (filter.reference != null) add(this.referenceClause(filter.reference));
    if (filter.text != null) {
      if (filter.text.length > MAX_SEARCH_TEXT) {
        throw new BadUserInputError(`filter.text must be at most ${MAX_SEARCH_TEXT} characters`, 'filter.text');
      }
      const query = toTsQuery(filter.text);
      if (!query) throw new BadUserInputError('filter.text must contain a word', 'filter.text');
      add({ sql: 'a.search_vector @@ ?::tsquery', params: [query] });
    }
    if (filter.publishedAfter != null) add({ sql: 'a.published_at > ?', params: [filter.publishedAfter] });
    if (filter.publishedBefore != null) add({ sql: 'a.published_at < ?', params: [filter.publishedBefore] });
    if (filter.operationId != null) {
      if (!isUuid(filter.operationId)) throw new BadUserInputError('filter.operationId does not name a joint operation', 'filter.operationId');
      // Linked to the operation, which the viewer's agency takes part in: an operation it does
      // not see matches nothing, exactly like an unknown one.
      const opVis = operationVisibleSql('jo', this.viewer.agencyCode);
      add({
        sql: `exists (select 1 from joint_operation_alert ja join joint_operation jo on jo.id = ja.operation_id where ja.alert_id = a.id and ja.operation_id = ? and ${opVis.sql})`,
        params: [filter.operationId, ...opVis.params],
      });
    }
    // The agency and the risk level keep the page's plan what it is without them (along the
    // order); any other filter may be rare or common, and is planned for its values.
    const custom = Object.entries(filter).some(([field, value]) => value != null && field !== 'originAgency' && field !== 'riskLevelAtLeast');
    return { sql: sql.join(' and '), params, custom };
  }

  /**
   * The condition for `filter.reference`. A register reference names only the viewer's own
   * agency's alerts: matched against a partner's, it would confirm that a number exists (and
   * so how many there are) to an agency that may not see it. The shape check looks at the text
   * alone, never at what exists.
   * @throws BadUserInputError for text that is neither a register nor a partner reference.
   */
  private referenceClause(reference: string): SqlFragment {
    const bad = () => new BadUserInputError("filter.reference must be a reference such as GD-7KQ2M9XC4T1B (or, for your own agency's alerts, GD-YYYY-NNNNNN)", 'filter.reference');
    if (reference.length > 64) throw bad();
    const ref = reference.trim().toUpperCase();
    const register = /^[A-Z0-9]{2,16}-\d{4}-\d{6}$/.exec(ref);
    if (register) return { sql: '(a.origin_agency_code = ? and a.reference = ?)', params: [this.viewer.agencyCode, ref] };
    const partner = /^([A-Z0-9]{2,16})-([0-9A-Z]{12})$/.exec(ref);
    if (!partner) throw bad();
    // Read aloud or typed from paper, Crockford's base32 takes O for 0 and I or L for 1; U is never used.
    const token = partner[2].replace(/O/g, '0').replace(/[IL]/g, '1');
    if (token.includes('U')) throw bad();
    return { sql: '(a.origin_agency_code = ? and a.partner_token = ?)', params: [partner[1], token] };
  }

  /** Loads alerts with every relation a projection needs, in one statement. */
  private async load(ids: string[]): Promise<AlertRecord[]> {
    if (ids.length === 0) return [];
    return this.loadRecords ? this.loadRecords(ids) : loadAlertRecords(preparedQuery(this.em), ids);
  }

  /**
   * The records of rows a visibility statement returned, each as it was when that statement
   * saw it. Records are loaded apart from the visibility statement (or shared with other
   * viewers, loaded a moment earlier): one whose alert has moved on since (another version: a
   * change in between, a widened distribution) could show content from a time this viewer was
   * not allowed to see it, or content it is no longer allowed to see. Those are read again
   * together with their visibility and classes, in one statement; an alert no longer visible
   * is left out.
   */
  private async recordsAsSeen(rows: readonly VisibleRow[], where: SqlFragment, granted: SqlFragment): Promise<{ record: AlertRecord; granted: unknown }[]> {
    const records = new Map((await this.load(rows.map((r) => r.id))).map((a) => [a.id, a]));
    const moved = new Set(rows.filter((r) => records.get(r.id)?.version !== Number(r.version)).map((r) => r.id));
    const again = new Map((await loadVisibleAlertRecords(preparedQuery(this.em), [...moved], where, granted)).map((f) => [f.record.id, f]));
    return rows.flatMap((r) => (moved.has(r.id) ? (again.has(r.id) ? [again.get(r.id)!] : []) : [{ record: records.get(r.id)!, granted: r.granted }]));
  }

  private requireAnalyst(): void {
    if (!hasRole(this.viewer, Role.ANALYST)) throw new ForbiddenError("only an ANALYST of the alert's agency may change it");
  }

  /**
   * Loads one of the viewer's own agency's alerts for a change at `version`, with the
   * collections the change replaces (`populate`); the answer is read again after the commit.
   * @throws NotFoundError when the viewer cannot see it (the same answer as an unknown id),
   *   ForbiddenError when it belongs to another agency, ConflictError for a stale version.
   */
  private async loadForChange(em: EntityManager, id: string, version: number, populate: readonly ChangedCollection[] = []): Promise<Alert> {
    this.requireAnalyst();
    if (!isUuid(id)) throw new NotFoundError('alert', id);
    const vis = this.visibleSql('a');
    const rows: { id: string }[] = await em.execute(`select a.id from alert a where a.id = ? and ${vis.sql}`, [id, ...vis.params]);
    if (rows.length === 0) throw new NotFoundError('alert', id);
    const alert = await em.findOneOrFail(Alert, id, { populate, strategy: 'select-in' });
    if (alert.originAgency.code !== this.viewer.agencyCode) throw new ForbiddenError('only the originating agency may change an alert');
    if (alert.version !== version) {
      throw new ConflictError(`alert ${id} is at version ${alert.version}, not ${version}: reload it and apply the change again`);
    }
    return alert;
  }

  /** Runs a change in one transaction; a concurrent writer that got there first is CONFLICT. */
  private async change<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.em.transactional(fn);
    } catch (e) {
      if (e instanceof OptimisticLockError) throw new ConflictError('the alert was changed by someone else meanwhile: reload it and apply the change again');
      throw e;
    }
  }

  /** Creates a DRAFT in the viewer's agency, with the next reference of the year. */
  async create(input: CreateAlertInput): Promise<ProjectedAlert> {
    this.requireAnalyst();
    const data = checkCreateInput(input, this.viewer.agencyCode);
    const distribution = input.distribution ? checkDistribution(input.distribution, 'input.distribution', this.viewer.agencyCode) : null;
    const id = await this.change(async (em) => {
      const alert = new Alert();
      alert.originAgency = em.getReference(Agency, this.viewer.agencyCode);
      alert.createdBy = this.viewer.subject;
      await this.apply(em, alert, data);
      if (distribution) await this.applyDistribution(em, alert, distribution);
      alert.reference = await this.nextReference(em);
      em.persist(alert);
      this.record(em, alert, AlertChangeKind.CREATED, null);
      await em.flush();
      await this.rekey(em, alert, true);
      return alert.id;
    });
    return (await this.reload(id))!;
  }

  async update(id: string, version: number, input: UpdateAlertInput): Promise<ProjectedAlert> {
    const data = checkUpdateInput(input, this.viewer.agencyCode);
    const replaced: ChangedCollection[] = [];
    if (data.goods) replaced.push('goods');
    if (data.rightsHolderIds) replaced.push('rightsHolders');
    await this.change(async (em) => {
      const alert = await this.loadForChange(em, id, version, replaced);
      if (alert.status === AlertStatus.WITHDRAWN) throw new BadUserInputError('a WITHDRAWN alert cannot be changed', 'id');
      await this.apply(em, alert, data);
      alert.updatedAt = new Date();
      this.record(em, alert, AlertChangeKind.UPDATED, alert.status);
      await em.flush();
      await this.rekey(em, alert);
      // A draft is its agency's alone: nothing to announce until it is published.
      if (alert.status !== AlertStatus.DRAFT) await appendAlertEvent(em, id, AlertEventKind.UPDATED);
    });
    return (await this.reload(id))!;
  }

  /** DRAFT to PUBLISHED; the publication time is set once. */
  publish(id: string, version: number): Promise<ProjectedAlert> {
    return this.setStatus(id, version, AlertStatus.PUBLISHED, null);
  }

  /**
   * Moves an alert along its lifecycle (src/alerts/alert-lifecycle.ts).
   * @throws BadUserInputError for a transition the lifecycle does not allow (WITHDRAWN goes
   *   through withdraw, which needs a reason).
   */
  async setStatus(id: string, version: number, to: AlertStatus, note: string | null | undefined): Promise<ProjectedAlert> {
    const checkedNote = note == null ? null : text(note, 'note', LIMITS.note);
    if (to === AlertStatus.WITHDRAWN) {
      throw new BadUserInputError('status: an alert is withdrawn with withdrawAlert, which takes a reason', 'status');
    }
    await this.change(async (em) => {
      const alert = await this.loadForChange(em, id, version);
      if (!canMove(alert.status, to)) {
        const allowed = nextStatuses(alert.status);
        throw new BadUserInputError(
          `status: an alert that is ${alert.status} cannot become ${to}` + (allowed.length ? `; it can become ${allowed.join(' or ')}` : ''),
          'status',
        );
      }
      const from = alert.status;
      alert.status = to;
      alert.updatedAt = new Date();
      if (to === AlertStatus.PUBLISHED) {
        alert.publishedAt = alert.updatedAt;
        // ALL_PARTNERS: the partners of now, not those of the day the draft was written.
        alert.sharedAt = alert.updatedAt;
      }
      this.record(em, alert, to === AlertStatus.PUBLISHED ? AlertChangeKind.PUBLISHED : AlertChangeKind.STATUS_CHANGED, from, checkedNote);
      await em.flush();
      await this.rekey(em, alert);
      await appendAlertEvent(em, id, to === AlertStatus.PUBLISHED ? AlertEventKind.PUBLISHED : AlertEventKind.STATUS_CHANGED);
    });
    return (await this.reload(id))!;
  }

  /**
   * Sets who the alert is shared with. Narrowing takes effect for every route at once: each
   * read and each event asks visibleAlertSql again. Sharing again, even as it was, is how an
   * ALL_PARTNERS alert reaches the partners that joined since it was last shared.
   * @throws BadUserInputError for a distribution of the wrong shape or naming unknown agencies.
   */
  async share(id: string, version: number, distribution: DistributionInput): Promise<ProjectedAlert> {
    const d = checkDistribution(distribution, 'distribution', this.viewer.agencyCode);
    await this.change(async (em) => {
      const alert = await this.loadForChange(em, id, version, ['distributionAgencies']);
      await this.applyDistribution(em, alert, d, 'distribution');
      alert.updatedAt = new Date();
      alert.sharedAt = alert.updatedAt;
      this.record(em, alert, AlertChangeKind.DISTRIBUTION_CHANGED, alert.status, [d.scope, d.agencyCodes.join(', '), d.operationId ?? ''].filter(Boolean).join(' '));
      await em.flush();
      await this.rekey(em, alert);
      // Announced for drafts too: the originator's own subscribers see its drafts, partners never do.
      await appendAlertEvent(em, id, AlertEventKind.DISTRIBUTION_CHANGED);
    });
    return (await this.reload(id))!;
  }

  /** Withdraws a published alert, from any state after publication, with a reason. */
  async withdraw(id: string, version: number, reason: string): Promise<ProjectedAlert> {
    const checkedReason = text(reason, 'reason', LIMITS.note);
    await this.change(async (em) => {
      const alert = await this.loadForChange(em, id, version);
      if (!WITHDRAWABLE.includes(alert.status)) {
        throw new BadUserInputError(
          alert.status === AlertStatus.DRAFT ? 'a DRAFT was never published: there is nothing to withdraw' : 'the alert is already WITHDRAWN',
          'id',
        );
      }
      const from = alert.status;
      alert.status = AlertStatus.WITHDRAWN;
      alert.updatedAt = new Date();
      this.record(em, alert, AlertChangeKind.WITHDRAWN, from, checkedReason);
      await em.flush();
      await this.rekey(em, alert);
      await appendAlertEvent(em, id, AlertEventKind.WITHDRAWN);
    });
    return (await this.reload(id))!;
  }

  /**
   * The history of one of the viewer's own agency's alerts, oldest first.
   * @throws NotFoundError when the viewer cannot see the alert, ForbiddenError when it is another agency's.
   */
  async history(id: string): Promise<AlertHistoryEntry[]> {
    await this.requireOwn(id, "only the originating agency reads an alert's history");
    return this.em.find(AlertHistoryEntry, { alert: id }, { orderBy: { at: 'asc', id: 'asc' }, populate: ['agency'] });
  }

  /**
   * Checks that `id` is one of the viewer's own agency's alerts, for records only the
   * originator reads (history, access log).
   * @throws NotFoundError when the viewer cannot see it (as for an unknown id);
   *   ForbiddenError with `forbidden` when it is a partner's alert the viewer can see.
   */
  async requireOwn(id: string, forbidden: string): Promise<void> {
    this.requireReader();
    if (!isUuid(id)) throw new NotFoundError('alert', id);
    const vis = this.visibleSql('a');
    const rows: { origin: string }[] = await this.em.execute(
      `select a.origin_agency_code as origin from alert a where a.id = ? and ${vis.sql}`,
      [id, ...vis.params],
    );
    if (rows.length === 0) throw new NotFoundError('alert', id);
    if (rows[0].origin !== this.viewer.agencyCode) throw new ForbiddenError(forbidden);
  }

  /** Adds a history row for a change being made in `em`'s transaction. */
  private record(em: EntityManager, alert: Alert, kind: AlertChangeKind, from: AlertStatus | null, note: string | null = null): void {
    em.persist(
      Object.assign(new AlertHistoryEntry(), {
        alert,
        at: new Date(),
        agency: em.getReference(Agency, this.viewer.agencyCode),
        subject: this.viewer.subject,
        kind,
        fromStatus: from ?? undefined,
        toStatus: alert.status,
        note: note ?? undefined,
      }),
    );
  }

  /**
   * Inside a caller's transaction: moves one of the viewer's own alerts on to SEIZED along the
   * lifecycle (through UNDER_INSPECTION when PUBLISHED), with a history row per step. Alerts
   * already past inspection are left as they are. The caller flushes, then logs the event.
   * @returns true when the alert moved.
   */
  seizeWithin(em: EntityManager, alert: Alert, note: string): boolean {
    const path = alert.status === AlertStatus.PUBLISHED ? [AlertStatus.UNDER_INSPECTION, AlertStatus.SEIZED] : [AlertStatus.SEIZED];
    let moved = false;
    for (const to of path) {
      if (!canMove(alert.status, to)) break;
      const from = alert.status;
      alert.status = to;
      this.record(em, alert, AlertChangeKind.STATUS_CHANGED, from, note);
      moved = true;
    }
    if (moved) alert.updatedAt = new Date();
    return moved;
  }

  /**
   * Replaces the alert's match keys with those of its state now, in `em`'s transaction (after
   * the change is flushed; the alert's row lock orders concurrent writers). A WITHDRAWN or
   * DRAFT alert is left with none. The keys depend on the identifiers, the origin, the status
   * and the publication time alone: a change of none of them (seizeWithin's moves between
   * published states) needs no call.
   * Then its correlations follow its keys (src/correlation/correlate.ts): made and ended, each
   * with its event, in the same transaction.
   * @param fresh the alert was created in this transaction: with no keys to write, no statement.
   */
  private async rekey(em: EntityManager, alert: Alert, fresh = false): Promise<void> {
    const keys = this.settings.matchKeys;
    const rows = deriveMatchKeys(matchKeySourceOf(alert), keys);
    if (fresh && rows.length === 0) return;
    const query = preparedQuery(em);
    await lockKeys(query, [alert.id], rows);
    await replaceMatchKeys(query, [alert.id], rows, keys);
    await correlate(query, [alert.id]);
  }

  /** Reads an alert back after a change, from a clean identity map. */
  private async reload(id: string): Promise<ProjectedAlert | null> {
    this.em.clear();
    return this.get(id);
  }

  private async apply(em: EntityManager, alert: Alert, d: AlertData): Promise<void> {
    const scalar = [
      'title', 'summary', 'riskLevel', 'channel', 'direction', 'infringements', 'modusOperandi',
      'portOfLoading', 'portOfDischarge', 'originCountry', 'destinationCountry', 'expectedArrival',
      'containerNumbers', 'billOfLading', 'conveyanceReference', 'airWaybill', 'trackingNumbers', 'operationalNotes',
    ] as const;
    for (const k of scalar) {
      if (d[k] !== undefined) (alert as unknown as Record<string, unknown>)[k] = d[k] ?? undefined;
    }
    if (d.containerNumbers === null) alert.containerNumbers = undefined;
    if (d.consignor !== undefined) alert.consignor = d.consignor ? Object.assign(new PartyData(), strip(d.consignor)) : null;
    if (d.consignee !== undefined) alert.consignee = d.consignee ? Object.assign(new PartyData(), strip(d.consignee)) : null;
    if (d.source !== undefined) alert.source = d.source ? Object.assign(new SourceData(), strip(d.source)) : null;
    if (d.goods) {
      alert.goods.removeAll();
      d.goods.forEach((g, position) => alert.goods.add(Object.assign(new GoodsLine(), { ...strip(g), position })));
    }
    if (d.rightsHolderIds) {
      const found = d.rightsHolderIds.length ? await em.find(RightsHolder, { id: { $in: d.rightsHolderIds.filter(isUuid) } }) : [];
      const missing = d.rightsHolderIds.filter((rid) => !found.some((f) => f.id === rid));
      if (missing.length) {
        throw new BadUserInputError(`input.rightsHolderIds: unknown rights holder ${missing[0]}`, 'input.rightsHolderIds');
      }
      alert.rightsHolders.set(found);
    }
  }

  private async applyDistribution(em: EntityManager, alert: Alert, d: DistributionData, field = 'input.distribution'): Promise<void> {
    const agencies = d.agencyCodes.length ? await em.find(Agency, { code: { $in: d.agencyCodes } }) : [];
    const missing = d.agencyCodes.filter((c) => !agencies.some((a) => a.code === c));
    if (missing.length) throw new BadUserInputError(`${field}.agencies: unknown agency ${missing[0]}`, `${field}.agencies`);
    // An agency away from the hub is named on no alert anew; one the alert named already stays named.
    const named = alert.distributionAgencies.isInitialized() ? alert.distributionAgencies.getItems().map((a) => a.code) : [];
    requirePresent(agencies, `${field}.agencies`, named);
    if (d.operationId) {
      // Only an operation the viewer's agency takes part in can be a closed group for its alert.
      // The row is share-locked to the end of this transaction, so a concurrent close waits and
      // the state read is the state the alert is shared in.
      const vis = operationVisibleSql('o', this.viewer.agencyCode);
      const ops: { status: string }[] = await em.execute(`select o.status from joint_operation o where o.id = ? and ${vis.sql} for share of o`, [
        d.operationId,
        ...vis.params,
      ]);
      if (ops.length === 0) {
        throw new BadUserInputError(`${field}.operationId does not name a joint operation your agency takes part in`, `${field}.operationId`);
      }
      // As linkAlertToOperation: a closed operation takes no new alerts. One the alert is shared
      // with already stays named (sharing again as it was changes nothing).
      if (!takesAlerts(ops[0].status) && alert.distributionOperation?.id !== d.operationId) {
        throw new BadUserInputError(
          `${field}.operationId names a ${ops[0].status} joint operation: only a ${TAKES_ALERTS.join(' or ')} one takes new alerts`,
          `${field}.operationId`,
        );
      }
    }
    alert.distributionScope = d.scope as DistributionScope;
    alert.distributionAgencies.set(agencies);
    alert.distributionOperation = d.operationId ? em.getReference(JointOperation, d.operationId) : undefined;
  }

  /**
   * The next `<agency>-<year>-<6 digits>`. The counter row is locked by the upsert until the
   * creating transaction ends, so concurrent creators queue and a rolled-back creation gives
   * its number back: references are unique and gap-free.
   */
  private async nextReference(em: EntityManager): Promise<string> {
    const year = Number(REFERENCE_YEAR.format(new Date()));
    const [{ n }] = await em.execute(
      `insert into alert_reference_counter (agency_code, year, last_number) values (?, ?, 1)
       on conflict (agency_code, year) do update set last_number = alert_reference_counter.last_number + 1
       returning last_number as n`,
      [this.viewer.agencyCode, year],
    );
    if (n > 999_999) throw new ConflictError(`agency ${this.viewer.agencyCode} has used every reference number of ${year}`);
    return `${this.viewer.agencyCode}-${year}-${String(n).padStart(6, '0')}`;
  }
}

/** Drops null members so that the ORM stores SQL NULL for them. */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as T;
}
