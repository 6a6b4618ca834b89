/**
 * Size limits of an alert's fields. No imports: the hub's input checks (src/alerts/alert.validation.ts)
 * and the web console's compose form use this one table.
 */
export const ALERT_LIMITS = {
  title: 200,
  summary: 4000,
  goodsLines: 100,
  goodsDescription: 500,
  unit: 20,
  containers: 200,
  billOfLading: 64,
  conveyanceReference: 100,
  partyName: 200,
  partyAddress: 500,
  partyIdentifier: 100,
  partyPhone: 40,
  partyEmail: 254,
  trackingNumbers: 200,
  trackingNumber: 40,
  sourceKind: 100,
  sourceReference: 200,
  operationalNotes: 4000,
  rightsHolders: 50,
  distributionAgencies: 50,
  note: 1000,
} as const;

/** The largest quantity a goods line may carry. */
export const MAX_GOODS_QUANTITY = 2_000_000_000;
