import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { toAgencyType } from '../agencies/agency.type';
import { DisclosureDirection, DisclosureStatus, FieldClass } from '../common/enums';
import { AlertType } from '../alerts/alert.types';
import { forwardPageInfo } from '../common/pagination';
import type { HubContext } from '../context';
import type { ProjectedAlert } from './alert-projection';
import type { AccessLogPage } from './access.service';
import {
  AccessLogConnection,
  AccessLogEdge,
  AccessLogEntryType,
  AccessLogFilterInput,
  DisclosureCountsType,
  DisclosureRequestType,
  SharingAgreementType,
  toDisclosureRequestType,
  toSharingAgreementType,
} from './access.types';

@Resolver()
export class AccessResolver {
  @Query(() => [SharingAgreementType])
  async sharingAgreements(@Ctx() ctx: HubContext): Promise<SharingAgreementType[]> {
    return (await ctx.access.agreements()).map(toSharingAgreementType);
  }

  @Mutation(() => SharingAgreementType)
  async setSharingAgreement(
    @Arg('partner', () => ID) partner: string,
    @Arg('fieldClasses', () => [FieldClass]) fieldClasses: FieldClass[],
    @Ctx() ctx: HubContext,
  ): Promise<SharingAgreementType> {
    return toSharingAgreementType(await ctx.access.setAgreement(partner, fieldClasses));
  }

  @Query(() => [DisclosureRequestType], { description: "requests the viewer's agency made or must decide, newest first; with alertId, those on that alert only" })
  async disclosureRequests(
    @Ctx() ctx: HubContext,
    @Arg('status', () => [DisclosureStatus], { nullable: true }) status?: DisclosureStatus[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number = 20,
    @Arg('alertId', () => ID, { nullable: true, description: 'only the requests on this alert (one the viewer cannot see gives none)' }) alertId?: string,
    @Arg('direction', () => DisclosureDirection, { nullable: true, description: 'only those received (on its own alerts) or only those sent; both when absent' }) direction?: DisclosureDirection,
  ): Promise<DisclosureRequestType[]> {
    return (await ctx.access.disclosures(status, first, alertId, direction)).map(toDisclosureRequestType);
  }

  @Query(() => DisclosureCountsType, { description: "how many disclosure requests wait for a decision, received and sent by the viewer's agency" })
  async disclosureCounts(@Ctx() ctx: HubContext): Promise<DisclosureCountsType> {
    return Object.assign(new DisclosureCountsType(), await ctx.access.disclosureCounts());
  }

  @Mutation(() => DisclosureRequestType)
  async requestDisclosure(
    @Arg('alertId', () => ID) alertId: string,
    @Arg('fieldClasses', () => [FieldClass]) fieldClasses: FieldClass[],
    @Arg('justification', () => String) justification: string,
    @Ctx() ctx: HubContext,
  ): Promise<DisclosureRequestType> {
    return toDisclosureRequestType(await ctx.access.requestDisclosure(alertId, fieldClasses, justification));
  }

  @Mutation(() => DisclosureRequestType)
  async decideDisclosure(
    @Arg('requestId', () => ID) requestId: string,
    @Arg('approve', () => Boolean) approve: boolean,
    @Ctx() ctx: HubContext,
    @Arg('expiresAt', () => DateTime, { nullable: true }) expiresAt?: Date,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<DisclosureRequestType> {
    return toDisclosureRequestType(await ctx.access.decideDisclosure(requestId, approve, expiresAt, note));
  }

  @Query(() => AccessLogConnection, { description: "reads of one of the viewer's own agency's alerts by other agencies" })
  async alertAccessLog(
    @Arg('alertId', () => ID) alertId: string,
    @Ctx() ctx: HubContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AccessLogConnection> {
    return toAccessLogConnection(ctx, await ctx.access.accessLog(alertId, first, after), after);
  }

  @Query(() => AccessLogConnection, {
    description:
      "reads of any of the viewer's agency's alerts by other agencies, newest first (ADMIN); filter by partner, alert, route and time. " +
      "Reads by the agency's own officers are never logged, this one included",
  })
  async agencyAccessLog(
    @Ctx() ctx: HubContext,
    @Arg('filter', () => AccessLogFilterInput, { nullable: true }) filter?: AccessLogFilterInput,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AccessLogConnection> {
    return toAccessLogConnection(ctx, await ctx.access.agencyAccessLog(filter ?? {}, first, after), after);
  }
}

/** A page of the log as its connection; the alerts it names are loaded once, if asked for. */
function toAccessLogConnection(ctx: HubContext, page: AccessLogPage, after: string | null | undefined): AccessLogConnection {
  let alerts: Promise<Map<string, ProjectedAlert>> | undefined;
  const ids = page.entries.map((e) => e.alertId);
  const loadAlert = (id: string) => async () => ((await (alerts ??= ctx.alerts.getMany(ids))).get(id) ?? null);
  const edges = page.entries.map(({ cursor, agency, ...entry }) =>
    Object.assign(new AccessLogEdge(), {
      cursor,
      node: Object.assign(new AccessLogEntryType(), { ...entry, agency: toAgencyType(agency), loadAlert: loadAlert(entry.alertId) }),
    }),
  );
  return Object.assign(new AccessLogConnection(), {
    edges,
    pageInfo: forwardPageInfo(edges, page.hasNextPage, after),
    countTotal: page.countTotal,
  });
}

@Resolver(() => AccessLogConnection)
export class AccessLogConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: AccessLogConnection): Promise<number> {
    return connection.countTotal();
  }
}

@Resolver(() => AccessLogEntryType)
export class AccessLogEntryResolver {
  @FieldResolver(() => AlertType, { nullable: true, description: "the alert that was read, as the viewer sees it: its own agency's, so whole" })
  alert(@Root() entry: AccessLogEntryType): Promise<ProjectedAlert | null> {
    return entry.loadAlert();
  }
}
