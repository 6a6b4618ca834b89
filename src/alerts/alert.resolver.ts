import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../context';
import { forwardPageInfo } from '../common/pagination';
import { AlertFilter, AlertOrder, CreateAlertInput, DistributionInput, UpdateAlertInput } from './alert.inputs';
import { AlertConnection, AlertEdge, AlertHistoryEntryType, AlertType } from './alert.types';
import { toAgencyType } from '../agencies/agency.type';
import { AlertStatus } from '../common/enums';
import { FULL_SELECTION, type AlertSelection } from './alert-record';

/**
 * The columns and collections a field's selection reads (src/alerts/alert-record.ts): a column
 * or collection is read when a field of its name is selected anywhere below the field
 * (fragments included), whatever the type it is on; more than needed at worst, never less.
 * Without `info`, all.
 */
export function selectedCollections(info: GraphQLResolveInfo | undefined): AlertSelection {
  if (!info) return FULL_SELECTION;
  // A document's nodes are the same objects at every request that sends it (Apollo and the
  // socket keep parsed documents): its selection is worked out once.
  const only = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const known = only && selections.get(only);
  if (known) return known;
  const sel = walkSelection(info);
  if (only) selections.set(only, sel);
  return sel;
}

/** The selection of each field node seen, while its document lives. */
const selections = new WeakMap<FieldNode, AlertSelection>();

function walkSelection(info: GraphQLResolveInfo): AlertSelection {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        names.add(s.name.value);
        walk(s.selectionSet);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet);
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(info.fragments[s.name.value]?.selectionSet);
      }
    }
  };
  info.fieldNodes.forEach((f: FieldNode) => walk(f.selectionSet));
  return { goods: names.has('goods'), rightsHolders: names.has('rightsHolders'), recordations: names.has('recordations'), distributionAgencies: names.has('agencies'), fields: names };
}

/** One page of the alerts the viewer may see, as a connection; also an operation's linked alerts. */
export async function alertConnection(
  ctx: HubContext,
  filter: AlertFilter | null | undefined,
  first: number,
  after: string | null | undefined,
  orderBy?: AlertOrder | null,
  info?: GraphQLResolveInfo,
): Promise<AlertConnection> {
  const page = await ctx.alerts.list(filter, first, after, orderBy, selectedCollections(info));
  const edges = page.nodes.map((n) => new AlertEdge(n.alert, n.position));
  return Object.assign(new AlertConnection(), { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, after), countTotal: page.countTotal });
}

@Resolver(() => AlertType)
export class AlertResolver {
  @Query(() => AlertType, { nullable: true, description: 'null when the alert does not exist or is not visible to the viewer' })
  alert(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<AlertType | null> {
    return ctx.alerts.get(id, selectedCollections(info));
  }

  @Query(() => AlertConnection)
  async alerts(
    @Ctx() ctx: HubContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => AlertFilter, { nullable: true }) filter?: AlertFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number = 20,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('orderBy', () => AlertOrder, { nullable: true }) orderBy?: AlertOrder,
  ): Promise<AlertConnection> {
    return alertConnection(ctx, filter, first, after, orderBy, info);
  }

  @Mutation(() => AlertType)
  createAlert(@Arg('input', () => CreateAlertInput) input: CreateAlertInput, @Ctx() ctx: HubContext): Promise<AlertType> {
    return ctx.alerts.create(input);
  }

  @Mutation(() => AlertType)
  updateAlert(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateAlertInput) input: UpdateAlertInput,
    @Ctx() ctx: HubContext,
  ): Promise<AlertType> {
    return ctx.alerts.update(id, version, input);
  }

  @Query(() => [AlertHistoryEntryType], { description: "the changes of one of the viewer's own agency's alerts, oldest first" })
  async alertHistory(@Arg('alertId', () => ID) alertId: string, @Ctx() ctx: HubContext): Promise<AlertHistoryEntryType[]> {
    return (await ctx.alerts.history(alertId)).map((h) =>
      Object.assign(new AlertHistoryEntryType(), {
        at: h.at,
        agency: toAgencyType(h.agency),
        subject: h.subject,
        kind: h.kind,
        fromStatus: h.fromStatus ?? null,
        toStatus: h.toStatus,
        note: h.note ?? null,
      }),
    );
  }

  @Mutation(() => AlertType)
  setAlertStatus(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('status', () => AlertStatus) status: AlertStatus,
    @Ctx() ctx: HubContext,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<AlertType> {
    return ctx.alerts.setStatus(id, version, status, note);
  }

  @Mutation(() => AlertType, {
    description: 'sets who the alert is shared with; sharing ALL_PARTNERS again, even unchanged, reaches the partners that joined since it was last shared',
  })
  shareAlert(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('distribution', () => DistributionInput) distribution: DistributionInput,
    @Ctx() ctx: HubContext,
  ): Promise<AlertType> {
    return ctx.alerts.share(id, version, distribution);
  }

  @Mutation(() => AlertType)
  withdrawAlert(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<AlertType> {
    return ctx.alerts.withdraw(id, version, reason);
  }

  @Mutation(() => AlertType)
  publishAlert(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: HubContext): Promise<AlertType> {
    return ctx.alerts.publish(id, version);
  }
}

@Resolver(() => AlertConnection)
export class AlertConnectionResolver {
  /** Counted only when selected: the count is a statement of its own. */
  @FieldResolver(() => Int)
  totalCount(@Root() connection: AlertConnection): Promise<number> {
    return connection.countTotal();
  }
}
