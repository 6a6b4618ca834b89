import type { EntityManager } from '@mikro-orm/postgresql';
import { DisclosureRequest } from '../access/access.entities';
import { disclosureStatusSql } from '../access/access.service';
import { ALL_FIELD_CLASSES } from '../access/field-class';
import type { ProjectedAlert } from '../access/alert-projection';
import { toAgencyType } from '../agencies/agency.type';
import type { AlertService, AlertSettings } from '../alerts/alert.service';
import { text } from '../alerts/alert.validation';
import { DisclosureStatus, FieldClass, Role } from '../common/enums';
import { BadUserInputError, ForbiddenError } from '../common/errors';
import { checkFirst } from '../common/pagination';
import { hasRole, requireAnyRole, type Viewer } from '../identity/viewer';
import { hitHandlesOf } from './probe.service';
import type { HandleDisclosureRequestType } from './probe.types';

/*
 * Disclosure requests through a hit handle: the follow-up of a probe's hit on an alert the
 * requester may not see (or not the matched class on it). The request is an ordinary
 * disclosure_request row (via_handle), so the holder sees it in disclosureRequests and decides
 * it with decideDisclosure; an approval is a grant on that one alert that also makes it visible
 * to the requester, with CORE and the approved classes, until it expires (alert-access.ts).
 * Until then the requester sees the holding agency, the kind and class of the hit and the
 * request's own state, never the alert: not here, not in disclosureRequests, not in an error.
 */

const MAX_JUSTIFICATION = 2000;

/** The one answer for every handle that cannot be used, whatever the reason. */
function unusableHandle(): BadUserInputError {
  return new BadUserInputError('handle: not a hit handle your agency can use (issued to another agency, altered, or older than 30 days)', 'handle');
}

function effectiveStatus(r: DisclosureRequest, now: Date): DisclosureStatus {
  return r.status === DisclosureStatus.APPROVED && r.expiresAt && r.expiresAt.getTime() <= now.getTime() ? DisclosureStatus.EXPIRED : r.status;
}

export class HandleRequestService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly settings: AlertSettings,
    private readonly alerts: AlertService,
  ) {}

  /**
   * The viewer's ANALYST asks the holder of the alert behind `handle` for classes of it; an
   * empty list asks for the class of the hit. Several requests through handles of one alert
   * are allowed: refusing one would tell that two handles name the same alert.
   * @throws ForbiddenError without ANALYST; BadUserInputError for a handle that is not the
   *   viewer's agency's, altered, expired or whose alert is gone (one message for all), for
   *   CORE, or for a missing justification.
   */
  async request(handle: string, classes: readonly FieldClass[], justification: string): Promise<HandleDisclosureRequestType> {
    if (!hasRole(this.viewer, Role.ANALYST)) throw new ForbiddenError(`only an ${Role.ANALYST} may request a disclosure`);
    const claims = hitHandlesOf(this.settings.matchKeys).open(handle, this.viewer.agencyCode);
    if (!claims) throw unusableHandle();
    if (classes.includes(FieldClass.CORE)) throw new BadUserInputError('fieldClasses: CORE is always shared', 'fieldClasses');
    const asked = new Set(classes.length ? classes : [claims.fieldClass]);
    const fieldClasses = ALL_FIELD_CLASSES.filter((c) => asked.has(c));
    const why = text(justification, 'justification', MAX_JUSTIFICATION);
    const [alert] = await this.em.execute<{ origin: string }[]>('select origin_agency_code as origin from alert where id = ?', [claims.alertId]);
    // A handle is only ever issued for a partner's alert; one that names the viewer's own is no handle of its.
    if (!alert || alert.origin === this.viewer.agencyCode) throw unusableHandle();
    const request = this.em.create(DisclosureRequest, {
      alert: claims.alertId,
      requestingAgency: this.viewer.agencyCode,
      requestedBy: this.viewer.subject,
      fieldClasses,
      justification: why,
      status: DisclosureStatus.PENDING,
      createdAt: new Date(),
      viaHandle: true,
      matchedKind: claims.kind,
      matchedFieldClass: claims.fieldClass,
    });
    await this.em.flush();
    return (await this.byIds([request.id]))[0];
  }

  /**
   * The requests the viewer's agency made through handles, newest first.
   * @throws BadUserInputError for `first` above 100.
   */
  async list(status: readonly DisclosureStatus[] | null | undefined, first: number): Promise<HandleDisclosureRequestType[]> {
    requireAnyRole(this.viewer, 'read disclosure requests');
    checkFirst(first);
    if (first === 0 || (status && status.length === 0)) return [];
    const conditions = ['d.requesting_agency_code = ?', 'd.via_handle'];
    const params: unknown[] = [this.viewer.agencyCode];
    if (status) conditions.push(disclosureStatusSql(status, params));
    const rows = await this.em.execute<{ id: string }[]>(
      `select d.id from disclosure_request d where ${conditions.join(' and ')} order by d.created_at desc, d.id desc limit ?`,
      [...params, first],
    );
    return this.byIds(rows.map((r) => r.id));
  }

  /** The requests `ids` as the requester sees them: the alert only while approved (and visible). */
  private async byIds(ids: string[]): Promise<HandleDisclosureRequestType[]> {
    if (ids.length === 0) return [];
    const requests = await this.em.find(DisclosureRequest, { id: { $in: ids } }, { populate: ['alert.originAgency'] });
    const byId = new Map(requests.map((r) => [r.id, r]));
    const now = new Date();
    const approved = requests.filter((r) => effectiveStatus(r, now) === DisclosureStatus.APPROVED).map((r) => r.alert.id);
    const alerts = approved.length ? await this.alerts.getMany(approved) : new Map<string, ProjectedAlert>();
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const status = effectiveStatus(r, now);
      return [
        {
          id: r.id,
          holderAgency: toAgencyType(r.alert.originAgency),
          kind: r.matchedKind!,
          fieldClass: r.matchedFieldClass!,
          fieldClasses: [...r.fieldClasses],
          justification: r.justification,
          requestedBy: r.requestedBy,
          status,
          decisionNote: r.decisionNote ?? null,
          createdAt: r.createdAt,
          decidedAt: r.decidedAt ?? null,
          expiresAt: r.expiresAt ?? null,
          alert: status === DisclosureStatus.APPROVED ? alerts.get(r.alert.id) ?? null : null,
        },
      ];
    });
  }
}
