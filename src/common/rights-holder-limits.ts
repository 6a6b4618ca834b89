/**
 * Limits of the rights-holder register. No imports: the hub (src/rights-holders/) and the web
 * console's rights-holder picker use this one table.
 */
export const RIGHTS_HOLDER_LIMITS = {
  /** Characters of a `rightsHolders(search:)` prefix. */
  search: 100,
  name: 200,
  recordations: 100,
} as const;
