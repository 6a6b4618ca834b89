import type { AlertRecord, PartyRecord } from '../alerts/alert-record';
import {
  AlertType,
  DistributionType,
  GoodsLineType,
  IntelligenceSourceType,
  PartyType,
} from '../alerts/alert.types';
import { toAgencyType } from '../agencies/agency.type';
import type { FieldClass } from '../common/enums';
import { toRightsHolderType } from '../rights-holders/rights-holder.type';
import { ALL_FIELD_CLASSES, GRANTED, SHOWN, fieldClassesOf, type Projected } from './field-class';

export type ProjectedAlert = AlertType & Projected;

function party(p: PartyRecord | null): PartyType | null {
  if (!p) return null;
  return Object.assign(new PartyType(), {
    name: p.name,
    address: p.address ?? null,
    country: p.country ?? null,
    identifier: p.identifier ?? null,
  });
}

/**
 * The alert as a viewer may see it: decided once per alert and viewer (by grantedClassesSql in
 * alert-access.ts), not per field. Every field whose declared class is not granted is null,
 * `withheld` lists those classes, and the grant rides along (under a symbol) for the guard.
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
  const full: AlertType = Object.assign(new AlertType(), {
    id: alert.id,
    reference: alert.originAgency.code === viewerAgency ? alert.reference : alert.partnerReference,
    partnerReference: alert.partnerReference,
    originAgency: toAgencyType(alert.originAgency),
    status: alert.status,
    title: alert.title,
    summary: alert.summary,
    riskLevel: alert.riskLevel,
    channel: alert.channel,
    direction: alert.direction,
    goods: alert.goods.map((g) =>
      Object.assign(new GoodsLineType(), {
        category: g.category,
        description: g.description,
        hsCode: g.hsCode ?? null,
        quantity: g.quantity,
        unit: g.unit,
      }),
    ),
    infringements: [...alert.infringements],
    modusOperandi: [...alert.modusOperandi],
    rightsHolders: alert.rightsHolders.map(toRightsHolderType),
    portOfLoading: alert.portOfLoading ?? null,
    portOfDischarge: alert.portOfDischarge ?? null,
    originCountry: alert.originCountry ?? null,
    destinationCountry: alert.destinationCountry ?? null,
    expectedArrival: alert.expectedArrival ?? null,
    distribution: Object.assign(new DistributionType(), {
      scope: alert.distributionScope,
      agencies: alert.distributionAgencies.map(toAgencyType),
      operationId: alert.distributionOperationId,
    }),
    containerNumbers: alert.containerNumbers ? [...alert.containerNumbers] : null,
    billOfLading: alert.billOfLading ?? null,
    conveyanceReference: alert.conveyanceReference ?? null,
    consignor: party(alert.consignor),
    consignee: party(alert.consignee),
    source: alert.source
      ? Object.assign(new IntelligenceSourceType(), {
          kind: alert.source.kind,
          reliability: alert.source.reliability,
          credibility: alert.source.credibility,
          reference: alert.source.reference ?? null,
        })
      : null,
    operationalNotes: alert.operationalNotes ?? null,
    withheld: [],
    version: alert.version,
    createdAt: alert.createdAt,
    updatedAt: alert.updatedAt,
    publishedAt: alert.publishedAt ?? null,
  });
  return withhold(full, granted, shown);
}

/** Nulls every field of `view` whose class is not in `granted`, from the declared classes. */
function withhold(view: AlertType, granted: ReadonlySet<FieldClass>, shown: ((cls: FieldClass) => void) | undefined): ProjectedAlert {
  const out = view as ProjectedAlert;
  for (const [field, cls] of fieldClassesOf(AlertType)) {
    if (!granted.has(cls)) (out as unknown as Record<string, unknown>)[field] = null;
  }
  out.withheld = ALL_FIELD_CLASSES.filter((c) => !granted.has(c));
  stamp(out, granted, shown);
  return out;
}

/**
 * Gives every object of the projection the grant, so the guard on nested classified fields
 * passes, and what to tell when one of them is shown.
 */
function stamp(value: unknown, granted: ReadonlySet<FieldClass>, shown: ((cls: FieldClass) => void) | undefined): void {
  if (Array.isArray(value)) {
    value.forEach((v) => stamp(v, granted, shown));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    Object.defineProperty(value, GRANTED, { value: granted, enumerable: false });
    if (shown) Object.defineProperty(value, SHOWN, { value: shown, enumerable: false });
    Object.values(value).forEach((v) => stamp(v, granted, shown));
  }
}

