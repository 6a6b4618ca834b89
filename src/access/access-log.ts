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

  /** Writes what was collected since the last flush, in one insert; nothing when nothing was read. */
  async flush(em: EntityManager): Promise<void> {
    if (this.reads.size === 0) return;
    const at = new Date();
    const rows = [...this.reads].map(([alertId, classes]) => ({
      alert_id: alertId,
      at,
      agency_code: this.viewer.agencyCode,
      subject: this.viewer.subject,
      disclosed: pgArray(ALL_FIELD_CLASSES.filter((c) => classes.has(c))),
      via: this.route,
    }));
    this.reads.clear();
    await em.execute(em.getKnex()('alert_access_log').insert(rows));
  }
}
