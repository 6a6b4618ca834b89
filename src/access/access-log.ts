import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldClass } from '../common/enums';
import type { Viewer } from '../identity/viewer';
import { ALL_FIELD_CLASSES } from './field-class';
import { pgArray } from '../db/sql';

/** How an alert left its agency. */
export type AccessRoute = 'query' | 'subscription' | 'export' | 'federation';

/** One read of one alert: the classes of the fields it showed. */
interface Read {
  alertId: string;
  route: AccessRoute;
  classes: Set<FieldClass>;
}

/**
 * Collects, during one operation (or one subscription event), every alert of another agency
 * that the operation showed the viewer, with the classes of the fields it showed; `flush`
 * writes them in one statement. An alert projected but not shown (a count, a page's cursors)
 * is not logged, and neither is a withheld field (it shows nothing). Reads of the viewer's own
 * agency's alerts are not logged.
 */
export class AccessLogCollector {
  /** The reads collected since the last flush, in the order they were first shown. */
  private reads: Read[] = [];
  /** The reads of the current delivery, by route and alert (see beginRead). */
  private current = new Map<string, Read>();

  constructor(
    private readonly viewer: Viewer,
    /** The route reads are logged under unless one is named; a router's `_entities` request switches it to `federation`. */
    public route: AccessRoute,
  ) {}

  /**
   * What the projection of a partner's alert calls with each field class it shows (see
   * field-class.ts); undefined for an alert of the viewer's own agency.
   * @param route this collector's route unless named (a federation entity read inside a query).
   */
  reader(alertId: string, originAgencyCode: string, route?: AccessRoute): ((cls: FieldClass) => void) | undefined {
    if (originAgencyCode === this.viewer.agencyCode) return undefined;
    return (cls) => this.shown(alertId, route ?? this.route, cls);
  }

  /**
   * Starts another delivery: a subscription batch that shows one alert in several events is
   * a read per event, as when each event went out on its own. Within one delivery (a query)
   * an alert shown in several places is one read.
   */
  beginRead(): void {
    this.current.clear();
  }

  /** The same collector, recording under another route. */
  as(route: AccessRoute): Pick<AccessLogCollector, 'reader'> {
    return { reader: (alertId, origin) => this.reader(alertId, origin, route) };
  }

  private shown(alertId: string, route: AccessRoute, cls: FieldClass): void {
    const key = `${route} ${alertId}`;
    let read = this.current.get(key);
    if (!read) {
      read = { alertId, route, classes: new Set() };
      this.current.set(key, read);
      this.reads.push(read);
    }
    read.classes.add(cls);
  }

  /**
   * Writes what was collected since the last flush, in one insert; nothing when nothing was
   * read. `subjects` are the officers the reads were shown to: a subscription event rendered
   * once for many subscribers is one row per read naming all of them (see AccessLogRow).
   */
  async flush(em: EntityManager, subjects: readonly string[] = [this.viewer.subject]): Promise<void> {
    const shownTo = [...new Set(subjects)];
    if (this.reads.length === 0 || shownTo.length === 0) return;
    const alerts: string[] = [];
    const disclosed: string[] = [];
    const routes: string[] = [];
    for (const { alertId, route, classes } of this.reads) {
      alerts.push(alertId);
      disclosed.push(ALL_FIELD_CLASSES.filter((c) => classes.has(c)).join(','));
      routes.push(route);
    }
    this.reads = [];
    this.current.clear();
    // Arrays as parameters keep this one statement of constant size however many rows.
    await em.execute(
      `insert into alert_access_log (alert_id, at, agency_code, subjects, disclosed, via)
       select r.alert_id, now(), ?, ?::text[], string_to_array(r.disclosed, ','), r.via
         from unnest(?::uuid[], ?::text[], ?::text[]) as r(alert_id, disclosed, via)`,
      [this.viewer.agencyCode, pgArray(shownTo), pgArray(alerts), pgArray(disclosed), pgArray(routes)],
      'run',
    );
  }
}
