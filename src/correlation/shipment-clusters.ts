import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantedClassSql, visibleAlertSql, type AccessSettings } from '../access/alert-access';
import type { AgencyService } from '../agencies/agency.service';
import { toAgencyType } from '../agencies/agency.type';
import type { AlertSelection } from '../alerts/alert-record';
import type { AlertService } from '../alerts/alert.service';
import { FieldClass, IdentifierKind, Role } from '../common/enums';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import { preparedQuery, pgArray } from '../db/sql';
import { hasRole, type Viewer } from '../identity/viewer';
import { PartyRole } from './match-key.entity';
import { nearLinks, type NearCandidate } from './near-match';
import { ClusterMemberType, ClusterReasonCode, ClusterReasonType, HiddenMembersType, ShipmentClusterType } from './shipment-cluster.types';

/*
 * Split-shipment clusters (issue 20, point 4): small parcels, published in a window, that
 * share a consignee, found across the three agencies without moving a withheld value.
 *
 *   1. Exact links: alerts whose CONSIGNEE match keys (name, address, phone, e-mail, company
 *      registration) are equal, whatever agency holds them and whether or not the viewer may
 *      see them: one statement groups match_key by key.
 *   2. Near links: among the alerts whose consignee the viewer may read itself, names and
 *      addresses that nearly match (near-match.ts), compared in this process.
 *   3. Connected components of both (union-find), each kept when it holds one of the viewer's
 *      own alerts, its members are small and together they are large.
 *
 * What a cluster tells about the members the viewer may not see (docs/correlation.md):
 * how many, at which agency, and by which kinds of identifier they are linked. Never their
 * id, reference, date or quantity, and no total that sums their quantities. Whether they are
 * "small" is decided by the hub's fixed limit below, never by the caller's arguments; whether
 * the whole cluster can be "large" counts each as that limit, never as what it carries, so
 * that neither the arguments nor the viewer's own parcels (whose quantities it sets) measure them.
 */

/** The default and fixed limits of shipment clusters; see docs/correlation.md. */
export const CLUSTER_LIMITS = {
  /** Default window: the last 90 days. */
  defaultWindowDays: 90,
  /** The longest window a query may ask for. */
  maxWindowDays: 366,
  /** The most clusters one query returns. */
  maxFirst: 100,
  /** Default least total of a cluster (pieces); also the fixed threshold the whole cluster, hidden members included, is held to. */
  minTotalQuantity: 20_000,
  /** Default largest quantity of a member (pieces); also the fixed limit a hidden member is held to. */
  maxMemberQuantity: 3_000,
  /** A key shared by more alerts than this in the window (a forwarder's address, a mall's phone) links nothing. */
  keyGroupLimit: 200,
  /** The largest number a quantity argument may be. */
  maxQuantity: 1_000_000_000,
} as const;

/** The consignee identifiers that tie parcels together. */
export const CLUSTER_KINDS: readonly IdentifierKind[] = [
  IdentifierKind.PARTY_NAME,
  IdentifierKind.ADDRESS,
  IdentifierKind.PHONE,
  IdentifierKind.EMAIL,
  IdentifierKind.COMPANY_REGISTRATION,
];

/** How much a kind of shared identifier says: names collide, phones and registrations seldom do. */
const KIND_WEIGHT: Readonly<Record<string, number>> = {
  PHONE: 3,
  EMAIL: 3,
  COMPANY_REGISTRATION: 3,
  ADDRESS: 2,
  PARTY_NAME: 1,
};

const DAY = 86_400_000;

export interface ClusterArgs {
  from?: Date | null;
  to?: Date | null;
  minTotalQuantity?: number | null;
  maxMemberQuantity?: number | null;
  alertId?: string | null;
  first?: number | null;
}

interface Row {
  id: string;
  agency: string;
  published_at: Date;
  quantity: string | number;
  visible: boolean;
  party: boolean;
  name: string | null;
  address: string | null;
}

interface Node {
  id: string;
  agency: string;
  publishedAt: Date;
  quantity: number;
  visible: boolean;
  linkedBy: Set<IdentifierKind>;
  nearBy: Set<IdentifierKind>;
}

/** The window's bounds, widened to whole UTC days: a hidden member's time is told to the day at most. */
function dayFloor(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY) * DAY);
}
function dayCeil(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / DAY) * DAY);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function checkQuantity(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > CLUSTER_LIMITS.maxQuantity) {
    throw new BadUserInputError(`${field} must be an integer between 1 and ${CLUSTER_LIMITS.maxQuantity}`, field);
  }
  return value;
}

/** Split-shipment clusters as one viewer may see them. */
export class ShipmentClusterService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly settings: AccessSettings,
    private readonly alerts: AlertService,
    private readonly agencies: AgencyService,
  ) {}

  /**
   * The clusters of the window, best first.
   * @param sel what to read of the members' alerts (what GraphQL selected).
   * @throws ForbiddenError without ANALYST; BadUserInputError for a window that is reversed or
   *   longer than 366 days, a quantity out of range, `first` above 100, an `alertId` that is
   *   no UUID; NotFoundError for an `alertId` that does not exist or that the viewer may not
   *   see (the same answer for both).
   */
  async clusters(args: ClusterArgs, sel?: AlertSelection): Promise<ShipmentClusterType[]> {
    // The hidden counts are hits on partners' alerts, as a probe's are: for analysts.
    if (!hasRole(this.viewer, Role.ANALYST)) throw new ForbiddenError('only an ANALYST may look for shipment clusters');
    const to = args.to ?? new Date();
    const from = args.from ?? new Date(to.getTime() - CLUSTER_LIMITS.defaultWindowDays * DAY);
    if (from.getTime() >= to.getTime()) throw new BadUserInputError('from must be before to', 'from');
    if (to.getTime() - from.getTime() > CLUSTER_LIMITS.maxWindowDays * DAY) {
      throw new BadUserInputError(`the window may be at most ${CLUSTER_LIMITS.maxWindowDays} days long`, 'to');
    }
    const minTotal = checkQuantity(args.minTotalQuantity ?? CLUSTER_LIMITS.minTotalQuantity, 'minTotalQuantity');
    const maxMember = checkQuantity(args.maxMemberQuantity ?? CLUSTER_LIMITS.maxMemberQuantity, 'maxMemberQuantity');
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 0 || first > CLUSTER_LIMITS.maxFirst) {
      throw new BadUserInputError(`first must be between 0 and ${CLUSTER_LIMITS.maxFirst}`, 'first');
    }
    let start: string | null = null;
    if (args.alertId != null) {
      // One answer for an alert that does not exist and one the viewer may not see.
      if (!isUuid(args.alertId)) throw new BadUserInputError('alertId is not an alert id', 'alertId');
      const [found] = (await this.alerts.getMany([args.alertId])).values();
      if (!found) throw new NotFoundError('alert', args.alertId);
      // Clusters are linked by consignee keys: on an alert whose consignee is withheld from the
      // viewer, any cluster it is in would tell the viewer that consignee. There are none to show.
      if (found.withheld.includes(FieldClass.PARTY_IDENTITY)) return [];
      start = args.alertId.toLowerCase();
    }
    if (first === 0) return [];

    const lo = dayFloor(from);
    const hi = dayCeil(to);
    const query = preparedQuery(this.em);
    const me = this.viewer.agencyCode;

    // 1. Keys shared by two alerts or more in the window.
    const groups = await query<{ kind: IdentifierKind; ids: string[] | string }>(
      `select mk.kind, array_agg(distinct mk.alert_id::text) as ids
         from match_key mk
        where mk.role = ? and mk.kind = any(?::text[]) and mk.published_at >= ? and mk.published_at < ?
        group by mk.kind, mk.key
       having count(distinct mk.alert_id) between 2 and ?`,
      [PartyRole.CONSIGNEE, pgArray(CLUSTER_KINDS), lo, hi, CLUSTER_LIMITS.keyGroupLimit],
    );
    const keyed = new Set<string>();
    const groupIds = groups.map((g) => (Array.isArray(g.ids) ? g.ids : String(g.ids).replace(/^\{|\}$/g, '').split(',')));
    for (const ids of groupIds) for (const id of ids) keyed.add(id);

    // 2. Those alerts, and the small ones whose consignee the viewer may read (for near
    //    matches): quantity from the goods lines, visibility and the grant from the access rules.
    const vis = visibleAlertSql('a', me, this.settings);
    const party = grantedClassSql('a', me, FieldClass.PARTY_IDENTITY, this.settings);
    const rows = await query<Row>(
      `select a.id, a.origin_agency_code as agency, a.published_at, q.quantity, v.visible, v.party,
              case when v.party then a.consignee_name end as name,
              case when v.party then a.consignee_address end as address
         from alert a
         cross join lateral (select ${vis.sql} as visible) v0
         cross join lateral (select v0.visible, (v0.visible and ${party.sql}) as party) v
         cross join lateral (select coalesce(sum(g.quantity), 0)::bigint as quantity from alert_goods_line g where g.alert_id = a.id) q
        where a.published_at >= ? and a.published_at < ? and a.status not in ('DRAFT', 'WITHDRAWN')
          and (a.id = any(?::uuid[]) or (v.party and q.quantity <= ? and (a.consignee_name is not null or a.consignee_address is not null)))`,
      [...vis.params, ...party.params, lo, hi, pgArray([...keyed]), maxMember],
    );

    // Members: small by the caller's limit when the viewer sees them, by the hub's fixed limit when not.
    // A member is shown only where the viewer also holds PARTY_IDENTITY on it: every link is a
    // consignee key, so naming a partner's alert whose consignee is withheld as linked to the
    // viewer's own parcel would tell the viewer that consignee. Such an alert counts as hidden.
    const nodes = new Map<string, Node>();
    for (const r of rows) {
      const quantity = Number(r.quantity);
      const shown = r.visible && r.party;
      const limit = shown ? maxMember : CLUSTER_LIMITS.maxMemberQuantity;
      if (quantity > limit) continue;
      nodes.set(r.id, { id: r.id, agency: r.agency, publishedAt: new Date(r.published_at), quantity, visible: shown, linkedBy: new Set(), nearBy: new Set() });
    }

    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root)!;
      while (x !== root) {
        const next = parent.get(x)!;
        parent.set(x, root);
        x = next;
      }
      return root;
    };
    const union = (a: string, b: string) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent.set(ra, rb);
    };
    for (const id of nodes.keys()) parent.set(id, id);

    groups.forEach((g, i) => {
      const members = groupIds[i].filter((id) => nodes.has(id));
      if (members.length < 2) return;
      for (const id of members) {
        nodes.get(id)!.linkedBy.add(g.kind);
        union(members[0], id);
      }
    });
    const candidates: NearCandidate[] = rows.filter((r) => r.party && nodes.has(r.id)).map((r) => ({ id: r.id, name: r.name, address: r.address }));
    for (const link of nearLinks(candidates)) {
      const kind = link.kind === 'ADDRESS' ? IdentifierKind.ADDRESS : IdentifierKind.PARTY_NAME;
      nodes.get(link.a)!.nearBy.add(kind);
      nodes.get(link.b)!.nearBy.add(kind);
      union(link.a, link.b);
    }

    const components = new Map<string, Node[]>();
    for (const node of nodes.values()) {
      if (node.linkedBy.size === 0 && node.nearBy.size === 0) continue;
      const root = find(node.id);
      let list = components.get(root);
      if (!list) components.set(root, (list = []));
      list.push(node);
    }

    type Found = { members: Node[]; visible: Node[]; score: number; reasons: ClusterReasonType[]; id: string };
    const found: Found[] = [];
    for (const members of components.values()) {
      if (members.length < 2) continue;
      if (start && !members.some((m) => m.id === start && m.visible)) continue;
      // An agency learns of clusters that hold a parcel of its own, as a probe tells of its own values.
      if (!members.some((m) => m.agency === me)) continue;
      const visible = members.filter((m) => m.visible);
      const visibleQuantity = visible.reduce((s, m) => s + m.quantity, 0);
      // A hidden member counts as the most it can be (the hub's fixed 3,000), never as what it
      // carries: the viewer sets its own parcels' quantities, so any test of its total plus the
      // hidden ones' true sum, fixed threshold or not, weighs them (one edit a bit). Whether the
      // whole can reach the threshold is told, only when the caller asks for no more than it.
      const whole = visibleQuantity + (members.length - visible.length) * CLUSTER_LIMITS.maxMemberQuantity;
      const byWhole = minTotal <= CLUSTER_LIMITS.minTotalQuantity && whole >= CLUSTER_LIMITS.minTotalQuantity;
      if (visibleQuantity < minTotal && !byWhole) continue;
      const reasons = this.reasons(members, visible, visibleQuantity, byWhole);
      const score = round2(reasons.reduce((s, r) => s + r.weight, 0));
      const id = `sc_${createHash('sha256').update(`${me}:${visible.map((m) => m.id).sort().join(',')}`).digest('hex').slice(0, 24)}`;
      found.push({ members, visible, score, reasons, id });
    }
    found.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const page = found.slice(0, first);

    const projected = await this.alerts.getMany(page.flatMap((f) => f.visible.map((m) => m.id)), null, sel);
    const codes = [...new Set(page.flatMap((f) => f.members.map((m) => m.agency)))];
    const agencies = await this.agencies.getMany(codes);
    const agencyType = (code: string) => toAgencyType(agencies.get(code) ?? { code, name: code, jurisdiction: '' });
    return page.map((f) => {
      // A member that left the viewer's sight between the statements is not shown (nor counted again).
      const shown = f.visible.filter((m) => projected.has(m.id)).sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || (a.id < b.id ? -1 : 1));
      const hiddenBy = new Map<string, number>();
      for (const m of f.members) if (!m.visible) hiddenBy.set(m.agency, (hiddenBy.get(m.agency) ?? 0) + 1);
      return Object.assign(new ShipmentClusterType(), {
        id: f.id,
        score: f.score,
        reasons: f.reasons,
        members: shown.map((m) =>
          Object.assign(new ClusterMemberType(), {
            alert: projected.get(m.id)!,
            linkedBy: CLUSTER_KINDS.filter((k) => m.linkedBy.has(k)),
            nearMatchedBy: CLUSTER_KINDS.filter((k) => m.nearBy.has(k)),
          }),
        ),
        hidden: [...hiddenBy.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, count]) => Object.assign(new HiddenMembersType(), { agency: agencyType(code), count })),
        agencies: [...new Set(f.members.map((m) => m.agency))].sort().map(agencyType),
        visibleQuantity: shown.reduce((s, m) => s + m.quantity, 0),
        firstSeen: shown[0]?.publishedAt ?? f.visible[0].publishedAt,
        lastSeen: shown[shown.length - 1]?.publishedAt ?? f.visible[0].publishedAt,
      });
    });
  }

  /** The reasons of a cluster; none depends on a hidden member's quantity or date. */
  private reasons(members: Node[], visible: Node[], visibleQuantity: number, byWhole: boolean): ClusterReasonType[] {
    const reason = (code: ClusterReasonCode, weight: number, fields: Partial<ClusterReasonType> = {}) =>
      Object.assign(new ClusterReasonType(), { code, kind: null, members: null, agencies: null, days: null, quantity: null, ...fields, weight: round2(weight) });
    const out: ClusterReasonType[] = [];
    for (const kind of CLUSTER_KINDS) {
      const linked = members.filter((m) => m.linkedBy.has(kind));
      if (linked.length >= 2) {
        out.push(reason(ClusterReasonCode.SHARED_IDENTIFIER, KIND_WEIGHT[kind] * Math.log2(linked.length), { kind, members: linked.length, agencies: new Set(linked.map((m) => m.agency)).size }));
      }
    }
    for (const kind of [IdentifierKind.ADDRESS, IdentifierKind.PARTY_NAME]) {
      const near = members.filter((m) => m.nearBy.has(kind));
      if (near.length >= 2) {
        out.push(reason(ClusterReasonCode.NEAR_MATCH, 0.5 * KIND_WEIGHT[kind] * Math.log2(near.length), { kind, members: near.length, agencies: new Set(near.map((m) => m.agency)).size }));
      }
    }
    const agencies = new Set(members.map((m) => m.agency)).size;
    out.push(reason(ClusterReasonCode.AGENCIES, 2 * (agencies - 1), { agencies }));
    out.push(reason(ClusterReasonCode.MEMBERS, Math.log2(members.length), { members: members.length }));
    const times = visible.map((m) => m.publishedAt.getTime());
    const days = Math.max(1, Math.ceil((Math.max(...times) - Math.min(...times)) / DAY));
    // Many parcels in few days: a burst, as split consignments arrive.
    out.push(reason(ClusterReasonCode.SPAN, Math.min(3, (3 * visible.length) / days), { days, members: visible.length }));
    out.push(reason(ClusterReasonCode.VISIBLE_TOTAL, Math.min(3, visibleQuantity / 10_000), { quantity: visibleQuantity, members: visible.length }));
    if (byWhole) out.push(reason(ClusterReasonCode.WHOLE_TOTAL, 1, { quantity: CLUSTER_LIMITS.minTotalQuantity }));
    return out;
  }
}
