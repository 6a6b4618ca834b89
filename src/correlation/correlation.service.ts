import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgencyService } from '../agencies/agency.service';
import { toAgencyType } from '../agencies/agency.type';
import type { AlertService } from '../alerts/alert.service';
import { isTimestampText } from '../alerts/alert.service';
import { FieldClass, IdentifierKind, Role } from '../common/enums';
import { BadUserInputError, ForbiddenError } from '../common/errors';
import { isUuid } from '../common/ids';
import { checkFirst, decodeCursor, encodeCursor } from '../common/pagination';
import { preparedQuery } from '../db/sql';
import { hasRole, type Viewer } from '../identity/viewer';
import type { HitHandles } from './hit-handle';
import { CorrelationType } from './correlation.types';

/** One side of a pair, as stored. */
interface CorrelationRow {
  id: string;
  alert_id: string;
  other_alert_id: string;
  other_agency_code: string;
  kind: IdentifierKind;
  field_class: FieldClass;
  same_agency: boolean;
  created_at: Date | string;
  ended_at: Date | string | null;
  /** created_at as PostgreSQL writes it, to the microsecond: the keyset value of a cursor. */
  k: string;
}

export interface CorrelationPage {
  nodes: { cursor: string; correlation: CorrelationType }[];
  hasNextPage: boolean;
  countTotal: () => Promise<number>;
}

const COLUMNS = `c.id, c.alert_id, c.other_alert_id, c.other_agency_code, c.kind, c.field_class, c.same_agency, c.created_at, c.ended_at, c.created_at::text as k`;
const CURSOR_KIND = 'correlations';

/**
 * Correlations as one agency sees them: only the rows of its own alerts (`agency_code`), so an
 * agency that originated neither alert has none to find, count or be told of. The other alert
 * is read through AlertService, the access rules and projection of every read (and its access
 * log); where the viewer may not see it, a hit handle sealed for the viewer's agency stands in.
 */
export class CorrelationService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly alerts: AlertService,
    private readonly agencies: AgencyService,
    private readonly handles: HitHandles,
  ) {}

  /**
   * Correlations tell which partners hold what identifiers: for the analysts who work the
   * alerts, as the probe (matchIdentifiers) is.
   * @throws ForbiddenError for a viewer without ANALYST.
   */
  checkReader(): void {
    if (!hasRole(this.viewer, Role.ANALYST)) throw new ForbiddenError("only an ANALYST reads its agency's correlations");
  }

  /**
   * One page of the live correlations of the viewer's agency's alerts (of `alertId` alone when
   * given), newest first.
   * @throws NotFoundError for an alertId the viewer cannot see, ForbiddenError for a partner's
   *   alert it can see (only originators read correlations), BadUserInputError for `first`
   *   out of range or a cursor this hub did not make.
   */
  async list(alertId: string | null | undefined, first: number, after: string | null | undefined): Promise<CorrelationPage> {
    this.checkReader();
    checkFirst(first);
    if (alertId != null) await this.alerts.requireOwn(alertId, "only an alert's originating agency reads its correlations");
    const where = ['c.agency_code = ?', 'c.ended_at is null'];
    const params: unknown[] = [this.viewer.agencyCode];
    if (alertId != null) {
      where.push('c.alert_id = ?');
      params.push(alertId.toLowerCase());
    }
    const countTotal = async () => {
      const [{ n }] = await preparedQuery(this.em)<{ n: number }>(`select count(*)::int as n from correlation c where ${where.join(' and ')}`, params);
      return n;
    };
    if (after != null) {
      const values = decodeCursor(CURSOR_KIND, after);
      if (values.length !== 2 || !isTimestampText(values[0]) || values[0] === '-infinity' || typeof values[1] !== 'string' || !isUuid(values[1])) {
        throw new BadUserInputError('after is not a valid cursor', 'after');
      }
      where.push('(c.created_at, c.id) < (?::timestamptz, ?::uuid)');
      params.push(values[0], values[1]);
    }
    if (first === 0) return { nodes: [], hasNextPage: false, countTotal };
    // The limit is written into the text (a checked integer), as the alert pages do.
    const rows = await preparedQuery(this.em)<CorrelationRow>(
      `select ${COLUMNS} from correlation c where ${where.join(' and ')} order by c.created_at desc, c.id desc limit ${first + 1}`,
      params,
    );
    const page = rows.slice(0, first);
    const shown = await this.show(page);
    return {
      nodes: page.flatMap((r, i) => (shown[i] ? [{ cursor: encodeCursor(CURSOR_KIND, [r.k, r.id]), correlation: shown[i]! }] : [])),
      hasNextPage: rows.length > first,
      countTotal,
    };
  }

  /**
   * The correlations of `ids` that are the viewer's agency's side (ended ones too, for their
   * events), in the order asked; null for one that is not, or no longer exists.
   */
  async getMany(ids: readonly string[]): Promise<(CorrelationType | null)[]> {
    const wanted = [...new Set(ids.filter(isUuid))];
    if (wanted.length === 0) return ids.map(() => null);
    const rows = await preparedQuery(this.em)<CorrelationRow>(`select ${COLUMNS} from correlation c where c.id = any(?::uuid[]) and c.agency_code = ?`, [
      wanted,
      this.viewer.agencyCode,
    ]);
    const shown = await this.show(rows);
    const byId = new Map(rows.map((r, i) => [r.id, shown[i]]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Per pair of `rows` ("alert:other"), the classes of its live correlations of the viewer's side. */
  private async pairClasses(rows: readonly CorrelationRow[]): Promise<Map<string, FieldClass[]>> {
    const found = await preparedQuery(this.em)<{ alert_id: string; other_alert_id: string; classes: FieldClass[] | string }>(
      `select c.alert_id, c.other_alert_id, array_agg(distinct c.field_class) as classes from correlation c
        where c.agency_code = ? and c.ended_at is null and c.alert_id = any(?::uuid[]) and c.other_alert_id = any(?::uuid[])
        group by c.alert_id, c.other_alert_id`,
      [this.viewer.agencyCode, [...new Set(rows.map((r) => r.alert_id))], [...new Set(rows.map((r) => r.other_alert_id))]],
    );
    const out = new Map<string, FieldClass[]>();
    for (const f of found) {
      const classes = Array.isArray(f.classes) ? f.classes : (String(f.classes).replace(/^\{|\}$/g, '').split(',') as FieldClass[]);
      out.set(`${f.alert_id}:${f.other_alert_id}`, classes);
    }
    return out;
  }

  /** The rows as the viewer sees them: both alerts projected in one read, the agencies in one. */
  private async show(rows: readonly CorrelationRow[]): Promise<(CorrelationType | null)[]> {
    if (rows.length === 0) return [];
    const alerts = await this.alerts.getMany(rows.flatMap((r) => [r.alert_id, r.other_alert_id]));
    const agencies = await this.agencies.getMany(rows.map((r) => r.other_agency_code));
    const pairClasses = await this.pairClasses(rows);
    return rows.map((r) => {
      const alert = alerts.get(r.alert_id);
      const agency = agencies.get(r.other_agency_code);
      // The viewer's own alert is always visible to it; anything else is a row of another agency.
      if (!alert || !agency) return null;
      // As for the probe: the other alert is named only where the viewer also holds the matched
      // class on it. Naming an alert whose class is withheld would tell the viewer that field's
      // value (it is the viewer's own identifier), so a handle stands in for it then too.
      // And per pair, not per row: one pair correlates once per kind it shares, all at once. A
      // bill of lading named beside a phone as a handle, on one pair, would tie the handle to the
      // named alert. So the other alert is named on no row of the pair unless every class the
      // pair shares is granted on it.
      const seen = alerts.get(r.other_alert_id);
      const classes = [r.field_class, ...(pairClasses.get(`${r.alert_id}:${r.other_alert_id}`) ?? [])];
      const other = seen && !classes.some((c) => seen.withheld.includes(c)) ? seen : null;
      return Object.assign(new CorrelationType(), {
        id: r.id,
        alert,
        kind: r.kind,
        fieldClass: r.field_class,
        otherAgency: toAgencyType(agency),
        sameAgency: r.same_agency,
        other,
        otherReference: other?.reference ?? null,
        handle: other
          ? null
          : this.handles.seal({ alertId: r.other_alert_id, holderAgency: r.other_agency_code, kind: r.kind, fieldClass: r.field_class, issuedTo: this.viewer.agencyCode }),
        createdAt: asDate(r.created_at)!,
        endedAt: asDate(r.ended_at),
      });
    });
  }
}

/** A timestamp as the driver gives it (text on the hub's connections, which parse no dates). */
function asDate(v: Date | string | null): Date | null {
  return v == null ? null : v instanceof Date ? v : new Date(v);
}
