import { Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../context';
import { ViewerType } from '../identity/viewer.type';
import { AgencyType, toAgencyType } from './agency.type';

@Resolver()
export class AgencyResolver {
  @Query(() => ViewerType)
  async viewer(@Ctx() ctx: HubContext): Promise<ViewerType> {
    const agency = await ctx.agencies.get(ctx.viewer.agencyCode);
    // The viewer's agency is in the table: it was synced from the same trust config that verified the token.
    return Object.assign(new ViewerType(), {
      subject: ctx.viewer.subject,
      agency: toAgencyType(agency!),
      roles: ctx.viewer.roles,
    });
  }

  @Query(() => [AgencyType])
  async agencies(@Ctx() ctx: HubContext): Promise<AgencyType[]> {
    return (await ctx.agencies.list()).map(toAgencyType);
  }
}
