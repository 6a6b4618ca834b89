import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrustedAgency } from '../identity/trust-config';
import { BadUserInputError } from '../common/errors';
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

/** What syncAgencies changed, by agency code. */
export interface AgencySync {
  /** New in the trust file: partners from now on. */
  added: string[];
  /** Taken out of the trust file or suspended in it, and present before. */
  left: string[];
  /** Listed again and not suspended, after having left. */
  rejoined: string[];
}

/**
 * Brings the agency table in line with the trust configuration: names, jurisdictions and
 * issuers follow the file, and who is a partner is recorded. None is deleted, since alerts and
 * history refer to them.
 *
 * - A new agency joins now.
 * - One taken out of the file, or marked `suspended`, has left (`leftAt`): its tokens are
 *   refused, and while it is away it is named in no new distribution, operation or agreement.
 * - One that comes back rejoins: `joinedAt` becomes now. ALL_PARTNERS means the partners when
 *   the alert was last shared (visibleAlertSql), and an agency that was away was no partner
 *   then, whether the alert was shared while it was away or before it left: it may have been
 *   suspended for what it did with them. Its originators share again what it should have.
 *   SELECTED_AGENCIES and OPERATION distributions name it, and keep applying.
 *
 * Only a change of the file moves `joinedAt`: a restart with the same file, or a second
 * instance starting with it, finds nothing to do, so nobody's view changes because a process
 * restarted. An instance that crash-restarts with an older file that still lists an agency
 * the newer one suspended makes it rejoin: a later `joinedAt`, which can only hide ALL_PARTNERS
 * alerts from it, never show it more (that instance accepts its tokens until it is given the
 * newer file, as it did before it crashed).
 * @returns the codes that were added, that left and that rejoined.
 */
export async function syncAgencies(em: EntityManager, trusted: readonly TrustedAgency[]): Promise<AgencySync> {
  const result: AgencySync = { added: [], left: [], rejoined: [] };
  await em.transactional(async (tx) => {
    const existing = new Map((await tx.find(Agency, {})).map((a) => [a.code, a]));
    // An issuer moving between agencies must not collide with the unique index mid-way.
    for (const a of existing.values()) {
      const t = trusted.find((x) => x.code === a.code);
      if (t && t.issuer !== a.issuer) a.issuer = `${a.issuer}#moving`;
    }
    await tx.flush();
    const now = new Date();
    for (const a of existing.values()) {
      const t = trusted.find((x) => x.code === a.code);
      if ((!t || t.suspended) && !a.leftAt) {
        a.leftAt = now;
        result.left.push(a.code);
      }
    }
    for (const t of trusted) {
      let row = existing.get(t.code);
      if (!row) {
        // Listed suspended from the start: known by name, never a partner until unsuspended.
        row = tx.create(Agency, { code: t.code, name: t.name, jurisdiction: t.jurisdiction, issuer: t.issuer, createdAt: now, joinedAt: now, leftAt: t.suspended ? now : null });
        result.added.push(t.code);
      } else if (row.leftAt && !t.suspended) {
        row.joinedAt = now;
        row.leftAt = null;
        result.rejoined.push(t.code);
      }
      Object.assign(row, { name: t.name, jurisdiction: t.jurisdiction, issuer: t.issuer });
    }
    await tx.flush();
  });
  return result;
}

/**
 * Throws for the first agency that has left (see syncAgencies): while it is away it is no
 * partner of anything new. Agencies in `already` are not new to what is being changed.
 * @throws BadUserInputError naming `field`.
 */
export function requirePresent(agencies: Iterable<Agency>, field: string, already: readonly string[] = []): void {
  for (const a of agencies) {
    if (a.leftAt && !already.includes(a.code)) {
      throw new BadUserInputError(`${field}: agency ${a.code} has left the hub (suspended or taken out of its trust configuration) and can be named in nothing new until it rejoins`, field);
    }
  }
}
