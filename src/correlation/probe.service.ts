import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessLogCollector } from '../access/access-log';
import { grantedClassesSql } from '../access/alert-access';
import type { ProjectedAlert } from '../access/alert-projection';
import { toAgencyType } from '../agencies/agency.type';
import type { AlertService, AlertSettings } from '../alerts/alert.service';
import { isIsoCountry } from '../common/codes';
import { FieldClass, IdentifierKind, Role } from '../common/enums';
import { BadUserInputError, ForbiddenError, HubError } from '../common/errors';
import { isWellFormedText } from '../common/input-paths';
import { pgArray } from '../db/sql';
import { hasRole, type Viewer } from '../identity/viewer';
import { HitHandles } from './hit-handle';
import { normalizeIdentifier } from './identifier-normalize';
import type { PartyRole } from './match-key.entity';
import type { MatchKeyring } from './match-keys';
import type { IdentifierHitType, IdentifierMatchType, IdentifierProbeInput, ProbeQuotaType } from './probe.types';

/*
 * The probe (hit/no-hit): an analyst asks whether any agency holds an identifier, and learns
 * for each value no-hit, or hits naming the holding agency, the class and the party, with the
 * alert's reference when it may see the alert and that class on it, else a sealed hit handle
 * (hit-handle.ts) to name in a disclosure request. No partner's value ever leaves: the value
 * is normalized and keyed as the alerts' identifiers are (match-keys.ts), and only keys are
 * compared. Every hit on a partner's alert is in that alert's access log (route `match`),
 * and each officer's probes are counted per UTC day in the database (probe_quota), so that
 * the probe cannot be used to enumerate names or phone numbers.
 */

/** Most values one call may probe. */
export const MAX_PROBE_VALUES = 50;
/** Longest value accepted, in UTF-16 units: longer than any identifier, and than any address. */
export const MAX_PROBE_VALUE_LENGTH = 1000;
/** Values an officer may probe per UTC day unless HUB_PROBE_DAILY_LIMIT says otherwise. */
export const DEFAULT_PROBE_DAILY_LIMIT = 200;

/** The handle sealer of each keyring (one subkey derivation per hub, not per request). */
const sealers = new WeakMap<MatchKeyring, HitHandles>();

/** Seals and opens hit handles with the hub's match-key secret. */
export function hitHandlesOf(keyring: MatchKeyring): HitHandles {
  let h = sealers.get(keyring);
  if (!h) sealers.set(keyring, (h = new HitHandles(keyring)));
  return h;
}

/** One match_key row that a probed key found, with what the prober may know of its alert. */
interface HitRow {
  i: number;
  alert_id: string;
  agency_code: string;
  field_class: FieldClass;
  role: PartyRole | null;
  name: string;
  jurisdiction: string;
  left_at: Date | null;
  is_open: boolean;
}

/** Probes identifiers for one viewer, and keeps its daily count. */
export class ProbeService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly settings: AlertSettings,
    private readonly alerts: AlertService,
    private readonly accessLog: Pick<AccessLogCollector, 'matched'>,
  ) {}

  private get limit(): number {
    return this.settings.probeDailyLimit ?? DEFAULT_PROBE_DAILY_LIMIT;
  }

  private requireAnalyst(what: string): void {
    if (!hasRole(this.viewer, Role.ANALYST)) throw new ForbiddenError(`only an ${Role.ANALYST} may ${what}`);
  }

  /**
   * For each value, in the order sent: its one spelling and the alerts of every agency that
   * hold it. A hit names the alert (reference and alert) when the viewer may see the alert
   * and is granted the matched class on it (its own agency's alerts always); otherwise it is
   * a handle: naming the alert would tie the probed value to a field the viewer is not given.
   * Each distinct usable value counts one against the day's quota, taken before anything is
   * looked up; an unusable one (normalized null) counts nothing.
   * @throws ForbiddenError without ANALYST; BadUserInputError for more than MAX_PROBE_VALUES
   *   values, a value too long or not well-formed, or a country that is not ISO 3166-1
   *   alpha-2; HubError TOO_MANY_REQUESTS (with retryAfter, seconds to the next UTC midnight)
   *   when the values would pass the day's quota, in which case nothing is probed or counted.
   */
  async match(inputs: readonly IdentifierProbeInput[]): Promise<IdentifierMatchType[]> {
    this.requireAnalyst('probe identifiers');
    if (inputs.length > MAX_PROBE_VALUES) throw new BadUserInputError(`identifiers: at most ${MAX_PROBE_VALUES} values a call`, 'identifiers');
    const probes = inputs.map((input, i) => {
      const field = `identifiers[${i}]`;
      if (!isWellFormedText(input.value)) throw new BadUserInputError(`${field}.value is not well-formed Unicode text (a lone surrogate)`, `${field}.value`);
      if (input.value.length > MAX_PROBE_VALUE_LENGTH) throw new BadUserInputError(`${field}.value must be at most ${MAX_PROBE_VALUE_LENGTH} characters`, `${field}.value`);
      let country: string | null = null;
      if (input.country != null) {
        country = input.country.trim().toUpperCase();
        if (!/^[A-Z]{2}$/.test(country) || !isIsoCountry(country)) throw new BadUserInputError(`${field}.country must be an ISO 3166-1 alpha-2 code`, `${field}.country`);
      }
      // Read as the prober's agency writes it, as deriveMatchKeys reads a party's value.
      const normalized = normalizeIdentifier(input.kind, input.value, { country, agency: this.viewer.agencyCode });
      return { kind: input.kind, value: input.value, normalized };
    });

    // One key per distinct usable value: sending a value twice costs and finds it once.
    const distinct = new Map<string, { kind: IdentifierKind; key: string; index: number }>();
    for (const p of probes) {
      if (p.normalized === null) continue;
      const id = `${p.kind}:${p.normalized}`;
      if (!distinct.has(id)) distinct.set(id, { kind: p.kind, key: this.settings.matchKeys.key(p.kind, p.normalized).toString('hex'), index: distinct.size + 1 });
    }
    const lookups = [...distinct.values()];
    if (lookups.length) await this.reserve(lookups.length);

    const rows = lookups.length ? await this.lookup(lookups) : [];
    const openIds = [...new Set(rows.filter((r) => r.is_open).map((r) => r.alert_id))];
    const open = openIds.length ? await this.alerts.getMany(openIds) : new Map<string, ProjectedAlert>();
    const handles = hitHandlesOf(this.settings.matchKeys);
    const hitsByIndex = new Map<number, IdentifierHitType[]>();
    for (const r of rows) {
      const kind = lookups[r.i - 1].kind;
      // An alert found open but gone from view since (withdrawn access, a race) is a handle.
      const alert = r.is_open ? open.get(r.alert_id) ?? null : null;
      const hit: IdentifierHitType = {
        agency: toAgencyType({ code: r.agency_code, name: r.name, jurisdiction: r.jurisdiction, leftAt: r.left_at }),
        fieldClass: r.field_class,
        role: r.role,
        reference: null,
        alert,
        handle: alert ? null : handles.seal({ alertId: r.alert_id, holderAgency: r.agency_code, kind, fieldClass: r.field_class, issuedTo: this.viewer.agencyCode }),
      };
      this.accessLog.matched(r.alert_id, r.agency_code);
      let list = hitsByIndex.get(r.i);
      if (!list) hitsByIndex.set(r.i, (list = []));
      list.push(hit);
    }
    return probes.map((p) => ({
      kind: p.kind,
      value: p.value,
      normalized: p.normalized,
      hits: p.normalized === null ? [] : hitsByIndex.get(distinct.get(`${p.kind}:${p.normalized}`)!.index) ?? [],
    }));
  }

  /**
   * The match_key rows of `lookups`' keys, each with whether the viewer may see its alert
   * and the matched class on it, in one statement. Within a value: by agency, open hits first
   * (by alert), handles in random order, so that their order says nothing of which alert.
   */
  private async lookup(lookups: readonly { kind: IdentifierKind; key: string }[]): Promise<HitRow[]> {
    const vis = this.alerts.visibleSql('a');
    const granted = grantedClassesSql('a', this.viewer.agencyCode, this.settings);
    return this.em.execute<HitRow[]>(
      `with h as (
         select p.i::int as i, mk.alert_id, mk.agency_code, mk.field_class, mk.role, g.name, g.jurisdiction, g.left_at,
                coalesce(${vis.sql} and mk.field_class = any(${granted.sql}), false) as is_open
           from unnest(?::text[], ?::text[]) with ordinality as p(kind, key, i)
           join match_key mk on mk.kind = p.kind and mk.key = decode(p.key, 'hex')
           join alert a on a.id = mk.alert_id
           join agency g on g.code = mk.agency_code)
       select * from h order by i, agency_code, is_open desc, case when is_open then alert_id end, role nulls first, random()`,
      [...vis.params, ...granted.params, pgArray(lookups.map((l) => l.kind)), pgArray(lookups.map((l) => l.key))],
    );
  }

  /**
   * Takes `n` values from the viewer's count for today, or none. One statement: the upsert
   * locks the day's row and re-reads it, so two probes at once never both take the last slots.
   * @throws HubError TOO_MANY_REQUESTS when fewer than `n` are left (nothing is taken).
   */
  private async reserve(n: number): Promise<void> {
    const limit = this.limit;
    const taken =
      n <= limit
        ? await this.em.execute<{ used: number }[]>(
            `insert into probe_quota as q (agency_code, subject, day, used) values (?, ?, (now() at time zone 'UTC')::date, ?)
             on conflict (agency_code, subject, day) do update set used = q.used + excluded.used where q.used + excluded.used <= ?
             returning q.used`,
            [this.viewer.agencyCode, this.viewer.subject, n, limit],
          )
        : [];
    if (taken.length) return;
    const quota = await this.quota();
    throw new HubError(
      'TOO_MANY_REQUESTS',
      `probe quota: ${quota.limit} values a day, ${quota.remaining} left today, ${n} asked; it resets at ${quota.resetsAt.toISOString()}`,
      { retryAfter: Math.max(1, Math.ceil((quota.resetsAt.getTime() - Date.now()) / 1000)) },
    );
  }

  /** The viewer's quota for the current UTC day (by the database's clock, as the count is kept). */
  async quota(): Promise<ProbeQuotaType> {
    this.requireAnalyst('probe identifiers');
    const [row] = await this.em.execute<{ used: number; resets_at: Date }[]>(
      `select coalesce((select q.used from probe_quota q where q.agency_code = ? and q.subject = ? and q.day = (now() at time zone 'UTC')::date), 0)::int as used,
              (((now() at time zone 'UTC')::date + 1)::timestamp at time zone 'UTC') as resets_at`,
      [this.viewer.agencyCode, this.viewer.subject],
    );
    const limit = this.limit;
    return { limit, used: row.used, remaining: Math.max(0, limit - row.used), resetsAt: new Date(row.resets_at) };
  }
}
