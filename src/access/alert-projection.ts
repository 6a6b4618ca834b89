import type { AgencyRecord, AlertRecord, PartyRecord } from '../alerts/alert-record';
import {
  AlertType,
  DistributionType,
  GoodsLineType,
  IntelligenceSourceType,
  PartyType,
} from '../alerts/alert.types';
import { toAgencyType } from '../agencies/agency.type';
import type { FieldClass } from '../common/enums';
import { IprRecordationType, RightsHolderType } from '../rights-holders/rights-holder.type';
import { ALL_FIELD_CLASSES, GRANTED, SHOWN, fieldClassesOf, type Projected } from './field-class';

export type ProjectedAlert = AlertType & Projected;

/** What a grant withholds, worked out once per distinct grant (there are few). */
interface Withholding {
  /** The classes not granted, in the contract's order (the `withheld` field). */
  classes: FieldClass[];
  /** The fields of AlertType whose class is not granted. */
  fields: string[];
}

const withholdings = new WeakMap<ReadonlySet<FieldClass>, Withholding>();

function withholdingOf(granted: ReadonlySet<FieldClass>): Withholding {
  let w = withholdings.get(granted);
  if (!w) {
    w = {
      classes: ALL_FIELD_CLASSES.filter((c) => !granted.has(c)),
      fields: [...fieldClassesOf(AlertType)].filter(([, cls]) => !granted.has(cls)).map(([field]) => field),
    };
    withholdings.set(granted, w);
  }
  return w;
}

/**
 * The alert as a viewer may see it: decided once per alert and viewer (by grantedClassesSql in
 * alert-access.ts), not per field. Every field whose declared class is not granted is null,
 * `withheld` lists those classes, and every object of the projection carries the grant (under
 * a symbol) for the guard, and what to tell when one of its fields is shown. Objects are
 * tagged as they are made, in one pass; the record's values (read-only) are used as they are.
 *
 * The reference depends on who reads, not on the classes granted (a partner may hold every
 * class by disclosure): the register reference is numbered without gaps per agency, so a
 * partner that saw it could count the alerts it was not given. Only the originator's own
 * officers see it; every other agency sees the partner reference.
 * @param alert an alert that the viewer may see, as loadAlertRecords reads it.
 * @param granted the classes granted to the viewer on it.
 * @param viewerAgency the code of the viewer's agency.
 * @param shown told the class of each field GraphQL resolves on it (the access log); none for the viewer's own alerts.
 */
export function projectAlert(alert: AlertRecord, granted: ReadonlySet<FieldClass>, viewerAgency: string, shown?: (cls: FieldClass) => void): ProjectedAlert {
  // Non-enumerable, read-only: no spread, Object.assign or JSON copies them (see field-class.ts).
  const grant: PropertyDescriptor = { value: granted };
  const tell: PropertyDescriptor | undefined = shown && { value: shown };
  const tag = <T extends object>(o: T): T => {
    Object.defineProperty(o, GRANTED, grant);
    if (tell) Object.defineProperty(o, SHOWN, tell);
    return o;
  };
  const agency = (a: AgencyRecord) => tag(toAgencyType(a));
  const party = (p: PartyRecord | null): PartyType | null => {
    if (!p) return null;
    const out = tag(new PartyType());
    out.name = p.name;
    out.address = p.address ?? null;
    out.country = p.country ?? null;
    out.identifier = p.identifier ?? null;
    out.phone = p.phone ?? null;
    out.email = p.email ?? null;
    return out;
  };
  const w = withholdingOf(granted);
  const out = tag(new AlertType()) as ProjectedAlert;
  out.id = alert.id;
  out.reference = alert.originAgency.code === viewerAgency ? alert.reference : alert.partnerReference;
  out.partnerReference = alert.partnerReference;
  out.originAgency = agency(alert.originAgency);
  out.status = alert.status;
  out.title = alert.title;
  out.summary = alert.summary;
  out.riskLevel = alert.riskLevel;
  out.channel = alert.channel;
  out.direction = alert.direction;
  out.goods = alert.goods.map((g) => {
    const line = tag(new GoodsLineType());
    line.category = g.category;
    line.description = g.description;
    line.hsCode = g.hsCode ?? null;
    line.quantity = g.quantity;
    line.unit = g.unit;
    return line;
  });
  out.infringements = alert.infringements;
  out.modusOperandi = alert.modusOperandi;
  out.rightsHolders = alert.rightsHolders.map((h) => {
    const holder = tag(new RightsHolderType());
    holder.id = h.id;
    holder.name = h.name;
    holder.recordations = h.recordations.map((r) => {
      const rec = tag(new IprRecordationType());
      rec.type = r.type;
      rec.recordationNumber = r.recordationNumber;
      rec.mark = r.mark;
      rec.validUntil = r.validUntil ?? null;
      return rec;
    });
    return holder;
  });
  out.portOfLoading = alert.portOfLoading ?? null;
  out.portOfDischarge = alert.portOfDischarge ?? null;
  out.originCountry = alert.originCountry ?? null;
  out.destinationCountry = alert.destinationCountry ?? null;
  out.expectedArrival = alert.expectedArrival ?? null;
  const distribution = tag(new DistributionType());
  distribution.scope = alert.distributionScope;
  distribution.agencies = alert.distributionAgencies.map(agency);
  distribution.operationId = alert.distributionOperationId;
  out.distribution = distribution;
  out.containerNumbers = alert.containerNumbers;
  out.billOfLading = alert.billOfLading ?? null;
  out.conveyanceReference = alert.conveyanceReference ?? null;
  out.airWaybill = alert.airWaybill ?? null;
  out.trackingNumbers = alert.trackingNumbers;
  out.consignor = party(alert.consignor);
  out.consignee = party(alert.consignee);
  if (alert.source) {
    const source = tag(new IntelligenceSourceType());
    source.kind = alert.source.kind;
    source.reliability = alert.source.reliability;
    source.credibility = alert.source.credibility;
    source.reference = alert.source.reference ?? null;
    out.source = source;
  } else {
    out.source = null;
  }
  out.operationalNotes = alert.operationalNotes ?? null;
  out.version = alert.version;
  out.createdAt = alert.createdAt;
  out.updatedAt = alert.updatedAt;
  out.publishedAt = alert.publishedAt ?? null;
  // Nulls every field whose class is not granted, from the declared classes.
  for (const field of w.fields) (out as unknown as Record<string, unknown>)[field] = null;
  out.withheld = w.classes;
  return out;
}
