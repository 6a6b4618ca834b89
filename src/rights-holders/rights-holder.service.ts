import { isUuid } from '../common/ids';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { text } from '../alerts/alert.validation';
import { Role } from '../common/enums';
import { BadUserInputError, ConflictError, ForbiddenError } from '../common/errors';
import { checkFirst } from '../common/pagination';
import { RIGHTS_HOLDER_LIMITS } from '../common/rights-holder-limits';
import { hasRole, requireAnyRole, type Viewer } from '../identity/viewer';
import { IprRecordation, RightsHolder } from './rights-holder.entity';
import type { RightsHolderInput } from './rights-holder.inputs';

const MAX_RECORDATIONS = RIGHTS_HOLDER_LIMITS.recordations;
const MAX_SEARCH = RIGHTS_HOLDER_LIMITS.search;

/** Escapes LIKE wildcards so that a search is a plain prefix. */
function likePrefix(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}

/**
 * Rights holders and their IPR recordations: reference data shared by every agency, kept by
 * ANALYSTs and ADMINs of any agency.
 */
export class RightsHolderService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
  ) {}

  /**
   * By name prefix (any case) or recordation number prefix; all, by name, without a search.
   * @throws BadUserInputError for `first` above 100 or a search longer than 100 characters.
   */
  async search(search: string | null | undefined, first: number): Promise<RightsHolder[]> {
    requireAnyRole(this.viewer, 'read rights holders');
    checkFirst(first);
    const s = search?.trim() ?? '';
    if (s.length > MAX_SEARCH) throw new BadUserInputError(`search must be at most ${MAX_SEARCH} characters`, 'search');
    if (first === 0) return [];
    const params: unknown[] = [];
    let where = 'true';
    if (s) {
      where = `lower(rh.name) like lower(?) or exists (select 1 from ipr_recordation r where r.rights_holder_id = rh.id and r.recordation_number like ?)`;
      params.push(likePrefix(s), likePrefix(s.toUpperCase()));
    }
    const rows: { id: string }[] = await this.em.execute(`select rh.id from rights_holder rh where ${where} order by lower(rh.name), rh.id limit ?`, [...params, first]);
    if (rows.length === 0) return [];
    const found = await this.em.find(RightsHolder, { id: { $in: rows.map((r) => r.id) } }, { populate: ['recordations'], strategy: 'select-in' });
    const byId = new Map(found.map((r) => [r.id, r]));
    return rows.map((r) => byId.get(r.id)!);
  }

  /** Rights holders by id, with their recordations, in one statement per relation; unknown ids are absent. */
  async getMany(ids: readonly string[]): Promise<Map<string, RightsHolder>> {
    requireAnyRole(this.viewer, 'read rights holders');
    const wanted = [...new Set(ids.filter(isUuid))];
    if (wanted.length === 0) return new Map();
    const found = await this.em.find(RightsHolder, { id: { $in: wanted } }, { populate: ['recordations'], strategy: 'select-in' });
    return new Map(found.map((r) => [r.id, r]));
  }

  /**
   * Adds a rights holder, or updates the one that owns any of the given recordations (else
   * the one with exactly this name): the name follows the input, recordations are added or
   * updated, none is removed.
   * @throws ForbiddenError without ANALYST or ADMIN; BadUserInputError for bad fields;
   *   ConflictError when the recordations belong to different rights holders, or a
   *   concurrent writer recorded the same number first.
   */
  async upsert(input: RightsHolderInput): Promise<RightsHolder> {
    if (!hasRole(this.viewer, Role.ANALYST, Role.ADMIN)) throw new ForbiddenError('only an ANALYST or ADMIN may record rights holders');
    const name = text(input.name, 'input.name', RIGHTS_HOLDER_LIMITS.name);
    if (input.recordations.length > MAX_RECORDATIONS) {
      throw new BadUserInputError(`input.recordations must have at most ${MAX_RECORDATIONS} entries`, 'input.recordations');
    }
    const seen = new Set<string>();
    const recordations = input.recordations.map((r, i) => {
      const at = `input.recordations[${i}]`;
      const number = text(r.recordationNumber, `${at}.recordationNumber`, 64).toUpperCase();
      if (!/^[A-Z0-9][A-Z0-9./ -]*$/.test(number)) {
        throw new BadUserInputError(`${at}.recordationNumber may hold letters, digits, spaces and . / -`, `${at}.recordationNumber`);
      }
      const key = `${r.type}:${number}`;
      if (seen.has(key)) throw new BadUserInputError(`${at}: ${r.type} ${number} appears twice`, `${at}.recordationNumber`);
      seen.add(key);
      return { type: r.type, recordationNumber: number, mark: text(r.mark, `${at}.mark`, 200), validUntil: r.validUntil ?? undefined };
    });
    try {
      const id = await this.em.transactional(async (em) => {
        const existing = recordations.length
          ? await em.find(IprRecordation, { $or: recordations.map((r) => ({ type: r.type, recordationNumber: r.recordationNumber })) }, { populate: ['rightsHolder'] })
          : [];
        const owners = new Set(existing.map((r) => r.rightsHolder.id));
        if (owners.size > 1) throw new ConflictError('input.recordations belong to different rights holders');
        let holder: RightsHolder | null = existing[0]?.rightsHolder ?? null;
        if (!holder) {
          const [row] = await em.execute(`select id from rights_holder where lower(name) = lower(?) order by id limit 1`, [name]);
          holder = row ? await em.findOneOrFail(RightsHolder, row.id) : null;
        }
        if (!holder) {
          holder = em.create(RightsHolder, { name, createdAt: new Date() });
        }
        holder.name = name;
        await em.populate(holder, ['recordations']);
        for (const r of recordations) {
          const current = holder.recordations.getItems().find((x) => x.type === r.type && x.recordationNumber === r.recordationNumber);
          if (current) Object.assign(current, { mark: r.mark, validUntil: r.validUntil });
          else holder.recordations.add(em.create(IprRecordation, { ...r, rightsHolder: holder }));
        }
        await em.flush();
        return holder.id;
      });
      this.em.clear();
      return await this.em.findOneOrFail(RightsHolder, id, { populate: ['recordations'] });
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) {
        throw new ConflictError('a recordation with that number was recorded meanwhile: search for it and try again');
      }
      throw e;
    }
  }
}
