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
  private readonly reads = new Map<string, Set<FieldClass>>();

  constructor(
    private readonly viewer: Viewer,
    readonly route: AccessRoute,
  ) {}

  record(alertId: string, originAgencyCode: string, granted: ReadonlySet<FieldClass>): void {
    if (originAgencyCode === this.viewer.agencyCode) return;
    const seen = this.reads.get(alertId);
    if (seen) granted.forEach((c) => seen.add(c));
    else this.reads.set(alertId, new Set(granted));
  }

  /**
   * Writes what was collected since the last flush, in one insert; nothing when nothing was
   * read. `subjects` are the officers the reads were shown to: one row per alert and subject
   * (a subscription event rendered once for many subscribers logs each of them).
   */
  async flush(em: EntityManager, subjects: readonly string[] = [this.viewer.subject]): Promise<void> {
    if (this.reads.size === 0 || subjects.length === 0) return;
    const alerts = [...this.reads.keys()];
    const disclosed = alerts.map((id) => ALL_FIELD_CLASSES.filter((c) => this.reads.get(id)!.has(c)).join(','));
    this.reads.clear();
    // Arrays as parameters keep this one statement of constant size however many rows.
    await em.execute(
      `insert into alert_access_log (alert_id, at, agency_code, subject, disclosed, via)
       select r.alert_id, now(), ?, s.subject, string_to_array(r.disclosed, ','), ?
         from unnest(?::uuid[], ?::text[]) as r(alert_id, disclosed)
        cross join unnest(?::text[]) as s(subject)`,
      [this.viewer.agencyCode, this.route, pgArray(alerts), pgArray(disclosed), pgArray([...new Set(subjects)])],
      'run',
    );
  }
}
