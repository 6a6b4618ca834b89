import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { toAgencyType } from '../agencies/agency.type';
import { DisclosureStatus, FieldClass } from '../common/enums';
import { forwardPageInfo } from '../common/pagination';
import type { HubContext } from '../context';
import {
  AccessLogConnection,
  AccessLogEdge,
  AccessLogEntryType,
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
  ): Promise<DisclosureRequestType[]> {
    return (await ctx.access.disclosures(status, first, alertId)).map(toDisclosureRequestType);
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
    const page = await ctx.access.accessLog(alertId, first, after);
    const edges = page.entries.map(({ cursor, agency, ...entry }) =>
      Object.assign(new AccessLogEdge(), {
        cursor,
        node: Object.assign(new AccessLogEntryType(), { ...entry, agency: toAgencyType(agency) }),
      }),
    );
    return Object.assign(new AccessLogConnection(), {
      edges,
      pageInfo: forwardPageInfo(edges, page.hasNextPage, after),
      countTotal: page.countTotal,
    });
  }
}

@Resolver(() => AccessLogConnection)
export class AccessLogConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: AccessLogConnection): Promise<number> {
    return connection.countTotal();
  }
}
