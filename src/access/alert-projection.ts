import type { Alert } from '../alerts/alert.entity';
import {
  AlertType,
  DistributionType,
  GoodsLineType,
  IntelligenceSourceType,
  PartyType,
  type AlertConnection,
} from '../alerts/alert.types';
import { toAgencyType } from '../agencies/agency.type';
import type { FieldClass } from '../common/enums';
import type { Viewer } from '../identity/viewer';
import { toRightsHolderType } from '../rights-holders/rights-holder.type';
import { grantedClasses, type AlertAccessFacts } from './alert-access';
import { ALL_FIELD_CLASSES, GRANTED, fieldClassesOf, type Projected } from './field-class';

export type ProjectedAlert = AlertType & Projected;

export function accessFacts(alert: Alert): AlertAccessFacts {
  return {
    originAgencyCode: alert.originAgency.code,
    status: alert.status,
    distributionScope: alert.distributionScope,
    distributionAgencyCodes: alert.distributionAgencies.isInitialized()
      ? alert.distributionAgencies.getItems().map((a) => a.code)
      : [],
  };
}

function party(p: Alert['consignor']): PartyType | null {
  if (!p) return null;
  return Object.assign(new PartyType(), {
    name: p.name,
    address: p.address ?? null,
    country: p.country ?? null,
    identifier: p.identifier ?? null,
  });
}

/**
 * The alert as `viewer` may see it: decided once per alert and viewer, not per field. Every
 * field whose declared class is not granted is null, `withheld` lists those classes, and the
 * grant rides along (under a symbol) for the field guard.
 * @param alert an alert with originAgency, goods, rightsHolders (with recordations) and
 *   distributionAgencies loaded, that the caller has established `viewer` may see.
 */
export function projectAlert(alert: Alert, viewer: Viewer): ProjectedAlert {
  const granted = grantedClasses(accessFacts(alert), viewer);
  const full: AlertType = Object.assign(new AlertType(), {
    id: alert.id,
    reference: alert.reference,
    originAgency: toAgencyType(alert.originAgency),
    status: alert.status,
    title: alert.title,
    summary: alert.summary,
    riskLevel: alert.riskLevel,
    channel: alert.channel,
    direction: alert.direction,
    goods: alert.goods.getItems().map((g) =>
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
    rightsHolders: alert.rightsHolders.getItems().map(toRightsHolderType),
    portOfLoading: alert.portOfLoading ?? null,
    portOfDischarge: alert.portOfDischarge ?? null,
    originCountry: alert.originCountry ?? null,
    destinationCountry: alert.destinationCountry ?? null,
    expectedArrival: alert.expectedArrival ?? null,
    distribution: Object.assign(new DistributionType(), {
      scope: alert.distributionScope,
      agencies: alert.distributionAgencies.getItems().map(toAgencyType),
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
  return withhold(full, granted);
}

/** Nulls every field of `view` whose class is not in `granted`, from the declared classes. */
function withhold(view: AlertType, granted: ReadonlySet<FieldClass>): ProjectedAlert {
  const out = view as ProjectedAlert;
  for (const [field, cls] of fieldClassesOf(AlertType)) {
    if (!granted.has(cls)) (out as unknown as Record<string, unknown>)[field] = null;
  }
  out.withheld = ALL_FIELD_CLASSES.filter((c) => !granted.has(c));
  Object.defineProperty(out, GRANTED, { value: granted, enumerable: false });
  return out;
}

export type { AlertConnection };
