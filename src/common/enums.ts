import { registerEnumType } from 'type-graphql';

/* The contract's enums, in the contract's order. Descriptions follow ../shared/contract/hub.graphql. */

export enum Role {
  OBSERVER = 'OBSERVER',
  ANALYST = 'ANALYST',
  COORDINATOR = 'COORDINATOR',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    OBSERVER: { description: 'read-only partner users and real-time subscribers' },
    ANALYST: { description: "publish and maintain their agency's alerts; request and decide disclosures" },
    COORDINATOR: { description: 'plan and run joint operations, report their results' },
    ADMIN: { description: "manage their agency's sharing agreements" },
  },
});

export enum AlertStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  UNDER_INSPECTION = 'UNDER_INSPECTION',
  SEIZED = 'SEIZED',
  CLEARED = 'CLEARED',
  CLOSED = 'CLOSED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(AlertStatus, { name: 'AlertStatus' });

export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}
registerEnumType(RiskLevel, { name: 'RiskLevel' });

/** Ordering of risk levels, for "at least" filters and sorting. */
export const RISK_RANK: Record<RiskLevel, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

export enum TransportChannel {
  SEA_CONTAINER = 'SEA_CONTAINER',
  AIR_CARGO = 'AIR_CARGO',
  LAND_BORDER = 'LAND_BORDER',
  CROSS_BORDER_ECOMMERCE = 'CROSS_BORDER_ECOMMERCE',
  POSTAL_EXPRESS = 'POSTAL_EXPRESS',
  PASSENGER = 'PASSENGER',
}
registerEnumType(TransportChannel, { name: 'TransportChannel' });

export enum TradeDirection {
  IMPORT = 'IMPORT',
  EXPORT = 'EXPORT',
  TRANSIT = 'TRANSIT',
}
registerEnumType(TradeDirection, { name: 'TradeDirection' });

export enum GoodsCategory {
  BAGS = 'BAGS',
  SHOES = 'SHOES',
  CLOTHING = 'CLOTHING',
  ELECTRONICS = 'ELECTRONICS',
  INTEGRATED_CIRCUITS = 'INTEGRATED_CIRCUITS',
  AUDIO_EQUIPMENT = 'AUDIO_EQUIPMENT',
  WATCHES_JEWELLERY = 'WATCHES_JEWELLERY',
  COSMETICS = 'COSMETICS',
  PHARMACEUTICALS = 'PHARMACEUTICALS',
  TOYS = 'TOYS',
  TOBACCO = 'TOBACCO',
  OTHER = 'OTHER',
}
registerEnumType(GoodsCategory, { name: 'GoodsCategory' });

export enum InfringementType {
  TRADEMARK = 'TRADEMARK',
  PATENT = 'PATENT',
  COPYRIGHT = 'COPYRIGHT',
  DESIGN = 'DESIGN',
}
registerEnumType(InfringementType, { name: 'InfringementType' });

export enum ModusOperandi {
  SEPARATED_MARKS = 'SEPARATED_MARKS',
  SMALL_PARCEL_SPLITTING = 'SMALL_PARCEL_SPLITTING',
  ANT_MOVING = 'ANT_MOVING',
  MISDECLARATION = 'MISDECLARATION',
  CONCEALMENT = 'CONCEALMENT',
  FAST_TRACK_ABUSE = 'FAST_TRACK_ABUSE',
  OTHER = 'OTHER',
}
registerEnumType(ModusOperandi, {
  name: 'ModusOperandi',
  valuesConfig: {
    SEPARATED_MARKS: { description: 'goods and the infringing marks or labels travel apart and are joined after clearance' },
    SMALL_PARCEL_SPLITTING: { description: 'one consignment broken into many low-value parcels' },
    ANT_MOVING: { description: 'many small repeated carries across the border' },
    FAST_TRACK_ABUSE: { description: 'abuse of a fast-clearance lane' },
  },
});

export enum DistributionScope {
  ORIGINATOR_ONLY = 'ORIGINATOR_ONLY',
  SELECTED_AGENCIES = 'SELECTED_AGENCIES',
  ALL_PARTNERS = 'ALL_PARTNERS',
  OPERATION = 'OPERATION',
}
registerEnumType(DistributionScope, {
  name: 'DistributionScope',
  valuesConfig: {
    ALL_PARTNERS: {
      description:
        'the partners at the time of publication, or of the last shareAlert: a partner added later sees an older alert only when the originator shares it again',
    },
  },
});

export enum FieldClass {
  CORE = 'CORE',
  SHIPMENT_IDENTIFIERS = 'SHIPMENT_IDENTIFIERS',
  PARTY_IDENTITY = 'PARTY_IDENTITY',
  SOURCE = 'SOURCE',
  OPERATIONAL = 'OPERATIONAL',
}
registerEnumType(FieldClass, { name: 'FieldClass' });

export enum SourceReliability {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
  E = 'E',
  F = 'F',
}
registerEnumType(SourceReliability, { name: 'SourceReliability', description: 'Admiralty grading of the source' });

export enum AlertEventKind {
  PUBLISHED = 'PUBLISHED',
  UPDATED = 'UPDATED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  DISTRIBUTION_CHANGED = 'DISTRIBUTION_CHANGED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(AlertEventKind, { name: 'AlertEventKind' });

/** What a correlation event says (src/correlation). */
export enum CorrelationEventKind {
  NEW = 'NEW',
  ENDED = 'ENDED',
}
registerEnumType(CorrelationEventKind, {
  name: 'CorrelationEventKind',
  valuesConfig: {
    NEW: { description: 'the two alerts came to share an identifier of the kind (one was published or changed)' },
    ENDED: { description: 'they share none of the kind any more (an edit removed it, or one was withdrawn)' },
  },
});

export enum AlertOrderField {
  PUBLISHED_AT = 'PUBLISHED_AT',
  RISK_LEVEL = 'RISK_LEVEL',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(AlertOrderField, { name: 'AlertOrderField' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

/** What a row of an alert's history records. */
export enum AlertChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  PUBLISHED = 'PUBLISHED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  DISTRIBUTION_CHANGED = 'DISTRIBUTION_CHANGED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(AlertChangeKind, { name: 'AlertChangeKind', description: 'what a row of an alert history records' });

export enum DisclosureStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  DENIED = 'DENIED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(DisclosureStatus, { name: 'DisclosureStatus' });

/** Which side of a disclosure request the viewer's agency is on. */
export enum DisclosureDirection {
  RECEIVED = 'RECEIVED',
  SENT = 'SENT',
}
registerEnumType(DisclosureDirection, {
  name: 'DisclosureDirection',
  valuesConfig: {
    RECEIVED: { description: "requests partners made on the viewer's agency's alerts: its analysts decide them" },
    SENT: { description: "requests the viewer's agency made on partners' alerts" },
  },
});

/**
 * How a read left the originating agency, as a filter of the access log (the log's `via` is
 * the lower-case name). src/access/access-log.ts writes them.
 */
export enum AccessRoute {
  QUERY = 'QUERY',
  SUBSCRIPTION = 'SUBSCRIPTION',
  EXPORT = 'EXPORT',
  FEDERATION = 'FEDERATION',
  MATCH = 'MATCH',
}
registerEnumType(AccessRoute, {
  name: 'AccessRoute',
  description: 'the route of a read in the access log (AccessLogEntry.via, in lower case)',
  valuesConfig: {
    QUERY: { description: 'queries and mutation answers' },
    SUBSCRIPTION: { description: 'live events' },
    EXPORT: { description: 'exports' },
    FEDERATION: { description: "a federation router's entity request" },
    MATCH: { description: 'a probe (matchIdentifiers) found one of its identifiers; discloses no class' },
  },
});

export enum OperationStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  CONCLUDED = 'CONCLUDED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OperationStatus, { name: 'OperationStatus' });

export enum TaskStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
}
registerEnumType(TaskStatus, { name: 'TaskStatus' });

export enum OperationEventKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  TASK_CHANGED = 'TASK_CHANGED',
  ALERT_LINKED = 'ALERT_LINKED',
  ALERT_UNLINKED = 'ALERT_UNLINKED',
  RESULT_REPORTED = 'RESULT_REPORTED',
}
registerEnumType(OperationEventKind, { name: 'OperationEventKind' });

/** What an identifier of an alert is, for matching across agencies (src/correlation/). */
export enum IdentifierKind {
  CONTAINER = 'CONTAINER',
  BILL_OF_LADING = 'BILL_OF_LADING',
  AIR_WAYBILL = 'AIR_WAYBILL',
  TRACKING_NUMBER = 'TRACKING_NUMBER',
  PARTY_NAME = 'PARTY_NAME',
  ADDRESS = 'ADDRESS',
  PHONE = 'PHONE',
  COMPANY_REGISTRATION = 'COMPANY_REGISTRATION',
  EMAIL = 'EMAIL',
}
registerEnumType(IdentifierKind, {
  name: 'IdentifierKind',
  description: 'the kind of an identifier that alerts are matched on',
  valuesConfig: {
    CONTAINER: { description: 'ISO 6346 container number (SHIPMENT_IDENTIFIERS)' },
    BILL_OF_LADING: { description: 'bill of lading number (SHIPMENT_IDENTIFIERS)' },
    AIR_WAYBILL: { description: 'IATA air waybill number (SHIPMENT_IDENTIFIERS)' },
    TRACKING_NUMBER: { description: 'parcel tracking number (SHIPMENT_IDENTIFIERS)' },
    PARTY_NAME: { description: "a consignor's or consignee's name (PARTY_IDENTITY)" },
    ADDRESS: { description: "a consignor's or consignee's address (PARTY_IDENTITY)" },
    PHONE: { description: "a consignor's or consignee's phone number (PARTY_IDENTITY)" },
    COMPANY_REGISTRATION: {
      description: "a consignor's or consignee's company registration: unified social credit code, Hong Kong business registration, Macao commercial registration (PARTY_IDENTITY)",
    },
    EMAIL: { description: "a consignor's or consignee's e-mail address (PARTY_IDENTITY)" },
  },
});
