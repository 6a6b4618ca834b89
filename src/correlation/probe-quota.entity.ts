import { Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * How many identifier values one officer (agency and subject) has probed on one UTC day
 * (src/correlation/probe.service.ts). Counted here rather than in a hub's memory so that a
 * restart, or another hub on the same database, does not give the officer a fresh day; the
 * count only grows, by one atomic upsert per probe, which refuses to pass the limit.
 */
@Entity({ tableName: 'probe_quota' })
export class ProbeQuota {
  [PrimaryKeyProp]?: ['agencyCode', 'subject', 'day'];

  @PrimaryKey({ type: 'string', length: 16 })
  agencyCode!: string;

  @PrimaryKey({ type: 'string', length: 200 })
  subject!: string;

  /** The UTC day, as the database's clock has it. */
  @PrimaryKey({ columnType: 'date', type: 'string' })
  day!: string;

  @Property({ type: 'integer' })
  used!: number;
}
