import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldClass } from '../common/enums';
import type { Viewer } from '../identity/viewer';
import { ALL_FIELD_CLASSES } from './field-class';
import { pgArray } from '../db/sql';

/** How an alert left its agency. */
export type AccessRoute = 'query' | 'subscription' | 'export' | 'federation';

/**
 * Collects, during one operation (or one subscription event), every alert of another agency
 * that the projection showed the viewer, with the classes it disclosed; `flush` writes them
 * in one statement. Reads of the viewer's own agency's alerts are not logged.
 */
export class AccessLogCollector {
  /** By route, then alert id: the classes shown, and in how many deliveries (see readAgain). */
  private readonly reads = new Map<AccessRoute, Map<string, { classes: Set<FieldClass>; times: number }>>();

  constructor(
    private readonly viewer: Viewer,
    /** The route reads are logged under unless one is named; a router's `_entities` request switches it to `federation`. */
    public route: AccessRoute,
  ) {}

  /** Records a read by this collector's route, or by `route` (a federation entity read inside a query). */
  record(alertId: string, originAgencyCode: string, granted: ReadonlySet<FieldClass>, route: AccessRoute = this.route): void {
    if (originAgencyCode === this.viewer.agencyCode) return;
    let byAlert = this.reads.get(route);
    if (!byAlert) this.reads.set(route, (byAlert = new Map()));
    const seen = byAlert.get(alertId);
    if (seen) granted.forEach((c) => seen.classes.add(c));
    else byAlert.set(alertId, { classes: new Set(granted), times: 1 });
  }

  /**
   * One more read of an alert already recorded under this collector's route: a subscription
   * batch that delivers one alert in several events is a read per event, as when each event
   * went out on its own. Nothing for an alert not recorded (one of the viewer's own agency).
   */
  readAgain(alertId: string): void {
    const seen = this.reads.get(this.route)?.get(alertId);
    if (seen) seen.times++;
  }

  /** The same collector, recording under another route. */
  as(route: AccessRoute): Pick<AccessLogCollector, 'record'> {
    return { record: (alertId, origin, granted) => this.record(alertId, origin, granted, route) };
  }

  /**
   * Writes what was collected since the last flush, in one insert; nothing when nothing was
   * read. `subjects` are the officers the reads were shown to: a subscription event rendered
   * once for many subscribers is one row per read naming all of them (see AccessLogRow).
   */
  async flush(em: EntityManager, subjects: readonly string[] = [this.viewer.subject]): Promise<void> {
    const shownTo = [...new Set(subjects)];
    if (this.reads.size === 0 || shownTo.length === 0) return;
    const alerts: string[] = [];
    const disclosed: string[] = [];
    const routes: string[] = [];
    for (const [route, byAlert] of this.reads) {
      for (const [id, { classes, times }] of byAlert) {
        for (let i = 0; i < times; i++) {
          alerts.push(id);
          disclosed.push(ALL_FIELD_CLASSES.filter((c) => classes.has(c)).join(','));
          routes.push(route);
        }
      }
    }
    this.reads.clear();
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
