import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrustedAgency } from '../identity/trust-config';
import { Agency } from './agency.entity';

export class AgencyService {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<Agency[]> {
    return this.em.find(Agency, {}, { orderBy: { code: 'asc' } });
  }

  async get(code: string): Promise<Agency | null> {
    return this.em.findOne(Agency, { code });
  }

  /** Agencies by code, in one statement; unknown codes are absent. */
  async getMany(codes: readonly string[]): Promise<Map<string, Agency>> {
    const wanted = [...new Set(codes)].filter((c) => c.length <= 16);
    if (wanted.length === 0) return new Map();
    return new Map((await this.em.find(Agency, { code: { $in: wanted } })).map((a) => [a.code, a]));
  }
}

/**
 * Brings the agency table in line with the trust configuration: new agencies are added, as
 * joining now, and names, jurisdictions and issuers follow the file. None is deleted, since
 * alerts and history refer to them; one that leaves the file and comes back keeps the time it
 * first joined.
 * @returns the codes that were added.
 */
export async function syncAgencies(em: EntityManager, trusted: readonly TrustedAgency[]): Promise<string[]> {
  const added: string[] = [];
  await em.transactional(async (tx) => {
    const existing = new Map((await tx.find(Agency, {})).map((a) => [a.code, a]));
    // An issuer moving between agencies must not collide with the unique index mid-way.
    for (const a of existing.values()) {
      const t = trusted.find((x) => x.code === a.code);
      if (t && t.issuer !== a.issuer) a.issuer = `${a.issuer}#moving`;
    }
    await tx.flush();
    for (const t of trusted) {
      let row = existing.get(t.code);
      if (!row) {
        const now = new Date();
        row = tx.create(Agency, { code: t.code, name: t.name, jurisdiction: t.jurisdiction, issuer: t.issuer, createdAt: now, joinedAt: now });
        added.push(t.code);
      }
      Object.assign(row, { name: t.name, jurisdiction: t.jurisdiction, issuer: t.issuer });
    }
    await tx.flush();
  });
  return added;
}
