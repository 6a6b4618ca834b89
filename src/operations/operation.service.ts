import type { EntityManager } from '@mikro-orm/postgresql';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { operationOpenSql, operationVisibleSql, type AccessSettings } from '../access/alert-access';
import { Agency } from '../agencies/agency.entity';
import { requirePresent } from '../agencies/agency.service';
import { Alert } from '../alerts/alert.entity';
import type { AlertService } from '../alerts/alert.service';
import { text } from '../alerts/alert.validation';
import { normalizeLocode } from '../common/codes';
import { AlertEventKind, OperationEventKind, OperationStatus, Role, TaskStatus } from '../common/enums';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import { OPERATION_LIMITS, OPERATION_MOVES, TASK_MOVES, takesAlerts } from '../common/operation-rules';
import { checkFirst, decodeCursor, encodeCursor } from '../common/pagination';
import { pgArray } from '../db/sql';
import { appendAlertEvent, appendOperationEvent } from '../events/event-log';
import { hasRole, requireAnyRole, type Viewer } from '../identity/viewer';
import { RightsHolder } from '../rights-holders/rights-holder.entity';
import { JointOperation, OperationResult, OperationTask, Seizure } from './operation.entities';
import type {
  CreateJointOperationInput,
  OperationResultInput,
  OperationTaskInput,
  StatisticsFilter,
  UpdateJointOperationInput,
} from './operation.inputs';

const LIMIT = OPERATION_LIMITS;
/**
 * Weeks and months of the statistics are those of the Greater Bay Area's clocks (UTC+8, as the
 * console shows every date): a result reported at 23:30 UTC on a Sunday counts in the next week.
 */
const PERIOD_ZONE = 'Asia/Hong_Kong';
/** Epoch milliseconds of years 1 to 9999: the starts an operations cursor can carry. */
const CURSOR_MS = { min: -62_135_596_800_000, max: 253_402_300_799_999 };
const MAX_INT = 2_147_483_647;

export interface SeizureStatistics {
  totalPieces: number;
  totalCases: number;
  rightsHoldersProtected: number;
  byAgency: { agency: string; pieces: number; cases: number }[];
  byCategory: { category: string; pieces: number; cases: number }[];
  byChannel: { channel: string; pieces: number; cases: number }[];
  /** Start (epoch ms, Monday 00:00 UTC+8) of each week with counted results, oldest first. */
  byWeek: { start: number; pieces: number; cases: number }[];
  /** Start (epoch ms, the 1st at 00:00 UTC+8) of each month with counted results, oldest first. */
  byMonth: { start: number; pieces: number; cases: number }[];
}

export interface OperationPage {
  nodes: { cursor: string; operation: JointOperation }[];
  hasNextPage: boolean;
  countTotal: () => Promise<number>;
}

/**
 * Pieces and cases per week or month of the counted results' report time, in the statistics
 * statement (its `r` and `s`): each result falls in one period, so the periods add up to the
 * totals. Keys are epoch milliseconds of the period's start on UTC+8 clocks.
 */
function periodTotals(unit: 'week' | 'month'): string {
  return `(select coalesce(json_agg(json_build_object('key', x.k, 'pieces', x.pieces, 'cases', x.cases) order by x.k), '[]') from (
            select (extract(epoch from (date_trunc('${unit}', r.reported_at at time zone '${PERIOD_ZONE}') at time zone '${PERIOD_ZONE}')) * 1000)::float8 as k,
                   coalesce(sum((select sum(s.pieces) from s where s.result_id = r.id)), 0) as pieces, sum(r.cases_opened) as cases
            from r group by 1) x)`;
}

function uniqueUpper(list: readonly string[]): string[] {
  return [...new Set(list.map((c) => c.trim().toUpperCase()))];
}

/**
 * Joint operations as one viewer may see and run them. Only participants see an operation and
 * everything that hangs off it; to anyone else it does not exist (null, NOT_FOUND, not counted).
 * The lead's COORDINATORs change the operation; participants report results.
 */
export class OperationService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly settings: AccessSettings,
    private readonly alerts: AlertService,
  ) {}

  private requireReader(): void {
    requireAnyRole(this.viewer, 'read joint operations');
  }

  /** @throws ForbiddenError for a token without any role. */
  checkReader(): void {
    this.requireReader();
  }

  // ---- reads ----------------------------------------------------------------------------

  /** Operations by id, those the viewer takes part in only: one statement for a whole page. */
  private readonly byId = new DataLoader<string, JointOperation | null>(async (ids) => {
    const rows = await this.visibleIds(this.em, ids);
    const found = rows.length
      ? await this.em.find(JointOperation, { id: { $in: rows.map((r) => r.id) } }, { populate: ['leadAgency', 'participants'], strategy: 'select-in' })
      : [];
    const map = new Map(found.map((o) => [o.id, o]));
    return ids.map((id) => map.get(id) ?? null);
  });

  private readonly tasksOf = new DataLoader<string, OperationTask[]>(async (ids) => {
    const tasks = await this.em.find(OperationTask, { operation: { $in: [...ids] } }, { populate: ['assignedAgency'], orderBy: { createdAt: 'asc', id: 'asc' } });
    return ids.map((id) => tasks.filter((t) => t.operation.id === id));
  });

  private readonly resultsOf = new DataLoader<string, OperationResult[]>(async (ids) => {
    const results = await this.em.find(
      OperationResult,
      { operation: { $in: [...ids] } },
      { populate: ['reportingAgency', 'seizures.rightsHolders.recordations', 'corrects'], orderBy: { reportedAt: 'asc', id: 'asc' }, strategy: 'select-in' },
    );
    return ids.map((id) => results.filter((r) => r.operation.id === id));
  });

  /** Of `ids`, those of operations the viewer's agency takes part in, read through `em`. */
  private async visibleIds(em: EntityManager, ids: readonly string[]): Promise<{ id: string }[]> {
    const vis = operationVisibleSql('o', this.viewer.agencyCode);
    const wanted = ids.filter(isUuid);
    return wanted.length ? em.execute(`select o.id from joint_operation o where o.id = any(?::uuid[]) and ${vis.sql}`, [pgArray(wanted), ...vis.params]) : [];
  }

  /** The operation if the viewer's agency takes part in it; else null, as for an unknown id. */
  async get(id: string): Promise<JointOperation | null> {
    this.requireReader();
    return isUuid(id) ? this.byId.load(id) : null;
  }

  /** @throws NotFoundError when the viewer's agency does not take part (as for an unknown id). */
  private async getOrFail(id: string): Promise<JointOperation> {
    const op = await this.get(id);
    if (!op) throw new NotFoundError('joint operation', id);
    return op;
  }

  tasks(operationId: string): Promise<OperationTask[]> {
    return this.tasksOf.load(operationId);
  }

  results(operationId: string): Promise<OperationResult[]> {
    return this.resultsOf.load(operationId);
  }

  /** One result of an operation the viewer takes part in; null otherwise. */
  async result(operationId: string, resultId: string): Promise<OperationResult | null> {
    if (!(await this.get(operationId))) return null;
    return (await this.results(operationId)).find((r) => r.id === resultId) ?? null;
  }

  /**
   * The operations the viewer's agency takes part in, newest start first. `search` keeps those
   * whose code name or objective holds it (any case); blank searches nothing out.
   */
  async list(status: OperationStatus[] | null | undefined, first: number, after: string | null | undefined, search?: string | null): Promise<OperationPage> {
    this.requireReader();
    checkFirst(first);
    const vis = operationVisibleSql('o', this.viewer.agencyCode);
    const where = [vis.sql];
    const params: unknown[] = [...vis.params];
    if (status) {
      where.push('o.status::text = any(?::text[])');
      params.push(pgArray(status));
    }
    const wanted = search?.trim() ?? '';
    if (wanted.length > LIMIT.search) throw new BadUserInputError(`search may be at most ${LIMIT.search} characters`, 'search');
    if (wanted) {
      // Searched as written: % and _ are characters here, not patterns.
      const pattern = `%${wanted.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(o.code_name ilike ? escape '\\' or o.objective ilike ? escape '\\')`);
      params.push(pattern, pattern);
    }
    const countWhere = { sql: where.join(' and '), params: [...params] };
    if (after != null) {
      const v = decodeCursor('operations', after);
      // The start as epoch milliseconds, within the years PostgreSQL and the DateTime scalar share (±1e300 would overflow to_timestamp).
      if (v.length !== 2 || typeof v[0] !== 'number' || !(v[0] >= CURSOR_MS.min && v[0] <= CURSOR_MS.max) || typeof v[1] !== 'string' || !isUuid(v[1])) {
        throw new BadUserInputError('after is not a valid cursor', 'after');
      }
      where.push('(o.starts_on, o.id) < (to_timestamp(? / 1000.0), ?::uuid)');
      params.push(v[0], v[1]);
    }
    const rows: { id: string; k: number }[] =
      first === 0
        ? []
        : await this.em.execute(
            `select o.id, (extract(epoch from o.starts_on) * 1000)::float8 as k from joint_operation o where ${where.join(' and ')} order by o.starts_on desc, o.id desc limit ?`,
            [...params, first + 1],
          );
    const page = rows.slice(0, first);
    const ops = await Promise.all(page.map((r) => this.byId.load(r.id)));
    return {
      nodes: page.map((r, i) => ({ cursor: encodeCursor('operations', [Number(r.k), r.id]), operation: ops[i]! })).filter((n) => n.operation),
      hasNextPage: rows.length > first,
      countTotal: async () => {
        const [{ n }] = await this.em.execute(`select count(*)::int as n from joint_operation o where ${countWhere.sql}`, countWhere.params);
        return n as number;
      },
    };
  }

  // ---- statistics ---------------------------------------------------------------------------

  /**
   * Seizure totals over the results the viewer may see (those of operations its agency takes
   * part in), counting only the latest of each correction chain, in one aggregate statement.
   * A result's cases count once for each category (or channel) its seizures touch.
   */
  async statistics(filter: StatisticsFilter | null | undefined): Promise<SeizureStatistics> {
    this.requireReader();
    const vis = operationVisibleSql('o', this.viewer.agencyCode);
    const where = [vis.sql, 'not exists (select 1 from operation_result c where c.corrects_id = r.id)'];
    const params: unknown[] = [...vis.params];
    if (filter?.operationId != null) {
      if (!isUuid(filter.operationId)) throw new BadUserInputError('filter.operationId does not name a joint operation', 'filter.operationId');
      where.push('r.operation_id = ?');
      params.push(filter.operationId);
    }
    if (filter?.agency != null) {
      where.push('r.reporting_agency_code = ?');
      params.push(filter.agency.trim().toUpperCase());
    }
    if (filter?.from != null) {
      where.push('r.reported_at >= ?');
      params.push(filter.from);
    }
    if (filter?.to != null) {
      where.push('r.reported_at < ?');
      params.push(filter.to);
    }
    const [row] = await this.em.execute(
      `with r as (
         select r.id, r.reporting_agency_code, r.cases_opened, r.reported_at from operation_result r join joint_operation o on o.id = r.operation_id
         where ${where.join(' and ')}
       ), s as (
         select s.id, s.result_id, s.category, s.channel, s.pieces, r.reporting_agency_code from seizure s join r on r.id = s.result_id
       )
       select
         (select coalesce(sum(pieces), 0)::bigint from s) as total_pieces,
         (select coalesce(sum(cases_opened), 0)::bigint from r) as total_cases,
         (select count(distinct srh.rights_holder_id)::int from seizure_rights_holder srh join s on s.id = srh.seizure_id) as rights_holders,
         (select coalesce(json_agg(json_build_object('key', x.k, 'pieces', x.pieces, 'cases', x.cases) order by x.k), '[]') from (
            select r.reporting_agency_code as k, coalesce((select sum(s.pieces) from s where s.reporting_agency_code = r.reporting_agency_code), 0) as pieces, sum(r.cases_opened) as cases
            from r group by r.reporting_agency_code) x) as by_agency,
         (select coalesce(json_agg(json_build_object('key', x.k, 'pieces', x.pieces, 'cases', x.cases) order by x.k), '[]') from (
            select c.category as k, sum(c.pieces) as pieces, sum(c.cases) as cases from (
              select s.category, sum(s.pieces) as pieces, max(r.cases_opened) as cases from s join r on r.id = s.result_id group by s.category, s.result_id) c
            group by c.category) x) as by_category,
         (select coalesce(json_agg(json_build_object('key', x.k, 'pieces', x.pieces, 'cases', x.cases) order by x.k), '[]') from (
            select c.channel as k, sum(c.pieces) as pieces, sum(c.cases) as cases from (
              select s.channel, sum(s.pieces) as pieces, max(r.cases_opened) as cases from s join r on r.id = s.result_id group by s.channel, s.result_id) c
            group by c.channel) x) as by_channel,
         ${periodTotals('week')} as by_week,
         ${periodTotals('month')} as by_month`,
      params,
    );
    const totals = (raw: unknown, key: string) =>
      (typeof raw === 'string' ? JSON.parse(raw) : (raw as { key: string; pieces: number; cases: number }[])).map((t: { key: string; pieces: number; cases: number }) => ({
        [key]: t.key,
        pieces: Number(t.pieces),
        cases: Number(t.cases),
      }));
    return {
      totalPieces: Number(row.total_pieces),
      totalCases: Number(row.total_cases),
      rightsHoldersProtected: Number(row.rights_holders),
      byAgency: totals(row.by_agency, 'agency'),
      byCategory: totals(row.by_category, 'category'),
      byChannel: totals(row.by_channel, 'channel'),
      byWeek: totals(row.by_week, 'start'),
      byMonth: totals(row.by_month, 'start'),
    } as SeizureStatistics;
  }

  // ---- changes ------------------------------------------------------------------------------

  /** @param already participants the operation has: they stay, even while away from the hub. */
  private async agencies(em: EntityManager, codes: readonly string[], field: string, already: readonly string[] = []): Promise<Agency[]> {
    const found = codes.length ? await em.find(Agency, { code: { $in: [...codes] } }) : [];
    const missing = codes.filter((c) => !found.some((a) => a.code === c));
    if (missing.length) throw new BadUserInputError(`${field}: unknown agency ${missing[0]}`, field);
    requirePresent(found, field, already);
    return found;
  }

  private targets(input: { targetPorts?: string[] | null; targetChannels?: unknown[] | null; targetCategories?: unknown[] | null }, at: string) {
    for (const k of ['targetPorts', 'targetChannels', 'targetCategories'] as const) {
      if ((input[k]?.length ?? 0) > LIMIT.targets) throw new BadUserInputError(`${at}.${k} may list at most ${LIMIT.targets} values`, `${at}.${k}`);
    }
    return input.targetPorts?.map((p, i) => {
      const v = normalizeLocode(p);
      if (!v) throw new BadUserInputError(`${at}.targetPorts[${i}] must be a UN/LOCODE such as CNSHK`, `${at}.targetPorts[${i}]`);
      return v;
    });
  }

  /** Runs a change in one transaction; a concurrent writer that got there first is CONFLICT. */
  private async change<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.em.transactional(fn);
    } catch (e) {
      if (e instanceof OptimisticLockError) throw new ConflictError('the operation was changed by someone else meanwhile: reload it and apply the change again');
      if (e instanceof UniqueConstraintViolationException) {
        throw new ConflictError(
          e.message.includes('corrects_id')
            ? 'that result was corrected already: correct the latest one'
            : 'your agency already leads an operation with that code name',
        );
      }
      throw e;
    }
  }

  /** Loads an operation for a change by the lead's COORDINATOR at `version`. */
  private async loadForLead(em: EntityManager, id: string, version: number | null): Promise<JointOperation> {
    if (!hasRole(this.viewer, Role.COORDINATOR)) throw new ForbiddenError("only the lead agency's COORDINATORs change a joint operation");
    // Read in the transaction: the request's own loaders would take a second pooled connection
    // while this one is held, and a burst of changes would hold the whole pool waiting.
    if ((await this.visibleIds(em, [id])).length === 0) throw new NotFoundError('joint operation', id);
    const op = await em.findOneOrFail(JointOperation, id, { populate: ['leadAgency', 'participants'] });
    if (op.leadAgency.code !== this.viewer.agencyCode) throw new ForbiddenError("only the lead agency's COORDINATORs change a joint operation");
    if (version !== null && op.version !== version) {
      throw new ConflictError(`joint operation ${id} is at version ${op.version}, not ${version}: reload it and apply the change again`);
    }
    return op;
  }

  private reload(id: string): Promise<JointOperation> {
    this.em.clear();
    this.byId.clearAll();
    return this.getOrFail(id);
  }

  /** A COORDINATOR plans an operation; its agency leads and always takes part. */
  async create(input: CreateJointOperationInput): Promise<JointOperation> {
    if (!hasRole(this.viewer, Role.COORDINATOR)) throw new ForbiddenError('only a COORDINATOR plans joint operations');
    const codeName = text(input.codeName, 'input.codeName', LIMIT.codeName);
    const objective = text(input.objective, 'input.objective', LIMIT.objective);
    if (input.participants.length > LIMIT.participants) throw new BadUserInputError(`input.participants may list at most ${LIMIT.participants} agencies`, 'input.participants');
    if (input.endsOn && input.endsOn.getTime() < input.startsOn.getTime()) throw new BadUserInputError('input.endsOn must not be before startsOn', 'input.endsOn');
    const ports = this.targets(input, 'input');
    const id = await this.change(async (em) => {
      const codes = uniqueUpper([this.viewer.agencyCode, ...input.participants]);
      const participants = await this.agencies(em, codes, 'input.participants');
      const op = em.create(JointOperation, {
        codeName,
        objective,
        leadAgency: this.viewer.agencyCode,
        status: OperationStatus.PLANNED,
        startsOn: input.startsOn,
        endsOn: input.endsOn ?? undefined,
        targetChannels: [...new Set(input.targetChannels ?? [])],
        targetCategories: [...new Set(input.targetCategories ?? [])],
        targetPorts: [...new Set(ports ?? [])],
        createdBy: this.viewer.subject,
        createdAt: new Date(),
        updatedAt: new Date(),
        version: 1,
      });
      op.participants.set(participants);
      await em.flush();
      await appendOperationEvent(em, op.id, OperationEventKind.CREATED);
      return op.id;
    });
    return this.reload(id);
  }

  /** The lead's COORDINATOR changes the plan; a participant removed loses its view at once. */
  async update(id: string, version: number, input: UpdateJointOperationInput): Promise<JointOperation> {
    const objective = input.objective == null ? undefined : text(input.objective, 'input.objective', LIMIT.objective);
    if ((input.participants?.length ?? 0) > LIMIT.participants) throw new BadUserInputError(`input.participants may list at most ${LIMIT.participants} agencies`, 'input.participants');
    const ports = this.targets(input, 'input');
    await this.change(async (em) => {
      const op = await this.loadForLead(em, id, version);
      if (op.status === OperationStatus.CONCLUDED || op.status === OperationStatus.CANCELLED) {
        throw new BadUserInputError(`a ${op.status} operation cannot be changed`, 'id');
      }
      if (objective !== undefined) op.objective = objective;
      if (input.endsOn !== undefined) {
        if (input.endsOn && input.endsOn.getTime() < op.startsOn.getTime()) throw new BadUserInputError('input.endsOn must not be before startsOn', 'input.endsOn');
        op.endsOn = input.endsOn ?? undefined;
      }
      if (input.targetChannels != null) op.targetChannels = [...new Set(input.targetChannels)];
      if (input.targetCategories != null) op.targetCategories = [...new Set(input.targetCategories)];
      if (ports) op.targetPorts = [...new Set(ports)];
      if (input.participants != null) {
        // The lead always takes part.
        const current = (await op.participants.loadItems()).map((a) => a.code);
        op.participants.set(await this.agencies(em, uniqueUpper([op.leadAgency.code, ...input.participants]), 'input.participants', current));
      }
      op.updatedAt = new Date();
      await em.flush();
      await appendOperationEvent(em, op.id, OperationEventKind.UPDATED);
    });
    return this.reload(id);
  }

  /** PLANNED → ACTIVE → CONCLUDED; PLANNED or ACTIVE → CANCELLED. */
  async setStatus(id: string, version: number, status: OperationStatus): Promise<JointOperation> {
    await this.change(async (em) => {
      const op = await this.loadForLead(em, id, version);
      if (!OPERATION_MOVES[op.status].includes(status)) {
        const allowed = OPERATION_MOVES[op.status];
        throw new BadUserInputError(`status: an operation that is ${op.status} cannot become ${status}` + (allowed.length ? `; it can become ${allowed.join(' or ')}` : ''), 'status');
      }
      op.status = status;
      op.updatedAt = new Date();
      if (status === OperationStatus.CONCLUDED || status === OperationStatus.CANCELLED) op.closedAt = op.updatedAt;
      await em.flush();
      await appendOperationEvent(em, op.id, OperationEventKind.STATUS_CHANGED);
    });
    return this.reload(id);
  }

  /** The lead's COORDINATOR assigns a task to a participant. */
  async addTask(operationId: string, input: OperationTaskInput): Promise<OperationTask> {
    const title = text(input.title, 'input.title', LIMIT.title);
    const description = input.description == null ? undefined : text(input.description, 'input.description', LIMIT.description);
    const taskId = await this.change(async (em) => {
      const op = await this.loadForLead(em, operationId, null);
      if (op.status === OperationStatus.CONCLUDED || op.status === OperationStatus.CANCELLED) {
        throw new BadUserInputError(`a ${op.status} operation takes no new tasks`, 'operationId');
      }
      const assigned = input.assignedAgency.trim().toUpperCase();
      if (!op.participants.getItems().some((a) => a.code === assigned)) {
        throw new BadUserInputError('input.assignedAgency must take part in the operation', 'input.assignedAgency');
      }
      const task = em.create(OperationTask, {
        operation: op,
        assignedAgency: assigned,
        title,
        description,
        dueAt: input.dueAt ?? undefined,
        status: TaskStatus.OPEN,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await em.flush();
      await appendOperationEvent(em, op.id, OperationEventKind.TASK_CHANGED);
      return task.id;
    });
    this.em.clear();
    return this.em.findOneOrFail(OperationTask, taskId, { populate: ['assignedAgency'] });
  }

  /** OPEN → IN_PROGRESS → DONE, by a COORDINATOR or ANALYST of the assigned agency, or the lead's COORDINATOR. */
  async setTaskStatus(taskId: string, status: TaskStatus): Promise<OperationTask> {
    this.requireReader();
    const task = isUuid(taskId) ? await this.em.findOne(OperationTask, taskId, { populate: ['assignedAgency', 'operation'] }) : null;
    const op = task ? await this.get(task.operation.id) : null;
    if (!task || !op) throw new NotFoundError('task', taskId);
    const assignee = task.assignedAgency.code === this.viewer.agencyCode && hasRole(this.viewer, Role.COORDINATOR, Role.ANALYST);
    const lead = op.leadAgency.code === this.viewer.agencyCode && hasRole(this.viewer, Role.COORDINATOR);
    if (!assignee && !lead) throw new ForbiddenError("only the assigned agency's COORDINATORs and ANALYSTs, or the lead's COORDINATORs, move a task");
    if (!TASK_MOVES[task.status].includes(status)) {
      throw new BadUserInputError(`status: a task that is ${task.status} cannot become ${status}`, 'status');
    }
    // The move is conditional on the status read: a concurrent mover finds it moved.
    await this.em.transactional(async (em) => {
      const res = await em.execute(`update operation_task set status = ?, updated_at = now() where id = ? and status = ?`, [status, taskId, task.status], 'run');
      if ((res as { affectedRows?: number }).affectedRows === 0) throw new ConflictError('the task was moved by someone else meanwhile');
      await appendOperationEvent(em, op.id, OperationEventKind.TASK_CHANGED);
    });
    this.em.clear();
    return this.em.findOneOrFail(OperationTask, taskId, { populate: ['assignedAgency'] });
  }

  /** The alert's originator (COORDINATOR or ANALYST of a participant) links it to the operation. */
  async linkAlert(operationId: string, alertId: string): Promise<JointOperation> {
    if (!hasRole(this.viewer, Role.COORDINATOR, Role.ANALYST)) throw new ForbiddenError('only a COORDINATOR or ANALYST links alerts');
    const op = await this.getOrFail(operationId);
    if (!takesAlerts(op.status)) {
      throw new BadUserInputError(`a ${op.status} operation takes no new alerts`, 'operationId');
    }
    const alert = (await this.alerts.getMany([alertId])).get(alertId);
    if (!alert) throw new NotFoundError('alert', alertId);
    if (alert.originAgency.code !== this.viewer.agencyCode) throw new ForbiddenError("only the alert's originating agency links it to an operation");
    await this.em.transactional(async (em) => {
      const res = await em.execute(`insert into joint_operation_alert (operation_id, alert_id) values (?, ?) on conflict do nothing`, [operationId, alertId], 'run');
      // Linking twice changes nothing and says nothing twice.
      if ((res as { affectedRows?: number }).affectedRows) await appendOperationEvent(em, operationId, OperationEventKind.ALERT_LINKED);
    });
    return this.reload(operationId);
  }

  /**
   * The alert's originator (COORDINATOR or ANALYST of a participant) takes it off a PLANNED or
   * ACTIVE operation; an alert a result of the operation names stays linked (the result reports
   * on it). Unlinking an alert that is not linked changes nothing and says nothing.
   */
  async unlinkAlert(operationId: string, alertId: string): Promise<JointOperation> {
    if (!hasRole(this.viewer, Role.COORDINATOR, Role.ANALYST)) throw new ForbiddenError('only a COORDINATOR or ANALYST unlinks alerts');
    const op = await this.getOrFail(operationId);
    if (!takesAlerts(op.status)) {
      throw new BadUserInputError(`a ${op.status} operation keeps its alerts as they were`, 'operationId');
    }
    const alert = (await this.alerts.getMany([alertId])).get(alertId);
    if (!alert) throw new NotFoundError('alert', alertId);
    if (alert.originAgency.code !== this.viewer.agencyCode) throw new ForbiddenError("only the alert's originating agency unlinks it from an operation");
    await this.em.transactional(async (em) => {
      const [named] = await em.execute(
        `select exists (select 1 from operation_result_alert ra join operation_result r on r.id = ra.result_id where r.operation_id = ? and ra.alert_id = ?) as named`,
        [operationId, alertId],
      );
      if (named.named) throw new BadUserInputError('a result reported in this operation names the alert: it stays linked', 'alertId');
      const res = await em.execute(`delete from joint_operation_alert where operation_id = ? and alert_id = ?`, [operationId, alertId], 'run');
      if ((res as { affectedRows?: number }).affectedRows) await appendOperationEvent(em, operationId, OperationEventKind.ALERT_UNLINKED);
    });
    return this.reload(operationId);
  }

  /**
   * A participant's COORDINATOR or ANALYST reports results while the operation is ACTIVE, or
   * within the window after it concluded. Results are append-only; a correction names the
   * result it replaces. Named alerts must be linked to the operation; those of the reporter's
   * own agency move to SEIZED.
   */
  async report(operationId: string, input: OperationResultInput): Promise<OperationResult> {
    if (!hasRole(this.viewer, Role.COORDINATOR, Role.ANALYST)) throw new ForbiddenError('only a COORDINATOR or ANALYST reports results');
    const op = await this.getOrFail(operationId);
    const open = operationOpenSql('o', this.settings);
    const [{ ok }] = await this.em.execute(`select (o.status = 'ACTIVE' or (o.status = 'CONCLUDED' and ${open.sql})) as ok from joint_operation o where o.id = ?`, [...open.params, op.id]);
    if (!ok) {
      throw new BadUserInputError(
        `results are reported while the operation is ACTIVE or within ${this.settings.operationWindowDays} days after it concluded; it is ${op.status}`,
        'operationId',
      );
    }
    if (!Number.isInteger(input.casesOpened) || input.casesOpened < 0 || input.casesOpened > LIMIT.cases) {
      throw new BadUserInputError('input.casesOpened must be a whole number from 0', 'input.casesOpened');
    }
    if (input.seizures.length > LIMIT.seizures) throw new BadUserInputError(`input.seizures must have at most ${LIMIT.seizures} entries`, 'input.seizures');
    const notes = input.notes == null ? undefined : text(input.notes, 'input.notes', LIMIT.notes);
    const seizures = input.seizures.map((s, i) => {
      const at = `input.seizures[${i}]`;
      if (!Number.isInteger(s.pieces) || s.pieces <= 0 || s.pieces > LIMIT.pieces) throw new BadUserInputError(`${at}.pieces must be a whole number above zero`, `${at}.pieces`);
      return { ...s, place: s.place == null ? undefined : text(s.place, `${at}.place`, LIMIT.place), rightsHolderIds: [...new Set(s.rightsHolderIds ?? [])] };
    });
    const alertIds = [...new Set(input.alertIds ?? [])];
    if (alertIds.length > LIMIT.alerts) throw new BadUserInputError(`input.alertIds must have at most ${LIMIT.alerts} entries`, 'input.alertIds');

    const seized: string[] = [];
    const newPieces = seizures.reduce((sum, s) => sum + s.pieces, 0);
    const resultId = await this.change(async (em) => {
      // The hub-wide totals (latest results only) must stay representable; a lock keeps two
      // reporters from passing the check together.
      await em.execute('select pg_advisory_xact_lock(hashtext(?))', ['operation-result-totals']);
      const [totals] = await em.execute(
        `select coalesce((select sum(s.pieces) from seizure s join operation_result r on r.id = s.result_id where not exists (select 1 from operation_result c where c.corrects_id = r.id)), 0)::float8 as pieces,
                coalesce((select sum(r.cases_opened) from operation_result r where not exists (select 1 from operation_result c where c.corrects_id = r.id)), 0)::float8 as cases`,
      );
      if (Number(totals.pieces) + newPieces > MAX_INT || Number(totals.cases) + input.casesOpened > MAX_INT) {
        throw new BadUserInputError('input.seizures: these figures would carry the statistics past what they can represent', 'input.seizures');
      }
      let corrects: OperationResult | undefined;
      if (input.correctsResultId != null) {
        corrects = (isUuid(input.correctsResultId) ? await em.findOne(OperationResult, input.correctsResultId, { populate: ['reportingAgency'] }) : null) ?? undefined;
        if (!corrects || corrects.operation.id !== op.id || corrects.reportingAgency.code !== this.viewer.agencyCode) {
          throw new BadUserInputError("input.correctsResultId must name one of your agency's results in this operation", 'input.correctsResultId');
        }
        if ((await em.count(OperationResult, { corrects: corrects.id })) > 0) {
          throw new ConflictError('that result was corrected already: correct the latest one');
        }
      }
      const holderIds = [...new Set(seizures.flatMap((s) => s.rightsHolderIds))];
      const holders = holderIds.length ? await em.find(RightsHolder, { id: { $in: holderIds.filter(isUuid) } }) : [];
      const unknown = holderIds.find((h) => !holders.some((x) => x.id === h));
      if (unknown) {
        const i = seizures.findIndex((s) => s.rightsHolderIds.includes(unknown));
        throw new BadUserInputError(`input.seizures[${i}].rightsHolderIds: unknown rights holder ${unknown}`, `input.seizures[${i}].rightsHolderIds`);
      }
      const linked: { alert_id: string }[] = alertIds.length
        ? await em.execute(`select alert_id from joint_operation_alert where operation_id = ? and alert_id = any(?::uuid[])`, [op.id, pgArray(alertIds.filter(isUuid))])
        : [];
      // Visibility in this transaction (not through the alert service's own connection).
      const vis = this.alerts.visibleSql('a');
      const visible: { id: string }[] = alertIds.length
        ? await em.execute(`select a.id from alert a where a.id = any(?::uuid[]) and ${vis.sql}`, [pgArray(alertIds.filter(isUuid)), ...vis.params])
        : [];
      const bad = alertIds.find((a) => !visible.some((v) => v.id === a) || !linked.some((l) => l.alert_id === a));
      if (bad) throw new BadUserInputError(`input.alertIds: ${bad} is not an alert linked to this operation`, 'input.alertIds');

      const result = em.create(OperationResult, {
        operation: op.id,
        reportingAgency: this.viewer.agencyCode,
        reportedBy: this.viewer.subject,
        reportedAt: new Date(),
        casesOpened: input.casesOpened,
        notes,
        corrects,
      });
      seizures.forEach((s, position) => {
        const seizure = em.create(Seizure, { result, position, category: s.category, infringement: s.infringement, channel: s.channel, pieces: s.pieces, place: s.place });
        seizure.rightsHolders.set(holders.filter((h) => s.rightsHolderIds.includes(h.id)));
      });
      if (alertIds.length) result.alerts.set(alertIds.map((a) => em.getReference(Alert, a)));

      // The reporter's own alerts that the result answers are seized, along their lifecycle.
      const own = alertIds.length ? await em.find(Alert, { id: { $in: alertIds }, originAgency: this.viewer.agencyCode }) : [];
      for (const alert of own) {
        if (this.alerts.seizeWithin(em, alert, `result reported in joint operation ${op.codeName}`)) seized.push(alert.id);
      }
      await em.flush();
      for (const id of seized) await appendAlertEvent(em, id, AlertEventKind.STATUS_CHANGED);
      await appendOperationEvent(em, op.id, OperationEventKind.RESULT_REPORTED, result.id);
      return result.id;
    });
    this.em.clear();
    this.resultsOf.clearAll();
    return this.em.findOneOrFail(OperationResult, resultId, { populate: ['reportingAgency', 'seizures.rightsHolders.recordations', 'corrects'] });
  }
}
